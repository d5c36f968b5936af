import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect, createServer } from 'node:net';
import Redis from 'ioredis';
import { RedisTokenStore } from '../../client/src/store/redis';
import { StoreError } from '../../client/src/errors';
import { tokenStoreContractCases } from '../support/tokenStoreContract';

const haveRedis = spawnSync('redis-server', ['--version']).status === 0;
if (!haveRedis) process.stderr.write('storeRedis.test: redis-server is not installed (CI installs it via .ci/run); skipping\n');
const describeRedis = haveRedis ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

describeRedis('RedisTokenStore', () => {
  let server: ChildProcess;
  let url: string;
  const key = randomBytes(32);

  beforeAll(async () => {
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
    await waitForPort(port);
  }, 20_000);

  afterAll(() => {
    server.kill('SIGTERM');
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
