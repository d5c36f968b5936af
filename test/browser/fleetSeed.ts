/**
 * A large fleet written straight into the console's store: tenant records (copies of a real onboarded tenant's record
 * with their own names, account IDs and certificate IDs, no key material and no standby) and the service's status
 * records.
 */
import { TenantRepository, type KeyValueStore } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import type { ConnectionStatus, TenantConnectionState } from '../../service/src/status';
import { StatusStore } from '../../service/src/statusStore';

export const HOSTILE_TENANT = 'evil<script>alert(1)</script>';

export interface SeededFleet {
  tenants: string[];
  /** Tenants per status; `unknown` for those without a status record. */
  byStatus: Record<ConnectionStatus | 'unknown', string[]>;
}

const DAY_MS = 86_400_000;

/** Deterministic mix: about 1 in 16 needs a certificate, 1 in 10 was never checked. */
function statusFor(i: number): ConnectionStatus | 'unknown' {
  if (i % 16 === 3) return 'needs_certificate';
  if (i % 25 === 7) return 'needs_reconsent';
  if (i % 30 === 11) return 'degraded';
  if (i % 45 === 13) return 'disconnected';
  if (i % 10 === 9) return 'unknown';
  return 'healthy';
}

const REASONS: Record<ConnectionStatus, string> = {
  healthy: 'The health check passed',
  degraded: 'NetSuite answered 503 to the health check (SERVICE_UNAVAILABLE)',
  needs_certificate: 'The certificate was revoked in the account (CertificateRevoked)',
  needs_reconsent: 'The SuiteBridge role is missing from the account (EntityOrRoleDisabled)',
  disconnected: 'The integration record is disabled (InvalidClient)',
};

export async function seedFleet(store: KeyValueStore, template: TenantRecord, o: { count: number; now: number; hostileAt?: number }): Promise<SeededFleet> {
  const repo = new TenantRepository(store);
  const statuses = new StatusStore(store);
  const seeded: SeededFleet = { tenants: [], byStatus: { healthy: [], degraded: [], needs_certificate: [], needs_reconsent: [], disconnected: [], unknown: [] } };
  for (let i = 0; i < o.count; i++) {
    const tenant = i === o.hostileAt ? HOSTILE_TENANT : `fleet-${String(i).padStart(4, '0')}`;
    const accountId = String(5_000_000 + i);
    const at = new Date(o.now - (i % 90) * DAY_MS).toISOString();
    const notAfter = new Date(o.now + ((i * 7) % 400) * DAY_MS).toISOString();
    const record: TenantRecord = {
      ...structuredClone(template),
      tenant,
      createdAt: at,
      updatedAt: at,
      completedAt: at,
      settings: { ...structuredClone(template.settings), tenant, accountId },
      authorization: {},
      audit: [{ at, step: 'tenant', action: 'created', detail: `seeded tenant ${i}` }],
    };
    record.certificate = { ...template.certificate!, privateKeyPem: '', certificatePem: '', certificateId: `SYN-${String(i).padStart(4, '0')}`, notAfter };
    delete record.certificate.previous;
    delete record.standby;
    delete record.rotation;
    delete record.lastToken;
    await repo.save(record, null);
    const status = statusFor(i);
    seeded.tenants.push(tenant);
    seeded.byStatus[status].push(tenant);
    if (status === 'unknown') continue;
    const state: TenantConnectionState = {
      tenant,
      status,
      reason: REASONS[status],
      since: at,
      lastCheckAt: new Date(o.now - (i % 60) * 60_000).toISOString(),
      nextCheckAt: new Date(o.now + 3_600_000 - (i % 60) * 60_000).toISOString(),
      certificateExpiresAt: notAfter,
      failures: status === 'healthy' ? 0 : 1,
    };
    await statuses.update(tenant, () => state);
  }
  return seeded;
}
