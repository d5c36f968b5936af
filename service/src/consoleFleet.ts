import { isSuiteBridgeError, StoreError } from '../../client/src/errors';
import { byTenantName, normalizeSearch, pageBounds, pageOfFleet, UNKNOWN_STATUS, type CertificateSlot, type ConsoleFleet, type DeliveryView, type FleetPage, type FleetQuery, type FleetRow, type FleetTenantDetail, type RepairView } from '../../client/src/console/fleet';
import type { ActionOutcome } from '../../client/src/console/backend';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { RECORD_PREFIX, TenantRepository, type KeyValueStore } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { toSummary } from '../../client/src/onboarding/view';
import { redact } from '../../client/src/redact';
import { getMany } from '../../client/src/store/getMany';
import { tenantItem } from './api/tenantViews';
import { ServiceEvents, type ServiceEvent } from './events';
import type { LoginAuditSource } from './loginAudit';
import { repairTenant, type RepairResult } from './repair';
import { CONNECTION_STATUSES, type TenantConnectionState } from './status';
import { StatusStore } from './statusStore';
import { DeliveryLog, type DeliveryRecord, type WebhookDispatcher } from './webhooks';

export interface ServiceConsoleFleetOptions {
  /** The store `suitebridge serve` keeps tenant records and statuses in. */
  store: KeyValueStore;
  /** Default: an orchestrator on `store` (the one `suitebridge tenants repair` makes). */
  orchestrator?: OnboardingOrchestrator;
  now?: () => number;
  fetch?: typeof fetch;
  /** The sweep interval, for the next check a repair's health check records (default 1 hour, as serve). */
  intervalMs?: number;
  audit?: LoginAuditSource;
  /** Where a repair's tenant.status_changed goes; default: nowhere (as `suitebridge tenants repair`). */
  events?: ServiceEvents;
  /** The service's webhook sender; with it, failed deliveries get a Redeliver button. */
  dispatcher?: Pick<WebhookDispatcher, 'redeliver'>;
  /**
   * How long one read of every record serves further searches (default 5 s). A search by tenant name or account ID
   * reads all tenant and status records (about 0.6 s for 10,000 tenants in SQLite); within this window the next pages
   * of a search cost one pass over rows in memory. 0: read every time. Pages without a search never read every record.
   */
  snapshotMs?: number;
}

const DEFAULT_SNAPSHOT_MS = 5_000;

/** The endpoint as shown: origin and path, never a query string or user info (they may hold a credential). */
function endpointOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

function deliveryView(record: DeliveryRecord): DeliveryView {
  const last = record.attempts[record.attempts.length - 1];
  return {
    id: record.id,
    messageId: record.messageId,
    type: record.type,
    endpoint: endpointOf(record.url),
    createdAt: record.createdAt,
    delivered: record.delivered,
    attempts: record.attempts.length,
    ...(last ? { lastAttemptAt: last.at } : {}),
    ...(last?.status !== undefined ? { lastStatus: last.status } : {}),
    ...(last?.error ? { lastError: redact(last.error) } : {}),
  };
}

/** One line about an event from its payload (event payloads carry IDs, statuses and messages only). */
function eventSummary(event: ServiceEvent | undefined): string {
  if (!event) return '';
  const d = event.data as unknown as Record<string, unknown>;
  switch (event.type) {
    case 'tenant.status_changed':
      return `${String(d.oldStatus ?? 'unknown')} → ${String(d.newStatus)}: ${String(d.reason ?? '')}`;
    case 'certificate.expiring':
      return `certificate ${String(d.certificateId)} expires in ${String(d.daysLeft)} days`;
    case 'certificate.rotated':
      return `certificate ${String(d.previousCertificateId)} → ${String(d.certificateId)}`;
    case 'certificate.rotation_failed':
    case 'onboarding.failed':
      return redact(String(d.message ?? ''));
    default:
      return '';
  }
}

function parseRecord(tenant: string, value: string): TenantRecord {
  try {
    return JSON.parse(value) as TenantRecord;
  } catch (cause) {
    throw new StoreError('STORE_ERROR', `The onboarding record of tenant "${tenant}" is not valid JSON.`, { cause, remedy: `Remove it with \`suitebridge tenants remove ${tenant}\` and onboard again.` });
  }
}

function certificateSlots(record: TenantRecord): CertificateSlot[] {
  const slots: CertificateSlot[] = [];
  const current = record.certificate;
  if (current?.certificateId) slots.push({ certificateId: current.certificateId, use: 'current', algorithm: current.algorithm, notAfter: current.notAfter });
  const rotation = record.rotation;
  if (rotation?.certificateId) slots.push({ certificateId: rotation.certificateId, use: 'rotating', algorithm: rotation.algorithm, notAfter: rotation.notAfter });
  const standby = record.standby;
  if (standby?.current?.certificateId) slots.push({ certificateId: standby.current.certificateId, use: 'standby', algorithm: standby.current.algorithm, notAfter: standby.current.notAfter });
  if (standby?.next?.certificateId) slots.push({ certificateId: standby.next.certificateId, use: 'standby_renewing', algorithm: standby.next.algorithm, notAfter: standby.next.notAfter });
  for (const previous of [...(current?.previous ?? []), ...(standby?.previous ?? [])].reverse()) {
    slots.push({ certificateId: previous.certificateId, use: 'previous', ...(previous.revokedAt ? { revokedAt: previous.revokedAt } : {}) });
  }
  return slots;
}

/**
 * The console's fleet pages over the service's data: tenant records and status records from the shared store
 * (listed with the /v1/tenants item mapping), webhook deliveries from the delivery log, Repair as
 * `suitebridge tenants repair`. Pass it to `startConsole({ fleet: (deps) => new ServiceConsoleFleet(deps) })`.
 */
export class ServiceConsoleFleet implements ConsoleFleet {
  readonly statuses: readonly string[] = CONNECTION_STATUSES;
  readonly redeliver?: (deliveryId: string) => Promise<ActionOutcome>;
  private readonly statusStore: StatusStore;
  private readonly deliveries: DeliveryLog;
  private readonly orchestrator: OnboardingOrchestrator;
  private readonly now: () => number;
  private snapshot: { at: number; rows: Promise<FleetRow[]> } | undefined;

  constructor(private readonly o: ServiceConsoleFleetOptions) {
    this.now = o.now ?? Date.now;
    this.statusStore = new StatusStore(o.store);
    this.deliveries = new DeliveryLog(o.store);
    this.orchestrator = o.orchestrator ?? new OnboardingOrchestrator({ store: o.store, clock: { now: this.now }, ...(o.fetch ? { fetch: o.fetch } : {}) });
    const dispatcher = o.dispatcher;
    if (dispatcher) this.redeliver = (id) => this.redeliverWith(dispatcher, id);
  }

  /**
   * Without a search, a page reads names only (record keys, the status index) and then just its own records; a search
   * matches account IDs too, which only the records hold, so it reads them all (see `snapshotMs`).
   */
  async list(query: FleetQuery): Promise<FleetPage> {
    if (normalizeSearch(query.search)) return pageOfFleet(await this.rows(), query);
    const [names, ...indexed] = await Promise.all([new TenantRepository(this.o.store).tenants(), ...CONNECTION_STATUSES.map((s) => this.statusStore.tenantsIn(s))]);
    const known = new Set(names);
    const inStatus = new Map<string, string[]>();
    const checked = new Set<string>();
    CONNECTION_STATUSES.forEach((status, i) => {
      const tenants = (indexed[i] ?? []).filter((t) => known.has(t));
      inStatus.set(status, tenants);
      for (const t of tenants) checked.add(t);
    });
    inStatus.set(UNKNOWN_STATUS, names.filter((t) => !checked.has(t)));
    const matching = query.status === undefined ? names : inStatus.get(query.status) ?? [];
    const bounds = pageBounds(matching.length, query);
    const shown = matching.slice(bounds.start, bounds.end);
    const [states, records] = await Promise.all([this.statusStore.getMany(shown), getMany(this.o.store, shown.map((t) => RECORD_PREFIX + t))]);
    const rows = shown.flatMap((tenant, i) => {
      const entry = records[i];
      return entry ? [tenantItem(toSummary(parseRecord(tenant, entry.value)), states[i] as TenantConnectionState | undefined)] : [];
    });
    return { rows, total: matching.length, ...bounds.page, counts: Object.fromEntries([...inStatus].map(([s, t]) => [s, t.length])), fleetSize: names.length };
  }

  /** Every tenant as a sorted row, shared by the requests of one snapshot window (a failed read is not kept). */
  private rows(): Promise<FleetRow[]> {
    const now = this.now();
    const ttl = this.o.snapshotMs ?? DEFAULT_SNAPSHOT_MS;
    if (this.snapshot && now >= this.snapshot.at && now - this.snapshot.at < ttl) return this.snapshot.rows;
    const rows = (async () => {
      const [states, summaries] = await Promise.all([this.statusStore.list(), this.orchestrator.list()]);
      const byTenant = new Map(states.map((s) => [s.tenant, s]));
      return summaries.map((t): FleetRow => tenantItem(t, byTenant.get(t.tenant))).sort(byTenantName);
    })();
    const snapshot = { at: now, rows };
    this.snapshot = snapshot;
    rows.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    });
    return rows;
  }

  async detail(tenant: string): Promise<FleetTenantDetail | undefined> {
    const record = await this.record(tenant);
    if (!record) return undefined;
    const state = await this.statusStore.get(tenant);
    const deliveries = (await this.deliveries.list()).filter((d) => d.tenant === tenant).reverse();
    const events = new Map<string, { at: string; type: string; summary: string }>();
    for (const d of deliveries) {
      if (!events.has(d.messageId)) events.set(d.messageId, { at: d.event?.timestamp ?? d.createdAt, type: d.type, summary: eventSummary(d.event) });
    }
    // Without webhook endpoints nothing is recorded per event: the status record still tells the latest change.
    const announced = deliveries.some((d) => d.type === 'tenant.status_changed' && (d.event?.data as { since?: string } | undefined)?.since === state?.since);
    if (state && !announced) events.set('status', { at: state.since, type: 'tenant.status_changed', summary: `now ${state.status}: ${state.reason}` });
    return {
      row: tenantItem(toSummary(record), state),
      certificates: certificateSlots(record),
      events: [...events.values()].sort((a, b) => b.at.localeCompare(a.at)),
      deliveries: deliveries.map(deliveryView),
    };
  }

  async repair(tenant: string): Promise<RepairView> {
    try {
      return await this.repairOnce(tenant);
    } finally {
      // The list shows the outcome at once rather than after the snapshot expires.
      this.snapshot = undefined;
    }
  }

  private async repairOnce(tenant: string): Promise<RepairView> {
    const before = await this.statusStore.get(tenant);
    let result: RepairResult;
    try {
      result = await repairTenant(
        {
          store: this.o.store,
          orchestrator: this.orchestrator,
          statuses: this.statusStore,
          events: this.o.events ?? new ServiceEvents(this.now),
          now: this.now,
          intervalMs: this.o.intervalMs ?? 3_600_000,
          ...(this.o.audit ? { audit: this.o.audit } : {}),
        },
        tenant,
      );
    } catch (err) {
      const remedy = isSuiteBridgeError(err) && err.remedy ? ` ${redact(err.remedy)}` : '';
      return { outcome: 'not_repairable', why: `${redact(err instanceof Error ? err.message : String(err))}${remedy}` };
    }
    switch (result.outcome) {
      case 'healthy': {
        const after = result.state;
        if (after && after.status !== 'healthy') return { outcome: 'not_repairable', why: `The repair finished, but the connection check says ${after.status}: ${after.reason}` };
        // A repair starts from a failed check, so a tenant that was healthy (or never checked) had nothing to repair.
        if ((!before || before.status === 'healthy') && !result.revokedOldCertificate) return { outcome: 'healthy', message: result.note ?? 'The health check passed.' };
        const revoked = result.revokedOldCertificate ? ` The replaced certificate ${result.revokedOldCertificate} was revoked.` : '';
        // The page already says "Repaired in place."; the standby repair's note starts with the same words.
        const note = result.note?.replace(/^Repaired in place,\s*/, '');
        return {
          outcome: 'repaired',
          message: `The connection check passed.${revoked}${note ? ` ${note.charAt(0).toUpperCase()}${note.slice(1)}` : ''}`,
          ...(after ? { status: after.status, reason: after.reason } : {}),
        };
      }
      case 'consent_needed': {
        const settings = (await this.orchestrator.credentials(tenant)).settings;
        return { outcome: 'consent_needed', why: result.why, authorizationUrl: result.authorizationUrl, accountId: settings.accountId, redirectUri: settings.redirectUri };
      }
      case 'bundle_needed':
        return { outcome: 'bundle_needed', why: result.why, installUrl: result.installUrl };
      default:
        return { outcome: 'not_repairable', why: result.why };
    }
  }

  private async redeliverWith(dispatcher: Pick<WebhookDispatcher, 'redeliver'>, id: string): Promise<ActionOutcome> {
    try {
      const { attempt } = await dispatcher.redeliver(id);
      return attempt.ok
        ? { ok: true, message: `Delivery ${id} sent again: the endpoint answered ${attempt.status ?? 'OK'}.` }
        : { ok: false, message: `Delivery ${id} sent again and failed: ${redact(attempt.error ?? `HTTP ${attempt.status ?? '?'}`)}.`, remedy: 'Check that the endpoint is up and accepts the signature, then redeliver again.' };
    } catch (err) {
      return { ok: false, message: redact(err instanceof Error ? err.message : String(err)), ...(isSuiteBridgeError(err) && err.remedy ? { remedy: redact(err.remedy) } : {}) };
    }
  }

  /** Tenant names come from URLs: one the store cannot hold is simply not found. */
  private async record(tenant: string): Promise<TenantRecord | undefined> {
    try {
      if (!(await this.orchestrator.get(tenant))) return undefined;
      return await this.orchestrator.credentials(tenant);
    } catch (err) {
      if (isSuiteBridgeError(err) && err.code === 'INVALID_ARGUMENT') return undefined;
      throw err;
    }
  }
}
