import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisTokenStore } from '../../client/src/store/redis';
import { StoreError } from '../../client/src/errors';
import { tokenStoreContractCases } from '../support/tokenStoreContract';
import { TestRedis, freePort, haveRedis } from '../../bench/redisProcess';

describe('RedisTokenStore', () => {
  let server: TestRedis;
  let url: string;
  let dataDir: string;
  const key = randomBytes(32);

  beforeAll(async () => {
    if (!haveRedis) throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run does this on CI).');
    dataDir = mkdtempSync(join(tmpdir(), 'sbr-redis-store-'));
    server = await TestRedis.start(dataDir, ['--save', '', '--appendonly', 'no']);
    url = server.url;
  }, 20_000);

  afterAll(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('contract (the cases every store runs)', () => {
    let n = 0;
    tokenStoreContractCases(() => new RedisTokenStore({ redis: url, secretKey: key, allowVolatileRedis: true, logger: () => undefined, namespace: `contract${++n}:` }));
  });

  test('get, compare-and-swap versions, list by prefix and delete', async () => {
    const store = new RedisTokenStore({ redis: url, secretKey: key, allowVolatileRedis: true, logger: () => undefined, namespace: `t1:` });
    expect(await store.get('tenant:a:refresh')).toBeUndefined();
    expect(await store.compareAndSwap('tenant:a:refresh', null, 'one')).toBe(true);
    expect(await store.compareAndSwap('tenant:a:refresh', null, 'again')).toBe(false);
    expect(await store.get('tenant:a:refresh')).toEqual({ value: 'one', version: 1 });
    expect(await store.compareAndSwap('tenant:a:refresh', 2, 'stale')).toBe(false);
    expect(await store.compareAndSwap('tenant:a:refresh', 1, 'two')).toBe(true);
    expect(await store.get('tenant:a:refresh')).toEqual({ value: 'two', version: 2 });
    await store.compareAndSwap('tenant:b:key', null, 'x');
    await store.compareAndSwap('other', null, 'y');
    expect(await store.list('tenant:')).toEqual(['tenant:a:refresh', 'tenant:b:key']);
    expect(await store.list('')).toEqual(['other', 'tenant:a:refresh', 'tenant:b:key']);
    await store.delete('tenant:a:refresh');
    expect(await store.get('tenant:a:refresh')).toBeUndefined();
    expect(await store.list('tenant:')).toEqual(['tenant:b:key']);
    await store.close();
  });

  test('concurrent writers on separate connections: exactly one wins each version', async () => {
    const stores = Array.from({ length: 4 }, () => new RedisTokenStore({ redis: url, secretKey: key, allowVolatileRedis: true, logger: () => undefined, namespace: 't2:' }));
    await stores[0]!.compareAndSwap('chain', null, '0');
    let successes = 0;
    await Promise.all(
      stores.map(async (store, worker) => {
        for (let i = 0; i < 25; i++) {
          for (;;) {
            const current = await store.get('chain');
            if (await store.compareAndSwap('chain', current!.version, `${Number(current!.value) + 1}`)) {
              successes++;
              break;
            }
          }
          void worker;
        }
      }),
    );
    const final = await stores[0]!.get('chain');
    expect(successes).toBe(100);
    expect(final).toEqual({ value: '100', version: 101 });
    await Promise.all(stores.map((s) => s.close()));
  });

  test('values are encrypted in Redis and a wrong key is refused without writing', async () => {
    const store = new RedisTokenStore({ redis: url, secretKey: key, allowVolatileRedis: true, logger: () => undefined, namespace: 't3:' });
    const secret = 'eyJhbGciOiJSUzI1NiJ9.refresh-token-payload.signature';
    await store.compareAndSwap('tenant:x:refresh', null, secret);
    const raw = new Redis(url);
    const dump = JSON.stringify(await raw.hgetall('t3:row:tenant:x:refresh'));
    expect(dump).not.toContain('refresh-token-payload');
    expect(dump).not.toContain(Buffer.from(secret).toString('base64').slice(0, 20));

    const wrong = new RedisTokenStore({ redis: url, secretKey: randomBytes(32), allowVolatileRedis: true, logger: () => undefined, namespace: 't3:' });
    await expect(wrong.compareAndSwap('tenant:y', null, 'v')).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
    expect(await raw.exists('t3:row:tenant:y')).toBe(0);
    expect(await store.get('tenant:x:refresh')).toEqual({ value: secret, version: 1 });
    await raw.quit();
    await Promise.all([store.close(), wrong.close()]);
  });

  test('a missing shared key is a configuration error naming SUITEBRIDGE_SECRET_KEY', () => {
    expect(() => new RedisTokenStore({ redis: url, env: {} })).toThrow(/SUITEBRIDGE_SECRET_KEY/);
  });

  test('an unreachable Redis becomes a StoreError with a remedy', async () => {
    const port = await freePort();
    const store = new RedisTokenStore({ redis: { port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null }, secretKey: key });
    const failure = await store.get('k').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).remedy).toMatch(/Redis URL/);
    await store.close();
  });
});
