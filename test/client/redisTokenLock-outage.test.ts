/** A held Redis token lock whose lease refresh fails (Redis down) keeps the lock until its lease runs out, unhandled rejection free. */
import Redis from 'ioredis';
import { RedisTokenLock } from '../../client/src/tokens/redisTokenLock';
import { startRedis } from '../support/redis';

describe('RedisTokenLock while Redis is down', () => {
  it('the refresh timer fails quietly; the lock is taken again once Redis is back', async () => {
    const { redis, destroy } = await startRedis();
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const lock = new RedisTokenLock({ redis: client, leaseMs: 300 });
      const held = await lock.tryAcquire('tenant-a');
      expect(held).toBeDefined();
      await redis.stop();
      // Several refresh periods (every leaseMs / 3) pass with Redis down; each refresh fails.
      await new Promise((r) => setTimeout(r, 600));
      await held!.release();
      await redis.start();
      let again: Awaited<ReturnType<RedisTokenLock['tryAcquire']>>;
      for (let i = 0; i < 100 && !again; i++) {
        again = await lock.tryAcquire('tenant-a').catch(() => undefined);
        if (!again) await new Promise((r) => setTimeout(r, 50));
      }
      expect(again).toBeDefined();
      await again!.release();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      client.disconnect();
      await destroy();
    }
  });
});
