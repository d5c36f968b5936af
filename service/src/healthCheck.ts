import { NetSuiteApiError, TokenEndpointError } from '../../client/src/errors';
import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { classifyFailure, classifyHealth } from './classify';
import type { ServiceEvents } from './events';
import type { LoginAuditSource } from './loginAudit';
import type { Classification, TenantConnectionState } from './status';
import type { StatusStore } from './statusStore';

export interface HealthCheckDeps {
  orchestrator: OnboardingOrchestrator;
  statuses: StatusStore;
  events: ServiceEvents;
  now: () => number;
  /** Time to the next scheduled check (the sweep interval), for `nextCheckAt`. */
  intervalMs: number;
  audit?: LoginAuditSource;
  /**
   * Keep a standby certificate per tenant and repair needs_certificate in place with it (default true). Costs one
   * more active certificate per tenant on the integration record (NetSuite allows 5 per record).
   */
  standbyCertificate?: boolean;
}

/** Audit-trail entries written up to this long before the check started still count (clock differences). */
const AUDIT_SLACK_MS = 1_000;

/**
 * One health check: a freshly minted M2M token (so a revoked or wiped certificate shows now, not when the cached
 * token expires) and the `health` RESTlet; the outcome classified and stored, a status change emitted.
 * Returns undefined for tenants that have not finished onboarding (nothing to check yet).
 */
export async function checkTenantHealth(deps: HealthCheckDeps, tenant: string): Promise<TenantConnectionState | undefined> {
  const record = await deps.orchestrator.credentials(tenant);
  if (!record.completedAt) return undefined;
  const started = deps.now();
  let classification: Classification;
  try {
    await deps.orchestrator.invalidateAccessToken(tenant);
    const health = await deps.orchestrator.testConnection(tenant);
    classification = classifyHealth(health, record.bundle?.appRole?.scriptId);
  } catch (err) {
    const needsCause = err instanceof TokenEndpointError || (err instanceof NetSuiteApiError && (err.status === 401 || err.status === 403));
    const auditCause = needsCause ? await readAuditCause(deps, record, started) : undefined;
    const certificateId = record.certificate?.certificateId;
    classification = classifyFailure(err, {
      accountId: record.settings.accountId,
      ...(record.account?.environment ? { environment: record.account.environment } : {}),
      ...(certificateId ? { certificateId } : {}),
      ...(record.certificate?.notAfter ? { certificateExpiresAt: record.certificate.notAfter } : {}),
      now: deps.now(),
      ...(auditCause ? { auditCause } : {}),
    });
  }
  return recordOutcome(deps, record, classification);
}

async function readAuditCause(deps: HealthCheckDeps, record: TenantRecord, started: number): Promise<string | undefined> {
  if (!deps.audit) return undefined;
  try {
    return await deps.audit.latestFailure({ accountId: record.settings.accountId, clientId: record.settings.ccClient.clientId, since: started - AUDIT_SLACK_MS });
  } catch {
    return undefined; // the audit trail only sharpens the reason
  }
}

/** Stores the outcome of a check (or of a repair) and emits `tenant.status_changed` when the status moved. */
export async function recordOutcome(
  deps: Pick<HealthCheckDeps, 'statuses' | 'events' | 'now' | 'intervalMs'>,
  record: TenantRecord,
  c: Classification,
): Promise<TenantConnectionState> {
  const nowMs = deps.now();
  const at = new Date(nowMs).toISOString();
  const { previous, next } = await deps.statuses.update(record.tenant, (old) => {
    const state: TenantConnectionState = {
      tenant: record.tenant,
      status: c.status,
      reason: c.reason,
      since: old && old.status === c.status ? old.since : at,
      lastCheckAt: at,
      nextCheckAt: new Date(nowMs + deps.intervalMs).toISOString(),
      failures: c.status === 'healthy' ? 0 : (old?.failures ?? 0) + 1,
    };
    if (c.cause) state.cause = c.cause;
    if (c.sandboxRefresh) state.sandboxRefresh = true;
    if (record.certificate?.notAfter) state.certificateExpiresAt = record.certificate.notAfter;
    if (old?.expiryNotices) state.expiryNotices = old.expiryNotices;
    return state;
  });
  const state = next as TenantConnectionState;
  if ((previous && previous.status !== state.status) || (!previous && state.status !== 'healthy')) {
    deps.events.emit('tenant.status_changed', {
      tenant: record.tenant,
      accountId: record.settings.accountId,
      oldStatus: previous?.status ?? null,
      newStatus: state.status,
      reason: state.reason,
      ...(state.cause ? { cause: state.cause } : {}),
      ...(state.sandboxRefresh ? { sandboxRefresh: true } : {}),
      since: state.since,
    });
  }
  return state;
}
