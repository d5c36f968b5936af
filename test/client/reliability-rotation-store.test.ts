import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { ManualClock } from '../../client/src/clock';
import { StoreError } from '../../client/src/errors';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { RedisTokenStore } from '../../client/src/store/redis';
import { SqliteTokenStore } from '../../client/src/store/sqlite';
import type { TokenStore } from '../../client/src/store/types';
import { TokenManager } from '../../client/src/tokens/manager';
import { authorizationStoreKey } from '../../client/src/tokens/storedAuthorization';
import type { TokenKey } from '../../client/src/tokens/types';
import { haveRedis, TestRedis } from './support/redisServer';
import { TokenFaultServer } from './support/reliabilityFaultServer';


// Starts and stops redis-server processes: an upper bound for process start-up on a busy machine, not a speed goal.
jest.setTimeout(60_000);
const KEY: TokenKey = { tenant: '1234567', grant: 'authorization_code', scopes: ['restlets'] };
const STORE_KEY = authorizationStoreKey(KEY);
const HOUR = 3_600_000;

let server: TokenFaultServer;
beforeEach(async () => {
  server = await new TokenFaultServer().start();
});
afterEach(() => server.close());

function authClient(clock: ManualClock, beforeRefresh: () => Promise<void> = async () => undefined): AuthorizationCodeClient {
  return new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback', scopes: ['restlets'], clock,
    fetch: async (_input, init) => {
      await beforeRefresh();
      return fetch(server.url, init);
    },
  });
}

/** Writes fail while `failing` is true; reads always work. */
function flakyStore(inner: TokenStore): TokenStore & { failing: boolean } {
  const store = Object.assign(Object.create(inner) as TokenStore, { failing: false });
  store.compareAndSwap = async (key, version, value) => {
    if (store.failing) throw new StoreError('STORE_ERROR', 'Could not write the token store (SQLITE_BUSY).');
    return inner.compareAndSwap(key, version, value);
  };
  return store;
}

async function seed(manager: TokenManager, clock: ManualClock): Promise<string> {
  const refreshToken = server.grantRefreshToken();
  await manager.saveAuthorization(KEY, { accessToken: 'old', refreshToken, expiresAt: clock.now() - 1000, scopes: ['restlets'], tokenType: 'Bearer' });
  return refreshToken;
}

describe('a rotated refresh token is never dropped (issue 9 §3)', () => {
  it('serves calls from memory while the store refuses writes, and saves the pair once it accepts them', async () => {
    const clock = new ManualClock(Date.now());
    const inner = new MemoryTokenStore();
    const store = flakyStore(inner);
    const sleeps: number[] = [];
    let noticed!: () => void;
    const attention = new Promise<void>((resolve) => (noticed = resolve));
    const manager = new TokenManager({ store, clock, saveRetries: 3, sleep: async (ms) => void sleeps.push(ms), onNeedsAttention: () => noticed() });
    const source = { kind: 'authorization_code' as const, client: authClient(clock) };
    const first = await seed(manager, clock);
    store.failing = true;
    const token = await manager.getAccessToken(KEY, source);
    expect(token).toMatch(/^at-/);
    await attention;
    expect(sleeps).toEqual([250, 500]); // 3 attempts, backoff between them
    expect(manager.needsAttention().map((n) => n.key.tenant)).toEqual(['1234567']);
    // The store still holds the consumed token; the live one is only in memory. An hour later the manager
    // refreshes with the in-memory token (NetSuite accepts it), not the dead stored one.
    clock.advance(HOUR);
    const second = await manager.getAccessToken(KEY, source);
    expect(second).not.toBe(token);
    const refreshes = server.seen.filter((s) => s.form.grant_type === 'refresh_token').map((s) => s.form.refresh_token);
    expect(refreshes[0]).toBe(first);
    expect(refreshes[1]).not.toBe(first);
    store.failing = false;
    await manager.flush();
    expect(manager.needsAttention()).toEqual([]);
    const saved = JSON.parse((await inner.get(STORE_KEY))!.value);
    expect(saved.accessToken).toBe(second);
    // The saved refresh token is the live one: NetSuite accepts it.
    await expect(authClient(clock).refresh(saved.refreshToken)).resolves.toMatchObject({ accessToken: expect.stringMatching(/^at-/) });
  });

  it('marks the tenant as needing attention with AUTHORIZATION_NOT_SAVED, once, when the store never comes back', async () => {
    const clock = new ManualClock(Date.now());
    const store = flakyStore(new MemoryTokenStore());
    const attention: Array<{ tenant: string; code: string; message: string }> = [];
    const manager = new TokenManager({
      store, clock, saveRetries: 2, sleep: async () => undefined,
      onNeedsAttention: (key, error) => attention.push({ tenant: key.tenant, code: error.code, message: error.message }),
    });
    await seed(manager, clock);
    store.failing = true;
    await manager.getAccessToken(KEY, { kind: 'authorization_code', client: authClient(clock) });
    await expect(manager.flush()).rejects.toMatchObject({ code: 'AUTHORIZATION_NOT_SAVED' });
    expect(attention).toHaveLength(1);
    expect(attention[0]).toMatchObject({ tenant: '1234567', code: 'AUTHORIZATION_NOT_SAVED' });
    expect(attention[0]!.message).toMatch(/SQLITE_BUSY/);
    expect(attention[0]!.message).toMatch(/must authorize again/);
    expect(attention[0]!.message).not.toMatch(/rt-\d/);
  });

  it('SQLite busy (another process holds the write lock) during the rotation: kept in memory, saved once the lock is released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-sqlite-busy-'));
    const path = join(dir, 'tokens.db');
    const secretKey = randomBytes(32);
    const clock = new ManualClock(Date.now());
    const store = new SqliteTokenStore({ path, secretKey, busyTimeoutMs: 0 });
    const locker = new Database(path);
    let release = (): void => undefined;
    let saveRetries = 0;
    const manager = new TokenManager({
      store, clock,
      // The other process commits while this one waits to retry the save.
      sleep: async () => {
        saveRetries++;
        release();
      },
    });
    try {
      await seed(manager, clock);
      const client = authClient(clock, async () => {
        if (!locker.inTransaction) {
          locker.exec('BEGIN IMMEDIATE');
          release = () => {
            if (locker.inTransaction) locker.exec('COMMIT');
          };
        }
      });
      const token = await manager.getAccessToken(KEY, { kind: 'authorization_code', client });
      await manager.flush();
      expect(saveRetries).toBeGreaterThanOrEqual(1); // the first save met SQLITE_BUSY
      const reader = new SqliteTokenStore({ path, secretKey });
      const saved = JSON.parse((await reader.get(STORE_KEY))!.value);
      await reader.close();
      expect(saved.accessToken).toBe(token);
      await expect(authClient(clock).refresh(saved.refreshToken)).resolves.toBeDefined();
    } finally {
      locker.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (haveRedis ? it : it.skip)('Redis stopped during the rotation and restarted: the new pair reaches Redis and stays usable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-redis-rotation-'));
    const redis = await TestRedis.start(dir);
    const secretKey = randomBytes(32);
    const clock = new ManualClock(Date.now());
    const store = new RedisTokenStore({ redis: { host: '127.0.0.1', port: redis.port, retryStrategy: () => 20 }, secretKey, namespace: 'rot:', logger: () => undefined });
    let stopBeforeRefresh = false;
    let restarted = false;
    const manager = new TokenManager({
      store, clock,
      // The first save retry happens after Redis is back.
      sleep: async () => {
        if (!restarted) {
          restarted = true;
          await redis.start();
        }
      },
    });
    try {
      await seed(manager, clock);
      stopBeforeRefresh = true;
      const client = authClient(clock, async () => {
        if (stopBeforeRefresh) {
          stopBeforeRefresh = false;
          await redis.stop();
        }
      });
      const token = await manager.getAccessToken(KEY, { kind: 'authorization_code', client });
      await manager.flush();
      expect(restarted).toBe(true);
      // Another process reading Redis now finds the rotated pair, and its refresh token works.
      const other = new RedisTokenStore({ redis: redis.url, secretKey, namespace: 'rot:' });
      const saved = JSON.parse((await other.get(STORE_KEY))!.value);
      expect(saved.accessToken).toBe(token);
      await expect(authClient(clock).refresh(saved.refreshToken)).resolves.toBeDefined();
      await other.close();
    } finally {
      await store.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
