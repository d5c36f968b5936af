/**
 * The status index behind `GET /v1/tenants?status=` (issue 12): kept with every status write, repaired by reindex(),
 * and a page reads only its own tenants (counted store reads, not timings) while skipping stale index entries.
 */
import { RECORD_PREFIX } from '../../client/src/onboarding/repository';
import { MemoryTokenStore } from '../../client/src/store';
import type { ConnectionStatus, TenantConnectionState } from '../../service/src/status';
import { STATUS_INDEX_PREFIX, STATUS_PREFIX, StatusStore } from '../../service/src/statusStore';
import { tenantsInStatus } from '../../service/src/tenantListing';

const AT = '2026-11-29T00:00:00.000Z';
const state = (tenant: string, status: ConnectionStatus): TenantConnectionState => ({ tenant, status, reason: 'test', since: AT, lastCheckAt: AT, nextCheckAt: AT, failures: 0 });

/** A finished tenant record, as much of it as the tenant list reads. */
function record(tenant: string): string {
  const step = { status: 'done' };
  return JSON.stringify({
    version: 1, tenant, completedAt: AT, updatedAt: AT, settings: { tenant, accountId: '1234567' }, certificate: { certificateId: `cert-${tenant}`, notAfter: '2028-01-01T00:00:00.000Z' },
    steps: { authorize: step, bundle: step, certificate: step, configure: step, verify: step },
  });
}

/** Counts the keys read through get() and getMany(). */
class CountingStore extends MemoryTokenStore {
  keysRead = 0;
  override async get(key: string) {
    this.keysRead++;
    return super.get(key);
  }
  override async getMany(keys: readonly string[]) {
    this.keysRead += keys.length;
    return super.getMany(keys);
  }
}

describe('status index', () => {
  it('follows every status change and removal', async () => {
    const store = new MemoryTokenStore();
    const statuses = new StatusStore(store);
    await statuses.update('acme', () => state('acme', 'healthy'));
    await statuses.update('beta', () => state('beta', 'healthy'));
    expect(await statuses.tenantsIn('healthy')).toEqual(['acme', 'beta']);
    await statuses.update('acme', (previous) => ({ ...previous!, status: 'needs_certificate' }));
    expect(await statuses.tenantsIn('healthy')).toEqual(['beta']);
    expect(await statuses.tenantsIn('needs_certificate')).toEqual(['acme']);
    await statuses.remove('acme');
    expect(await statuses.tenantsIn('needs_certificate')).toEqual([]);
    expect(await store.list(STATUS_INDEX_PREFIX)).toEqual([`${STATUS_INDEX_PREFIX}healthy:beta`]);
  });

  it('reindex() adds what is missing (statuses from before the index) and drops what is stale', async () => {
    const store = new MemoryTokenStore();
    const statuses = new StatusStore(store);
    await store.compareAndSwap(`${STATUS_PREFIX}old`, null, JSON.stringify(state('old', 'degraded')));
    await store.compareAndSwap(`${STATUS_INDEX_PREFIX}healthy:old`, null, '');
    await store.compareAndSwap(`${STATUS_INDEX_PREFIX}healthy:gone`, null, '');
    expect(await statuses.reindex()).toEqual({ added: 1, removed: 2 });
    expect(await store.list(STATUS_INDEX_PREFIX)).toEqual([`${STATUS_INDEX_PREFIX}degraded:old`]);
    expect(await statuses.reindex()).toEqual({ added: 0, removed: 0 });
  });

  it('a page reads its own tenants only, skips stale entries and removed tenants, and pages by name', async () => {
    const store = new CountingStore();
    const statuses = new StatusStore(store);
    const names = Array.from({ length: 2000 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    for (const [i, tenant] of names.entries()) {
      await store.compareAndSwap(RECORD_PREFIX + tenant, null, record(tenant));
      await statuses.update(tenant, () => state(tenant, i % 10 === 0 ? 'needs_certificate' : 'healthy'));
    }
    // A change in flight: the index still says needs_certificate, the record says healthy. And a tenant removed
    // whose status is still there (the sweep forgets it later).
    await store.compareAndSwap(`${STATUS_INDEX_PREFIX}needs_certificate:t0011`, null, '');
    await store.delete(RECORD_PREFIX + 't0020');

    store.keysRead = 0;
    const first = await tenantsInStatus(store, statuses, { status: 'needs_certificate', limit: 3 });
    expect(first.tenants.map((t) => t.summary.tenant)).toEqual(['t0000', 't0010', 't0030']);
    expect(first.tenants[0]).toMatchObject({ summary: { accountId: '1234567', status: 'completed', certificateId: 'cert-t0000' }, state: { status: 'needs_certificate' } });
    expect(first.more).toBe(true);
    // 200 tenants in the status out of 2,000: a page of 3 reads a few batches of (status, record), not every tenant.
    expect(store.keysRead).toBeLessThanOrEqual(3 * 2 * 8);

    const next = await tenantsInStatus(store, statuses, { status: 'needs_certificate', limit: 3, after: 't0030' });
    expect(next.tenants.map((t) => t.summary.tenant)).toEqual(['t0040', 't0050', 't0060']);
    const last = await tenantsInStatus(store, statuses, { status: 'needs_certificate', limit: 500, after: 't1900' });
    expect(last.tenants.map((t) => t.summary.tenant)).toEqual(['t1910', 't1920', 't1930', 't1940', 't1950', 't1960', 't1970', 't1980', 't1990']);
    expect(last.more).toBe(false);
    const visible = await tenantsInStatus(store, statuses, { status: 'needs_certificate', limit: 10, visible: (t) => t === 't0500' });
    expect(visible).toEqual({ tenants: [expect.objectContaining({ summary: expect.objectContaining({ tenant: 't0500' }) })], more: false });
  });
});
