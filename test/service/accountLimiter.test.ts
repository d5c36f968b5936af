/**
 * The service's NetSuite requests (jobs and proxy) take their slots from one Redis semaphore per account, shared by
 * every replica, sized from the limit learned at onboarding unless the operator sets one.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { RedisAccountSemaphore } from '../../client/src/http/accountSemaphore';
import { TenantRepository } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { MemoryTokenStore } from '../../client/src/store';
import { SuiteBridgeService, type ServiceOptions } from '../../service/src/service';
import { startRedis } from '../support/redis';

describe('the service\'s account limiter', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const services: SuiteBridgeService[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.stop()));
  });
  afterAll(async () => redis?.destroy());

  function replica(o: Partial<ServiceOptions> = {}, queueName = `limiter-${randomBytes(4).toString('hex')}`): SuiteBridgeService {
    const service = new SuiteBridgeService({ store: new MemoryTokenStore(), redis: redis.redis.url, queueName, logger: pino({ level: 'silent' }), ...o });
    services.push(service);
    return service;
  }

  it('two replicas share one limit per account: tasks beyond it wait for a slot held by the other replica', async () => {
    const queueName = `limiter-${randomBytes(4).toString('hex')}`;
    const a = replica({}, queueName).limiterFor('1234567', 2);
    const b = replica({}, queueName).limiterFor('1234567', 2);
    expect(a).toBeInstanceOf(RedisAccountSemaphore);
    const gates = [0, 1].map(() => {
      let open!: () => void;
      return { promise: new Promise<void>((r) => (open = r)), open: () => open() };
    });
    const held = gates.map((gate) => a.run(() => gate.promise));
    await until(async () => (await (a as RedisAccountSemaphore).inspect()).holders === 2);
    let ran = false;
    const waiting = b.run(async () => void (ran = true));
    await until(async () => (await (b as RedisAccountSemaphore).inspect()).queued === 1);
    expect(ran).toBe(false);
    gates[0]!.open();
    await waiting;
    expect(ran).toBe(true);
    gates[1]!.open();
    await Promise.all(held);
  });

  it('the jobs\' tenant connections use the same limiter as the proxy, sized from the learned limit', async () => {
    const store = new MemoryTokenStore();
    const record = {
      version: 1, tenant: 'acme', completedAt: '2026-11-30T00:00:00.000Z', certificate: { certificateId: 'c1', entity: 7 },
      settings: { tenant: 'acme', accountId: '1234567', authClient: { clientId: 'a' }, ccClient: { clientId: 'c' } },
      concurrency: { limit: 4, source: 'integration', at: '2026-11-30T00:00:00.000Z' },
    } as unknown as TenantRecord;
    await new TenantRepository(store).save(record, null);
    const service = replica({ store });
    const connection = await service.orchestrator.connect('acme');
    expect(connection.http.limiter).toBe(service.limiterFor('1234567', 4));
    expect(connection.http.limiter.max).toBe(4);
  });

  it('keepFreeShare leaves part of a shared learned limit free for the jobs as for the proxy', async () => {
    const store = new MemoryTokenStore();
    const record = {
      version: 1, tenant: 'globex', completedAt: '2026-11-30T00:00:00.000Z', certificate: { certificateId: 'c1', entity: 7 },
      settings: { tenant: 'globex', accountId: '7654321', authClient: { clientId: 'a' }, ccClient: { clientId: 'c' } },
      concurrency: { limit: 10, source: 'unallocated', at: '2026-11-30T00:00:00.000Z' },
    } as unknown as TenantRecord;
    await new TenantRepository(store).save(record, null);
    const service = replica({ store, keepFreeShare: 0.5 });
    expect(service.keepFreeShare).toBe(0.5);
    expect((await service.orchestrator.connect('globex')).http.limiter.max).toBe(5);
    expect(() => replica({ keepFreeShare: 1 })).toThrow(/keepFreeShare/);
  });

  it('an operator-set limit applies to every request of the service; accountSemaphore: false keeps a limiter per process', () => {
    expect(replica({ accountConcurrency: 3 }).limiterFor('7654321', 10).max).toBe(3);
    const local = replica({ accountSemaphore: false }).limiterFor('7654321', 2);
    expect(local).not.toBeInstanceOf(RedisAccountSemaphore);
    expect(local.max).toBe(2);
    expect(() => replica({ accountConcurrency: 0 })).toThrow(/accountConcurrency/);
  });
});

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met');
}
