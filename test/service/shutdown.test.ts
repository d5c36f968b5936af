/** Graceful shutdown: stop() while a tenant job is mid-call lets it finish and record its result before resolving. */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { defaultFetch } from '../../client/src/http/transport';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { MemoryTokenStore } from '../../client/src/store';
import { SuiteBridgeService } from '../../service/src/service';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';

describe('graceful shutdown', () => {
  let fleet: Fleet;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const store = new MemoryTokenStore();

  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startFleet(), startRedis()]);
    await fleet.onboard(fleet.newOrchestrator(store), 'acme', '1234567');
  }, 120_000);
  afterAll(async () => Promise.all([fleet?.stop(), redis?.destroy()]));

  it('finishes the running job, then stops', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let callStarted!: () => void;
    const started = new Promise<void>((r) => (callStarted = r));
    const held: typeof fetch = async (input, init) => {
      if (String(input).includes('restlet.nl')) {
        callStarted();
        await gate;
      }
      return defaultFetch(input, init);
    };
    const service = new SuiteBridgeService({
      store,
      redis: redis.redis.url,
      queueName: `shutdown-${randomBytes(4).toString('hex')}`,
      now: fleet.now,
      fetch: held,
      orchestrator: ({ fetch, now }) => new OnboardingOrchestrator({ store, clock: { now }, fetch }),
      logger: pino({ level: 'silent' }),
    });
    await service.start();
    await started; // the first sweep's tenant job is inside its health call
    let stopped = false;
    const stopping = service.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false); // waits for the running job
    expect(await service.statuses.get('acme')).toBeUndefined();
    release();
    await stopping;
    expect(await service.statuses.get('acme')).toMatchObject({ status: 'healthy' });
  }, 60_000);
});
