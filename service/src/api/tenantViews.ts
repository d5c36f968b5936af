import type { FleetRow } from '../../../client/src/console/fleet';
import type { TenantSummary } from '../../../client/src/onboarding/view';
import type { TenantConnectionState } from '../status';

/**
 * One tenant as the API shows it: its onboarding and, once the service has checked it, its connection status (null
 * until the service's first check, or while onboarding). The console's fleet rows are the same shape.
 */
export type TenantItem = FleetRow;

export function tenantItem(summary: TenantSummary, state: TenantConnectionState | undefined): TenantItem {
  const item: TenantItem = { tenant: summary.tenant, accountId: summary.accountId, onboarding: summary.status, status: state?.status ?? null };
  if (state) {
    item.reason = state.reason;
    if (state.cause) item.cause = state.cause;
    if (state.sandboxRefresh) item.sandboxRefresh = true;
    item.since = state.since;
    item.lastCheckAt = state.lastCheckAt;
    item.nextCheckAt = state.nextCheckAt;
  }
  if (summary.certificateId) item.certificateId = summary.certificateId;
  const expires = state?.certificateExpiresAt ?? summary.certificateNotAfter;
  if (expires) item.certificateExpiresAt = expires;
  return item;
}

/** Opaque paging cursor: the last tenant name of the previous page. */
export function encodeCursor(tenant: string): string {
  return Buffer.from(tenant, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  return text.length > 0 && encodeCursor(text) === cursor ? text : undefined;
}
