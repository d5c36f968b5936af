/** A tenant's connection sizes its limiter from the account limit onboarding learned (governanceLimits). */
import type { ConcurrencySlots } from '../../client/src/http/accountSemaphore';
import { buildConnection, connectionLimit } from '../../client/src/onboarding/connection';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { TenantRepository } from '../../client/src/onboarding/repository';
import { MemoryTokenStore } from '../../client/src/store/memory';

function record(concurrency: TenantRecord['concurrency']): TenantRecord {
  return {
    tenant: 'acme',
    settings: { tenant: 'acme', accountId: '1234567', authClient: { clientId: 'a' }, ccClient: { clientId: 'c' } },
    ...(concurrency ? { concurrency } : {}),
  } as unknown as TenantRecord;
}

const auth = { getAccessToken: async () => 'token', invalidate: async () => undefined };
const clock = { now: () => 0 };
const at = '2026-11-30T00:00:00.000Z';

describe('the learned account limit sizes a tenant connection', () => {
  it('an integration-reserved limit is used whole; a shared one keeps the configured share free', () => {
    expect(connectionLimit(record({ limit: 15, source: 'integration', at }), 0.2)).toBe(15);
    expect(connectionLimit(record({ limit: 10, source: 'unallocated', at }), 0.2)).toBe(8);
    expect(connectionLimit(record({ limit: 10, source: 'account', at }))).toBe(10);
    expect(connectionLimit(record({ unavailable: 'governanceLimits answered 403', at }))).toBeUndefined();
    expect(connectionLimit(record(undefined))).toBeUndefined();
  });

  it('the connection limiter has the learned size, or NetSuite\'s smallest limit (5) when none was learned', () => {
    const sizeOf = (r: TenantRecord, keepFreeShare?: number) =>
      buildConnection(r, auth, { clock, ...(keepFreeShare === undefined ? {} : { keepFreeShare }) }).http.limiter.max;
    expect(sizeOf(record({ limit: 12, source: 'integration', at }))).toBe(12);
    expect(sizeOf(record({ limit: 10, source: 'unallocated', at }), 0.5)).toBe(5);
    expect(sizeOf(record({ unavailable: 'not permitted', at }))).toBe(5);
  });

  it('a shared limiter (Redis semaphore) is asked for with the learned size', () => {
    const asked: Array<[string, number]> = [];
    const shared: ConcurrencySlots = { max: 7, active: 0, waiting: 0, run: (task) => task() };
    const connection = buildConnection(record({ limit: 7, source: 'integration', at }), auth, {
      clock,
      limiterFor: (accountId, limit) => {
        asked.push([accountId, limit]);
        return shared;
      },
    });
    expect(asked).toEqual([['1234567', 7]]);
    expect(connection.http.limiter).toBe(shared);
  });
});

describe('OnboardingOrchestrator.connect', () => {
  it('sizes the connection from the tenant\'s learned limit with the orchestrator\'s keepFreeShare', async () => {
    const store = new MemoryTokenStore();
    const completed = {
      ...record({ limit: 10, source: 'unallocated', at }),
      completedAt: at,
      version: 1,
      certificate: { certificateId: 'cert-1', entity: 7 },
    } as unknown as TenantRecord;
    await new TenantRepository(store).save(completed, null);
    const orchestrator = new OnboardingOrchestrator({ store, keepFreeShare: 0.3 });
    expect((await orchestrator.connect('acme')).http.limiter.max).toBe(7);
  });

  it('refuses a keepFreeShare outside [0, 1) when it is created, naming the field', () => {
    expect(() => new OnboardingOrchestrator({ store: new MemoryTokenStore(), keepFreeShare: 1 })).toThrow(/keepFreeShare/);
  });
});
