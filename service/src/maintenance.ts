import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { stepErrorOf } from '../../client/src/onboarding/orchestrator';
import type { ServiceEvents } from './events';
import { checkTenantHealth, recordOutcome, type HealthCheckDeps } from './healthCheck';
import { dueExpiryNotice, rotationDueAt } from './rotationPolicy';
import { keepStandby } from './standby';
import type { TenantConnectionState } from './status';
import type { StatusStore } from './statusStore';

export interface MaintenancePolicy {
  /** Rotate this long before the certificate expires (default 30 days). */
  rotateBeforeMs: number;
  /** Per-tenant jitter: rotation happens up to this much earlier still (default 7 days). */
  rotationJitterMs: number;
  /** certificate.expiring thresholds in days (default 60, 30, 14). */
  expiryNoticeDays: readonly number[];
}

export interface MaintenanceDeps extends HealthCheckDeps {
  orchestrator: OnboardingOrchestrator;
  statuses: StatusStore;
  events: ServiceEvents;
  policy: MaintenancePolicy;
}

export interface MaintenanceResult {
  state?: TenantConnectionState;
  rotated?: { from: string; to: string };
}

/** Thrown when a rotation failed, so the job queue retries it with backoff. */
export class RotationAttemptFailed extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/**
 * One tenant's scheduled care: health check; the certificate.expiring notice when a threshold is crossed; rotation
 * once the (jittered) rotation time has come and the tenant is healthy. A failed rotation raises the tenant's status,
 * emits certificate.rotation_failed and throws so the queue retries with backoff.
 */
export async function maintainTenant(deps: MaintenanceDeps, tenant: string, attempt: { number: number; last: boolean }): Promise<MaintenanceResult> {
  const state = await checkTenantHealth(deps, tenant);
  if (!state) return {};
  const record = await deps.orchestrator.credentials(tenant);
  const cert = record.certificate;
  if (!cert?.certificateId || !cert.notAfter) return { state };
  await announceExpiry(deps, tenant, record.settings.accountId, cert.certificateId, cert.notAfter);
  if (state.status !== 'healthy') return { state };
  if (deps.now() < rotationDueAt(cert.notAfter, tenant, deps.policy.rotateBeforeMs, deps.policy.rotationJitterMs)) {
    await keepStandby(deps, tenant);
    return { state };
  }

  const from = cert.certificateId;
  try {
    await deps.orchestrator.rotateCertificate(tenant);
  } catch (err) {
    const error = stepErrorOf(err);
    deps.events.emit('certificate.rotation_failed', {
      tenant, accountId: record.settings.accountId, certificateId: from, attempt: attempt.number, willRetry: !attempt.last, code: error.code, message: error.message,
    });
    const daysLeft = Math.floor((Date.parse(cert.notAfter) - deps.now()) / 86_400_000);
    await recordOutcome(deps, record, {
      status: 'degraded',
      reason: `Certificate rotation failed (attempt ${attempt.number}${attempt.last ? ', the last' : ', will retry'}); the current certificate still works for ${daysLeft} days: ${error.message}`,
      cause: error.code,
    });
    throw new RotationAttemptFailed(error.message, error.code);
  }
  const after = await deps.orchestrator.credentials(tenant);
  const to = after.certificate?.certificateId as string;
  deps.events.emit('certificate.rotated', {
    tenant, accountId: record.settings.accountId, certificateId: to, previousCertificateId: from, expiresAt: after.certificate?.notAfter ?? '',
  });
  const healthy = await recordOutcome(deps, after, { status: 'healthy', reason: `certificate ${to} rotated in and verified; ${from} revoked` });
  await keepStandby(deps, tenant);
  return { state: healthy, rotated: { from, to } };
}

async function announceExpiry(deps: MaintenanceDeps, tenant: string, accountId: string, certificateId: string, notAfter: string): Promise<void> {
  const current = await deps.statuses.get(tenant);
  const announced = current?.expiryNotices?.certificateId === certificateId ? current.expiryNotices.days : [];
  const notice = dueExpiryNotice(notAfter, deps.now(), deps.policy.expiryNoticeDays, announced);
  if (!notice) return;
  const { next } = await deps.statuses.update(tenant, (old) => (old ? { ...old, expiryNotices: { certificateId, days: notice.covered } } : undefined));
  if (!next) return;
  deps.events.emit('certificate.expiring', { tenant, accountId, certificateId, expiresAt: notAfter, daysLeft: notice.daysLeft, threshold: notice.threshold });
}
