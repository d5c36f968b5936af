import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisTokenStore } from '../../client/src/store/redis';
import { haveRedis, TestRedis } from './support/redisServer';


// Starts and stops redis-server processes: an upper bound for process start-up on a busy machine, not a speed goal.
jest.setTimeout(60_000);
const describeRedis = haveRedis ? describe : describe.skip;
const key = randomBytes(32);

describeRedis('Redis store under operators\' hands (issue 9 §6)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-redis-ops-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function withRedis(args: string[], work: (redis: TestRedis) => Promise<void>): Promise<void> {
    const redis = await TestRedis.start(dir, args);
    try {
      await work(redis);
    } finally {
      await redis.stop();
    }
  }

  it('refuses a Redis without AOF or RDB persistence, naming the fix', () =>
    withRedis(['--appendonly', 'no', '--save', ''], async (redis) => {
      const store = new RedisTokenStore({ redis: redis.url, secretKey: key, logger: () => undefined });
      const err = await store.get('k').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'STORE_ERROR' });
      expect((err as Error).message).toMatch(/keeps data only in memory/);
      expect((err as { remedy: string }).remedy).toMatch(/appendonly yes.*allowVolatileRedis/);
      await store.close();
    }));

  it('accepts it with allowVolatileRedis, warning once', () =>
    withRedis(['--appendonly', 'no', '--save', ''], async (redis) => {
      const lines: string[] = [];
      const store = new RedisTokenStore({ redis: redis.url, secretKey: key, allowVolatileRedis: true, logger: (l) => lines.push(l) });
      await store.compareAndSwap('k', null, 'v');
      expect(await store.get('k')).toEqual({ value: 'v', version: 1 });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/WARNING: .*only in memory/);
      await store.close();
    }));

  it('accepts RDB snapshots and AOF silently', async () => {
    for (const args of [['--appendonly', 'no', '--save', '3600 1'], ['--appendonly', 'yes', '--save', '']]) {
      await withRedis(args, async (redis) => {
        const lines: string[] = [];
        const store = new RedisTokenStore({ redis: redis.url, secretKey: key, logger: (l) => lines.push(l) });
        await store.compareAndSwap('k', null, 'v');
        expect(lines).toEqual([]);
        await store.close();
      });
    }
  });

  it('warns, without refusing, when CONFIG is disabled (managed Redis)', () =>
    withRedis(['--appendonly', 'no', '--save', '', '--rename-command', 'CONFIG', ''], async (redis) => {
      const lines: string[] = [];
      const store = new RedisTokenStore({ redis: redis.url, secretKey: key, logger: (l) => lines.push(l) });
      await store.compareAndSwap('k', null, 'v');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/could not check .* persists data \(CONFIG GET refused\)/);
      await store.close();
    }));

  it('an outage yields one line when it starts and one when it ends, no ioredis stack traces', () =>
    withRedis(['--appendonly', 'yes', '--save', ''], async (redis) => {
      const lines: string[] = [];
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      // A constant reconnect delay: the default grows to 2 s between attempts.
      const store = new RedisTokenStore({ redis: { host: '127.0.0.1', port: redis.port, retryStrategy: () => 20 }, secretKey: key, logger: (l) => lines.push(l) });
      try {
        await store.compareAndSwap('k', null, 'v');
        await redis.stop();
        for (let i = 0; i < 3; i++) await expect(store.get('k')).rejects.toMatchObject({ code: 'STORE_ERROR' });
        await redis.start();
        expect(await store.get('k')).toEqual({ value: 'v', version: 1 });
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(/^suitebridge: Redis token store at 127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\)/);
        expect(lines[1]).toMatch(/is reachable again/);
        expect(errors).not.toHaveBeenCalled();
      } finally {
        errors.mockRestore();
        await store.close();
      }
    }));
});
