/** Listing tenants reads the store in batches (getMany), not one round trip per record. */
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { ACTIVITY_PREFIX, TenantRepository } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { MemoryTokenStore } from '../../client/src/store/memory';

class CountingStore extends MemoryTokenStore {
  gets = 0;
  getManys = 0;
  override async get(key: string) {
    this.gets++;
    return super.get(key);
  }
  override async getMany(keys: readonly string[]) {
    this.getManys++;
    return super.getMany(keys);
  }
}

function record(tenant: string): TenantRecord {
  return {
    version: 1, tenant, createdAt: '2026-11-30T00:00:00.000Z', updatedAt: '2026-11-30T00:00:00.000Z',
    settings: { tenant, accountId: `${1000000 + tenant.length}`, authClient: { clientId: 'a' }, ccClient: { clientId: 'c' } },
    steps: { authorize: { status: 'done' }, bundle: { status: 'done' }, certificate: { status: 'done' }, finalize: { status: 'done' } }, authorization: {}, audit: [],
    lastToken: { at: '2026-11-29T00:00:00.000Z', expiresAt: '2026-11-29T01:00:00.000Z', certificateId: 'old' },
  } as unknown as TenantRecord;
}

describe('OnboardingOrchestrator.list', () => {
  it('reads 1,200 tenants in 6 batched reads (records and activity, 500 a batch), with the newer activity merged', async () => {
    const store = new CountingStore();
    const repo = new TenantRepository(store);
    const names = Array.from({ length: 1200 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    for (const name of names) await repo.save(record(name), null);
    await repo.recordActivity('tenant-0007', { lastToken: { at: '2026-11-30T09:00:00.000Z', expiresAt: '2026-11-30T10:00:00.000Z', certificateId: 'new' } });
    store.gets = 0;
    store.getManys = 0;
    const listed = await new OnboardingOrchestrator({ store }).list();
    expect(listed.map((t) => t.tenant)).toEqual(names);
    expect({ gets: store.gets, getManys: store.getManys }).toEqual({ gets: 0, getManys: 6 });
    const loaded = await repo.loadMany(['tenant-0007', 'missing', 'tenant-0008']);
    expect(loaded.map((l) => [l.record.tenant, l.record.lastToken?.certificateId])).toEqual([['tenant-0007', 'new'], ['tenant-0008', 'old']]);
    expect((await store.list(ACTIVITY_PREFIX)).length).toBe(1);
  });
});
