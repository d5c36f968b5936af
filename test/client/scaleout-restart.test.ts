import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { TestRedis } from '../../bench/redisProcess';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { SuiteBridgeError } from '../../client/src/errors';
import { RedisAccountSemaphores } from '../../client/src/http/accountSemaphore';
import { PostgresTokenStore } from '../../client/src/store/postgres';
import { RedisTokenStore } from '../../client/src/store/redis';
import type { TokenStore } from '../../client/src/store/types';
import { TokenManager } from '../../client/src/tokens/manager';
import { authorizationStoreKey } from '../../client/src/tokens/storedAuthorization';
import { RedisTokenLock } from '../../client/src/tokens/redisTokenLock';
import type { TokenKey } from '../../client/src/tokens/types';
import { startPostgres, type PostgresInstance } from '../support/postgres';
import { CountingTokenServer, SCOPES } from './support/scaleoutHarness';

jest.setTimeout(120_000);

const EC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

async function failureOf(promise: Promise<unknown>): Promise<SuiteBridgeError> {
  try {
    await promise;
  } catch (err) {
    return err as SuiteBridgeError;
  }
  throw new Error('expected a failure');
}

/** Retries `action` until it succeeds (the server has just come back; pools and clients reconnect). */
async function eventually<T>(action: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return await action();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw last;
}

describe('the shared store restarted mid-run', () => {
  let dir: string;
  let pg: PostgresInstance;
  let redis: TestRedis;
  let baseUrl: string;
  const server = new CountingTokenServer();
  const secret = randomBytes(32);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-restart-'));
    [pg, redis] = await Promise.all([startPostgres(), TestRedis.start(dir)]);
    server.delayMs = 0;
    baseUrl = await server.listen();
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await redis?.stop();
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const authSource = (tenant: string) => ({
    kind: 'authorization_code' as const,
    client: new AuthorizationCodeClient({ accountId: tenant, clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback', scopes: SCOPES, baseUrl, dangerouslyAllowInsecureHttp: true }),
  });
  const m2mSource = (tenant: string) => ({
    kind: 'client_credentials' as const,
    client: new ClientCredentialsClient({
      accountId: tenant, clientId: 'c'.repeat(64), certificateId: 'cert-1', privateKey: EC_KEY, scopes: SCOPES,
      tokenUrl: `${baseUrl}/token/${tenant}`, dangerouslyAllowInsecureHttp: true,
    }),
  });

  /** Seeds an authorization and a private key row; returns a function that rotates the refresh token once. */
  async function seed(store: TokenStore, manager: TokenManager, tenant: string) {
    const key: TokenKey = { tenant, grant: 'authorization_code', scopes: SCOPES };
    await manager.saveAuthorization(key, { accessToken: 'at-0', refreshToken: server.seedRefreshToken(tenant), expiresAt: Date.now() - 1, scopes: SCOPES, tokenType: 'Bearer' });
    await store.compareAndSwap(`suitebridge:private-key:${tenant}`, null, EC_KEY);
    const source = authSource(tenant);
    return {
      key,
      rotate: async () => {
        await manager.invalidate(key);
        return manager.getAccessToken(key, source);
      },
    };
  }

  async function expectNothingLost(store: TokenStore, tenant: string, key: TokenKey): Promise<void> {
    const row = (await store.get(authorizationStoreKey(key)))!;
    // The refresh token the store holds is the one the server accepts next: no rotation was lost.
    expect(JSON.parse(row.value).refreshToken).toBe(server.liveRefreshToken(tenant));
    expect((await store.get(`suitebridge:private-key:${tenant}`))?.value).toBe(EC_KEY);
  }

  it('PostgreSQL crashes and comes back: refreshes fail clearly while it is down, resume after; no refresh token or key lost', async () => {
    const tenant = '5000001';
    const store = new PostgresTokenStore({ postgres: pg.url, secretKey: secret, connectionTimeoutMs: 2000 });
    const manager = new TokenManager({ store });
    const { key, rotate } = await seed(store, manager, tenant);
    expect(await rotate()).toMatch(/^at-rt-/);
    const refusedBefore = server.refused;

    await pg.stop('immediate');
    const whileDown = await failureOf(rotate());
    expect(whileDown.code).toBe('STORE_ERROR');
    expect(whileDown.message).toMatch(/PostgreSQL token store/);
    // Client-credentials calls go on: the token is minted locally when the store cannot share one.
    expect(await manager.getAccessToken({ tenant: '5000009', grant: 'client_credentials', scopes: SCOPES }, m2mSource('5000009'))).toMatch(/^cc-/);

    await pg.start();
    expect(await eventually(rotate)).toMatch(/^at-rt-/);
    expect(server.refused).toBe(refusedBefore);
    await expectNothingLost(store, tenant, key);
    await store.close();
  });

  it('Redis restarts: calls through the lock and the account semaphore fail clearly while it is down, resume after; nothing lost', async () => {
    const tenant = '6000001';
    const lockClient = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    lockClient.on('error', () => undefined);
    const store = new RedisTokenStore({ redis: redis.url, secretKey: secret, logger: () => undefined });
    const semaphores = new RedisAccountSemaphores({ redis: redis.url, leaseMs: 2000, acquireTimeoutMs: 3000 });
    const manager = new TokenManager({ store, lock: new RedisTokenLock({ redis: lockClient, leaseMs: 2000 }) });
    const { key, rotate } = await seed(store, manager, tenant);
    const slots = semaphores.forAccount(tenant, 2);
    const call = () => slots.run(() => rotate());
    expect(await call()).toMatch(/^at-rt-/);
    const refusedBefore = server.refused;

    await redis.stop();
    const whileDown = await failureOf(call());
    expect(whileDown).toBeInstanceOf(SuiteBridgeError);
    expect(whileDown.message).toMatch(/Redis/);

    await redis.start();
    expect(await eventually(call)).toMatch(/^at-rt-/);
    expect(server.refused).toBe(refusedBefore);
    await expectNothingLost(store, tenant, key);
    await semaphores.close();
    await store.close();
    lockClient.disconnect();
  });
});
