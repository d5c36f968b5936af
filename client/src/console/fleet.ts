/**
 * What the fleet pages (all tenants with their connection status, one tenant's health, Repair) need, as display-ready
 * views. The console package cannot depend on the SuiteBridge service, so the service supplies an implementation
 * (service/src/consoleFleet.ts) through `startConsole({ fleet })`; without one the pages show the onboarding records
 * only and every status as unknown. Like backend.ts, no type here has a place for a token, secret or key.
 */
import type { ActionOutcome } from './backend';

/** The status filter value for tenants the service has not checked yet (no status record). */
export const UNKNOWN_STATUS = 'unknown';
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_SEARCH_LENGTH = 100;

/** One tenant in the fleet list: the service's API item (service/src/api/tenantViews.ts `TenantItem`). */
export interface FleetRow {
  tenant: string;
  accountId: string;
  /** The onboarding state: completed, in_progress, waiting_for_authorization… */
  onboarding: string;
  /** The connection status; null until the service's first check. */
  status: string | null;
  reason?: string;
  cause?: string;
  sandboxRefresh?: boolean;
  since?: string;
  lastCheckAt?: string;
  nextCheckAt?: string;
  certificateId?: string;
  certificateExpiresAt?: string;
}

export interface FleetQuery {
  /** A connection status, or `unknown`; undefined for all. */
  status?: string;
  /** Part of a tenant name or account ID, any case. */
  search?: string;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface FleetPage {
  rows: FleetRow[];
  /** Rows matching the query (all pages). */
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  /** Tenants per status over the whole fleet (with `unknown`), for the filter. */
  counts: Record<string, number>;
  /** All tenants. */
  fleetSize: number;
}

export interface CertificateSlot {
  certificateId: string;
  /**
   * current: what tokens are signed with; rotating: uploaded by a rotation in progress; standby: the second
   * certificate a repair switches to; standby_renewing: its replacement being added; previous: replaced.
   * Each one that is not revoked takes one of the integration record's certificate slots at NetSuite.
   */
  use: 'current' | 'rotating' | 'standby' | 'standby_renewing' | 'previous';
  algorithm?: string;
  notAfter?: string;
  revokedAt?: string;
}

export interface DeliveryView {
  /** What `redeliver` takes. */
  id: string;
  messageId: string;
  type: string;
  /** The endpoint without query string or credentials. */
  endpoint: string;
  createdAt: string;
  delivered: boolean;
  attempts: number;
  lastAttemptAt?: string;
  lastStatus?: number;
  lastError?: string;
}

export interface FleetTenantDetail {
  row: FleetRow;
  certificates: CertificateSlot[];
  /** Newest first. */
  events: { at: string; type: string; summary: string }[];
  /** Newest first. */
  deliveries: DeliveryView[];
}

export type RepairView =
  | { outcome: 'repaired'; message: string; status?: string; reason?: string }
  | { outcome: 'healthy'; message: string }
  | { outcome: 'consent_needed'; why: string; authorizationUrl: string; accountId: string; redirectUri: string }
  | { outcome: 'bundle_needed'; why: string; installUrl: string }
  | { outcome: 'not_repairable'; why: string };

export interface ConsoleFleet {
  /** Connection statuses the filter offers, in display order (`unknown` is added by the page). */
  readonly statuses: readonly string[];
  list(query: FleetQuery): Promise<FleetPage>;
  detail(tenant: string): Promise<FleetTenantDetail | undefined>;
  /** The same repair as `suitebridge tenants repair`. Absent: no Repair button. */
  repair?(tenant: string): Promise<RepairView>;
  /** Sends a failed webhook delivery again. Absent: no Redeliver button. */
  redeliver?(deliveryId: string): Promise<ActionOutcome>;
}

/** Lower-case, trimmed, bounded search text; undefined when empty. */
export function normalizeSearch(value: string | undefined): string | undefined {
  const trimmed = value?.trim().slice(0, MAX_SEARCH_LENGTH).toLowerCase();
  return trimmed ? trimmed : undefined;
}

/**
 * Filters and pages rows already sorted by tenant name. Reads every row once and keeps only one page, so the page
 * costs the same for 10 or 10,000 tenants apart from that pass.
 */
export function pageOfFleet(sorted: readonly FleetRow[], query: FleetQuery): FleetPage {
  const search = normalizeSearch(query.search);
  const counts: Record<string, number> = {};
  const matching: FleetRow[] = [];
  for (const row of sorted) {
    const status = row.status ?? UNKNOWN_STATUS;
    counts[status] = (counts[status] ?? 0) + 1;
    if (query.status !== undefined && status !== query.status) continue;
    if (search && !row.tenant.toLowerCase().includes(search) && !row.accountId.toLowerCase().includes(search)) continue;
    matching.push(row);
  }
  const bounds = pageBounds(matching.length, query);
  return { rows: matching.slice(bounds.start, bounds.end), total: matching.length, ...bounds.page, counts, fleetSize: sorted.length };
}

/** Which slice of `total` matching rows a page shows; a page past the end is the last page. */
export function pageBounds(total: number, query: Pick<FleetQuery, 'page' | 'pageSize'>): { start: number; end: number; page: Pick<FleetPage, 'page' | 'pageCount' | 'pageSize'> } {
  const pageSize = Math.max(1, query.pageSize);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, query.page), pageCount);
  return { start: (page - 1) * pageSize, end: page * pageSize, page: { page, pageCount, pageSize } };
}

export function byTenantName(a: { tenant: string }, b: { tenant: string }): number {
  return a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0;
}
