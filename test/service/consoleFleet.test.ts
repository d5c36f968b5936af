/**
 * ServiceConsoleFleet, what the console's tenant pages read (issue 12): pages without a search read only their own
 * records (counted store reads, not timings), the status index and record keys give filters and counts, a search
 * reads every record once per snapshot window, Repair clears the snapshot, and the tenant detail shows its deliveries
 * without the endpoint's query string or user info.
 */
import { RECORD_PREFIX } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { MemoryTokenStore } from '../../client/src/store';
import { ServiceConsoleFleet } from '../../service/src/consoleFleet';
import { DeliveryLog, newMessageId } from '../../service/src/webhooks';
import { HOSTILE_TENANT, seedFleet, type SeededFleet } from '../browser/fleetSeed';

const NOW = Date.parse('2026-11-29T12:00:00.000Z');

const TEMPLATE = {
  version: 1,
  tenant: 'template',
  createdAt: '',
  updatedAt: '',
  settings: {
    tenant: 'template', accountId: '1', authClient: { clientId: 'a'.repeat(64) }, ccClient: { clientId: 'b'.repeat(64) }, redirectUri: 'https://127.0.0.1:3030/callback',
    scopes: ['restlets'], bundleId: '512345', installUrl: 'https://1.app.netsuite.com/install', keyType: 'EC-P256', certificateValidityDays: 730, configSeed: {},
    baseUrl: 'http://127.0.0.1:9', dangerouslyAllowInsecureHttp: true,
  },
  steps: { authorize: { status: 'done' }, bundle: { status: 'done' }, certificate: { status: 'done' }, finalize: { status: 'done' } },
  authorization: {},
  audit: [],
  certificate: { privateKeyPem: '', certificatePem: '', sha256Fingerprint: 'x', algorithm: 'ES256', notAfter: '', createdAt: '' },
} as unknown as TenantRecord;

/** A store that counts the tenant records read (get and getMany). */
class CountingStore extends MemoryTokenStore {
  recordReads = 0;
  override async get(key: string) {
    if (key.startsWith(RECORD_PREFIX)) this.recordReads++;
    return super.get(key);
  }
  override async getMany(keys: readonly string[]) {
    this.recordReads += keys.filter((k) => k.startsWith(RECORD_PREFIX)).length;
    return super.getMany(keys);
  }
}

describe('ServiceConsoleFleet', () => {
  let store: CountingStore;
  let seeded: SeededFleet;
  let clock: number;
  let fleet: ServiceConsoleFleet;

  beforeAll(async () => {
    store = new CountingStore();
    seeded = await seedFleet(store, TEMPLATE, { count: 400, now: NOW, hostileAt: 7 });
  });
  beforeEach(() => {
    clock = NOW;
    fleet = new ServiceConsoleFleet({ store, now: () => clock, fetch: async () => Promise.reject(new Error('no network in this test')) });
    store.recordReads = 0;
  });

  it('a page without a search reads only its own records; filters and counts come from the status index', async () => {
    const all = [...seeded.tenants].sort();
    const page2 = await fleet.list({ page: 2, pageSize: 50 });
    expect(page2.rows.map((r) => r.tenant)).toEqual(all.slice(50, 100));
    expect(page2).toMatchObject({ total: 400, page: 2, pageCount: 8, fleetSize: 400 });
    expect(store.recordReads).toBe(50);
    for (const [status, tenants] of Object.entries(seeded.byStatus)) expect([status, page2.counts[status]]).toEqual([status, tenants.length]);

    store.recordReads = 0;
    const needs = await fleet.list({ status: 'needs_certificate', page: 1, pageSize: 10 });
    expect(needs.rows.map((r) => r.tenant)).toEqual([...seeded.byStatus.needs_certificate].sort().slice(0, 10));
    expect(needs.rows.every((r) => r.status === 'needs_certificate' && r.reason?.includes('CertificateRevoked'))).toBe(true);
    expect(store.recordReads).toBe(10);

    const unknown = await fleet.list({ status: 'unknown', page: 1, pageSize: 500 });
    expect(unknown.rows.map((r) => r.tenant)).toEqual([...seeded.byStatus.unknown].sort());
    expect(unknown.rows.every((r) => r.status === null && r.lastCheckAt === undefined)).toBe(true);
  });

  it('a search matches names and account IDs, reads every record once per snapshot window, and Repair clears the snapshot', async () => {
    const byAccount = await fleet.list({ search: '5000042', page: 1, pageSize: 50 });
    expect(byAccount.rows.map((r) => [r.tenant, r.accountId])).toEqual([['fleet-0042', '5000042']]);
    expect(store.recordReads).toBe(400);
    const hostile = await fleet.list({ search: '<SCRIPT>', page: 1, pageSize: 50 });
    expect(hostile.rows.map((r) => r.tenant)).toEqual([HOSTILE_TENANT]);
    clock += 4_999;
    await fleet.list({ search: 'fleet-01', page: 2, pageSize: 50 });
    expect(store.recordReads).toBe(400);
    clock += 1;
    await fleet.list({ search: 'fleet-01', page: 1, pageSize: 50 });
    expect(store.recordReads).toBe(800);

    // The check cannot reach NetSuite here: not repaired, and why.
    const repair = await fleet.repair('fleet-0003');
    expect(repair.outcome).toBe('not_repairable');
    expect(repair).toMatchObject({ why: expect.stringMatching(/\S/) });
    store.recordReads = 0;
    await fleet.list({ search: 'fleet-01', page: 1, pageSize: 50 });
    expect(store.recordReads).toBe(400);
  });

  it('the detail lists the tenant\'s deliveries newest first, the endpoint without query string or user info', async () => {
    const log = new DeliveryLog(store);
    const event = (tenant: string) => ({ type: 'tenant.status_changed' as const, timestamp: new Date(NOW).toISOString(), data: { tenant, accountId: '5000005', oldStatus: 'healthy' as const, newStatus: 'needs_certificate' as const, reason: 'revoked', since: new Date(NOW).toISOString() } });
    const url = 'https://user:pw@hooks.example/sb?token=abc';
    await log.record({ messageId: newMessageId(), endpoint: 0, event: event('fleet-0005') }, url, { at: '2026-11-29T10:00:00.000Z', attempt: 1, ok: false, status: 500, error: 'HTTP 500', durationMs: 3 });
    await log.record({ messageId: newMessageId(), endpoint: 0, event: event('fleet-0005') }, url, { at: '2026-11-29T11:00:00.000Z', attempt: 1, ok: true, status: 204, durationMs: 3 });
    await log.record({ messageId: newMessageId(), endpoint: 0, event: event('fleet-0006') }, url, { at: '2026-11-29T11:30:00.000Z', attempt: 1, ok: true, status: 204, durationMs: 3 });
    const detail = await fleet.detail('fleet-0005');
    expect(detail?.deliveries.map((d) => [d.createdAt, d.delivered, d.endpoint, d.lastStatus])).toEqual([
      ['2026-11-29T11:00:00.000Z', true, 'https://hooks.example/sb', 204],
      ['2026-11-29T10:00:00.000Z', false, 'https://hooks.example/sb', 500],
    ]);
    expect(detail?.events[0]).toMatchObject({ type: 'tenant.status_changed', summary: 'healthy → needs_certificate: revoked' });
    expect(detail?.certificates).toEqual([expect.objectContaining({ certificateId: 'SYN-0005', use: 'current' })]);
    expect(JSON.stringify(detail)).not.toContain('token=abc');
    // No webhook endpoint recorded anything for fleet-0019: its status record still shows as its latest event.
    expect((await fleet.detail('fleet-0019'))?.events).toEqual([
      { at: expect.any(String), type: 'tenant.status_changed', summary: expect.stringMatching(/^now needs_certificate: .*CertificateRevoked/) },
    ]);
    expect(await fleet.detail('no-such-tenant')).toBeUndefined();
    expect(await fleet.detail(HOSTILE_TENANT)).toBeUndefined();
  });
});
