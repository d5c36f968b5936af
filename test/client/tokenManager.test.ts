import { generateKeyPairSync } from 'node:crypto';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { ManualClock } from '../../client/src/clock';
import { StoreError, TokenEndpointError } from '../../client/src/errors';
import { MemoryTokenStore } from '../../client/src/store/memory';
import type { TokenStore } from '../../client/src/store/types';
import { TokenManager } from '../../client/src/tokens/manager';
import { authorizationStoreKey } from '../../client/src/tokens/storedAuthorization';
import type { TokenKey, TokenSet } from '../../client/src/tokens/types';
import { json, mockFetch, rejectionOf, type Handler } from './support/coreFetchMock';

const EC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const CC_KEY: TokenKey = { tenant: 'acme', grant: 'client_credentials', scopes: ['restlets', 'rest_webservices'] };
const AC_KEY: TokenKey = { tenant: 'acme', grant: 'authorization_code', scopes: ['restlets', 'rest_webservices'] };
const HOUR = 3_600_000;

function ccSetup(handler?: Handler, managerOptions: ConstructorParameters<typeof TokenManager>[0] = {}) {
  const clock = new ManualClock();
  let issued = 0;
  const mock = mockFetch(handler ?? (() => json(200, { access_token: `cc-${++issued}`, expires_in: '3600', token_type: 'Bearer' })));
  const client = new ClientCredentialsClient({
    accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'cert-1', privateKey: EC_KEY,
    scopes: ['restlets', 'rest_webservices'], fetch: mock.fetch, clock,
  });
  const manager = new TokenManager({ clock, random: () => 0, ...managerOptions });
  return { clock, client, manager, calls: mock.calls, source: { kind: 'client_credentials' as const, client } };
}

/** A token endpoint with NetSuite public-client semantics: each refresh token works once and is replaced. */
class OneTimeRefreshServer {
  private generation = 1;
  valid = new Set(['rt-1']);
  refreshes = 0;
  rejected = 0;
  beforeAnswer: ((refreshToken: string) => Promise<void> | void) | undefined;
  rotate = true;
  readonly handler: Handler = async (request) => {
    if (request.url.endsWith('/revoke')) return new Response('', { status: 200 });
    const presented = request.form.get('refresh_token') ?? '';
    if (this.beforeAnswer) await this.beforeAnswer(presented);
    if (!this.valid.has(presented)) {
      this.rejected++;
      return json(400, { error: 'invalid_grant' });
    }
    this.refreshes++;
    this.generation++;
    const body: Record<string, string> = { access_token: `at-${this.generation}`, expires_in: '3600', token_type: 'bearer' };
    if (this.rotate) {
      this.valid.delete(presented);
      this.valid.add(`rt-${this.generation}`);
      body['refresh_token'] = `rt-${this.generation}`;
    }
    return json(200, body);
  };
}

function initialTokens(clock: ManualClock): TokenSet {
  return { accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: clock.now() + HOUR, scopes: ['restlets', 'rest_webservices'], tokenType: 'Bearer' };
}

function acSetup(options: { store?: TokenStore; clock?: ManualClock; sleeps?: number[]; secret?: boolean; saveRetries?: number } = {}) {
  const clock = options.clock ?? new ManualClock();
  const server = new OneTimeRefreshServer();
  const mock = mockFetch(server.handler);
  const client = new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback',
    scopes: ['restlets', 'rest_webservices'], fetch: mock.fetch, clock, ...(options.secret ? { clientSecret: 's' } : {}),
  });
  const store = options.store ?? new MemoryTokenStore();
  const sleeps = options.sleeps ?? [];
  const manager = new TokenManager({ clock, store, random: () => 0, sleep: async (ms) => void sleeps.push(ms), ...(options.saveRetries !== undefined ? { saveRetries: options.saveRetries } : {}) });
  return { clock, server, client, store, manager, calls: mock.calls, sleeps, source: { kind: 'authorization_code' as const, client } };
}

async function storedRecord(store: TokenStore) {
  const row = await store.get(authorizationStoreKey(AC_KEY));
  return row ? { ...JSON.parse(row.value), version: row.version } : undefined;
}

describe('TokenManager with client credentials', () => {
  it('1,000 concurrent callers on a cold cache cause one token request', async () => {
    const { manager, source, calls } = ccSetup();
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => manager.getAccessToken(CC_KEY, source)));
    expect(calls).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(['cc-1']));
    expect(manager.tokenRequestCount).toBe(1);
  });

  it('serves the cache until the refresh margin plus skew, then refreshes ahead of expiry in the background', async () => {
    const { manager, source, calls, clock } = ccSetup();
    const start = clock.now();
    await manager.getAccessToken(CC_KEY, source);
    clock.set(start + HOUR - 360_000 - 1); // 300 s margin + 60 s skew
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('cc-1');
    expect(calls).toHaveLength(1);
    clock.set(start + HOUR - 360_000);
    // The caller is not made to wait: it gets the still-valid token while one refresh runs.
    expect(await Promise.all([manager.getAccessToken(CC_KEY, source), manager.getAccessToken(CC_KEY, source)])).toEqual(['cc-1', 'cc-1']);
    await manager.settled();
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('cc-2');
    expect(calls).toHaveLength(2);
  });

  it('honours a configured margin and skew', async () => {
    const { manager, source, clock } = ccSetup(undefined, { refreshMarginSeconds: 0, clockSkewSeconds: 10 });
    const start = clock.now();
    await manager.getAccessToken(CC_KEY, source);
    clock.set(start + HOUR - 10_001);
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('cc-1');
    clock.set(start + HOUR - 10_000);
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('cc-2');
  });

  it('does not treat a short-lived token as due on arrival (refreshes at half its life)', async () => {
    let n = 0;
    const { manager, source, clock, calls } = ccSetup(() => json(200, { access_token: `short-${++n}`, expires_in: '60', token_type: 'Bearer' }));
    const start = clock.now();
    await manager.getAccessToken(CC_KEY, source);
    clock.set(start + 29_999);
    await manager.getAccessToken(CC_KEY, source);
    expect(calls).toHaveLength(1);
    clock.set(start + 30_000);
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('short-2');
  });

  it('keys the cache by tenant, grant and sorted scopes', async () => {
    const { manager, source, calls } = ccSetup();
    await manager.getAccessToken(CC_KEY, source);
    await manager.getAccessToken({ ...CC_KEY, scopes: ['rest_webservices', 'restlets', 'restlets'] }, source);
    expect(calls).toHaveLength(1);
    await manager.getAccessToken({ ...CC_KEY, tenant: 'globex' }, source);
    expect(calls).toHaveLength(2);
    const otherScopes = ccSetup();
    const narrow = new ClientCredentialsClient({
      accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'cert-1', privateKey: EC_KEY, scopes: ['restlets'],
      fetch: mockFetch(() => json(200, { access_token: 'narrow', expires_in: '3600', token_type: 'Bearer' })).fetch, clock: otherScopes.clock,
    });
    expect(await manager.getAccessToken({ ...CC_KEY, scopes: ['restlets'] }, { kind: 'client_credentials', client: narrow })).toBe('narrow');
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('cc-1');
  });

  it('refuses a key whose scopes differ from the client scopes', async () => {
    const { manager, source, calls } = ccSetup();
    const err = await rejectionOf(manager.getAccessToken({ ...CC_KEY, scopes: ['restlets'] }, source));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.field).toBe('scopes');
    expect(calls).toHaveLength(0);
  });

  it('does not cache a failure: the next caller tries again', async () => {
    let n = 0;
    const { manager, source } = ccSetup(() => (++n === 1 ? json(400, { error: 'invalid_grant' }) : json(200, { access_token: 'ok', expires_in: '3600', token_type: 'Bearer' })));
    const results = await Promise.allSettled([manager.getAccessToken(CC_KEY, source), manager.getAccessToken(CC_KEY, source)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(TokenEndpointError);
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('ok');
  });

  it('keeps serving a still-valid token when refresh-ahead hits an outage, but not after expiry', async () => {
    let n = 0;
    const { manager, source, clock } = ccSetup(() =>
      ++n === 1 ? json(200, { access_token: 'first', expires_in: '3600', token_type: 'Bearer' }) : new Response('<html>maintenance</html>', { status: 503 }),
    );
    const start = clock.now();
    await manager.getAccessToken(CC_KEY, source);
    clock.set(start + HOUR - 120_000);
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('first');
    clock.set(start + HOUR - 59_999 + 1000);
    expect((await rejectionOf(manager.getAccessToken(CC_KEY, source))).error).toBe('http_503');
  });

  it('does not hide a permanent refresh-ahead failure', async () => {
    let n = 0;
    const { manager, source, clock } = ccSetup(() =>
      ++n === 1 ? json(200, { access_token: 'first', expires_in: '3600', token_type: 'Bearer' }) : json(400, { error: 'invalid_grant' }),
    );
    await manager.getAccessToken(CC_KEY, source);
    clock.advance(HOUR - 120_000);
    expect(await manager.getAccessToken(CC_KEY, source)).toBe('first'); // still valid: refreshed in the background
    await manager.settled();
    clock.advance(60_001); // within the skew allowance of expiry: the caller must wait, and sees the failure
    expect((await rejectionOf(manager.getAccessToken(CC_KEY, source))).error).toBe('invalid_grant');
  });

  it('refuses a key whose grant does not match the source, and an empty tenant', async () => {
    const { manager, source } = ccSetup();
    expect((await rejectionOf(manager.getAccessToken(AC_KEY, source))).field).toBe('grant');
    expect((await rejectionOf(manager.getAccessToken({ ...CC_KEY, tenant: '' }, source))).field).toBe('tenant');
    expect((await rejectionOf(manager.getAccessToken({ ...CC_KEY, scopes: [] }, source))).field).toBe('scopes');
  });

  it('rejects invalid margins', () => {
    expect(() => new TokenManager({ refreshMarginSeconds: -1 })).toThrow(/refreshMarginSeconds/);
  });
});

describe('TokenManager.withToken', () => {
  const unauthorized = () => Object.assign(new Error('401'), { status: 401 });

  it('on a 401 invalidates, gets a new token and retries once', async () => {
    const { manager, source, calls } = ccSetup();
    const seen: string[] = [];
    const result = await manager.withToken(CC_KEY, source, async (token) => {
      seen.push(token);
      if (seen.length === 1) throw unauthorized();
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual(['cc-1', 'cc-2']);
    expect(calls).toHaveLength(2);
  });

  it('retries only once', async () => {
    const { manager, source } = ccSetup();
    let attempts = 0;
    const err = await rejectionOf(
      manager.withToken(CC_KEY, source, async () => {
        attempts++;
        throw unauthorized();
      }),
    );
    expect(err.status).toBe(401);
    expect(attempts).toBe(2);
  });

  it('retries on a returned 401 Response and on statusCode/response.status errors', async () => {
    const { manager, source } = ccSetup();
    let n = 0;
    const response = await manager.withToken(CC_KEY, source, async () => (++n === 1 ? new Response('no', { status: 401 }) : new Response('yes')));
    expect(await response.text()).toBe('yes');
    let m = 0;
    await manager.withToken(CC_KEY, source, async () => {
      if (++m === 1) throw { response: { status: 401 } };
      return 1;
    });
    expect(m).toBe(2);
  });

  it('does not retry other errors', async () => {
    const { manager, source, calls } = ccSetup();
    let attempts = 0;
    const err = await rejectionOf(
      manager.withToken(CC_KEY, source, async () => {
        attempts++;
        throw Object.assign(new Error('403'), { status: 403 });
      }),
    );
    expect(err.status).toBe(403);
    expect(attempts).toBe(1);
    expect(calls).toHaveLength(1);
  });

  it('100 concurrent calls that all get a 401 for the same token cause one extra token request', async () => {
    const { manager, source, calls } = ccSetup();
    await Promise.all(
      Array.from({ length: 100 }, () =>
        manager.withToken(CC_KEY, source, async (token) => {
          if (token === 'cc-1') throw unauthorized();
          return token;
        }),
      ),
    );
    expect(calls).toHaveLength(2);
  });

  it('provider() binds a key for resource clients', async () => {
    const { manager, source, calls } = ccSetup();
    const provider = manager.provider(CC_KEY, source);
    expect(await provider.getAccessToken()).toBe('cc-1');
    await provider.invalidate('some-other-token');
    expect(await provider.getAccessToken()).toBe('cc-1');
    await provider.invalidate();
    expect(await provider.getAccessToken()).toBe('cc-2');
    expect(calls).toHaveLength(2);
  });
});

describe('TokenManager with authorization code (refresh token in the store)', () => {
  it('needs a saved authorization first', async () => {
    const { manager, source } = acSetup();
    const err = await rejectionOf(manager.getAccessToken(AC_KEY, source));
    expect(err.code).toBe('AUTHORIZATION_REQUIRED');
    expect(err.remedy).toMatch(/saveAuthorization/);
  });

  it('uses the saved access token while fresh, then refreshes and persists the rotated refresh token', async () => {
    const { manager, source, store, clock, calls } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock), { role: 3, entity: 7, company: '1234567' });
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-1');
    expect(calls).toHaveLength(0);
    clock.advance(HOUR);
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-2');
    const record = await storedRecord(store);
    expect(record).toMatchObject({ refreshToken: 'rt-2', accessToken: 'at-2', version: 2, identity: { role: 3, entity: 7, company: '1234567' } });
    expect((await manager.loadAuthorization(AC_KEY))?.refreshToken).toBe('rt-2');
  });

  it('1,000 concurrent callers with an expired token cause one refresh', async () => {
    const { manager, source, clock, server } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => manager.getAccessToken(AC_KEY, source)));
    expect(new Set(tokens)).toEqual(new Set(['at-2']));
    expect(server.refreshes).toBe(1);
    expect(server.rejected).toBe(0);
  });

  it('another process sharing the store uses the newest access token instead of refreshing', async () => {
    const { manager, source, clock, store, server } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    await manager.getAccessToken(AC_KEY, source);
    const otherProcess = new TokenManager({ clock, store });
    expect(await otherProcess.getAccessToken(AC_KEY, source)).toBe('at-2');
    expect(server.refreshes).toBe(1);
  });

  it('keeps a rotated pair the store refused in memory and serves calls from it (issue 9 §3)', async () => {
    const inner = new MemoryTokenStore();
    let failWrites = false;
    const store: TokenStore = Object.assign(Object.create(inner), {
      compareAndSwap: async (key: string, version: number | null, value: string) => {
        if (failWrites) throw new StoreError('STORE_ERROR', 'disk full');
        return inner.compareAndSwap(key, version, value);
      },
    });
    const { manager, source, clock, server } = acSetup({ store, saveRetries: 1 });
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    failWrites = true;
    const token = await manager.getAccessToken(AC_KEY, source);
    expect(server.refreshes).toBe(1);
    await expect(manager.flush()).rejects.toMatchObject({ code: 'AUTHORIZATION_NOT_SAVED' });
    expect(await manager.getAccessToken(AC_KEY, source)).toBe(token);
    failWrites = false;
    await manager.flush();
    expect(JSON.parse((await inner.get(authorizationStoreKey(AC_KEY)))!.value).accessToken).toBe(token);
  });

  it('after a lost compare-and-swap uses the newer stored token instead of failing', async () => {
    const inner = new MemoryTokenStore();
    const storeKey = authorizationStoreKey(AC_KEY);
    let sneakIn = false;
    const store: TokenStore = Object.assign(Object.create(inner), {
      compareAndSwap: async (key: string, version: number | null, value: string) => {
        if (sneakIn && key === storeKey) {
          sneakIn = false;
          const current = await inner.get(key);
          const other = { v: 1, refreshToken: 'rt-other', accessToken: 'at-other', expiresAt: clock.now() + HOUR, issuedAt: clock.now(), scopes: AC_KEY.scopes };
          await inner.compareAndSwap(key, current!.version, JSON.stringify(other));
        }
        return inner.compareAndSwap(key, version, value);
      },
    });
    const { manager, source, clock } = acSetup({ store });
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    sneakIn = true;
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-other');
    expect((await storedRecord(store))!.refreshToken).toBe('rt-other');
  });

  it('an invalid_grant caused by another process rotating first re-reads and uses the newer token', async () => {
    const { manager, source, clock, store, server } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    // Just before our refresh reaches the server, "another process" rotates rt-1 and stores its result.
    server.beforeAnswer = async (presented) => {
      server.beforeAnswer = undefined;
      // A process that does not take the shared lock (an older version, a script): compare-and-swap still decides.
      const other = new TokenManager({ clock, store, lock: false });
      expect(await other.getAccessToken(AC_KEY, source)).toBe('at-2');
      expect(presented).toBe('rt-1');
    };
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-2');
    expect(server.rejected).toBe(1);
    expect((await storedRecord(store))!.refreshToken).toBe('rt-2');
  });

  it('waits for a slow winner to store its rotation before giving up on invalid_grant', async () => {
    const sleeps: number[] = [];
    const { manager, source, clock, store, server, client } = acSetup({ sleeps });
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    server.valid = new Set(['rt-9']); // someone consumed rt-1 and has not written yet
    const winnerWrites = async () => {
      const row = await store.get(authorizationStoreKey(AC_KEY));
      const rec = { v: 1, refreshToken: 'rt-9', accessToken: 'at-9', expiresAt: clock.now() + HOUR, issuedAt: clock.now(), scopes: AC_KEY.scopes };
      await store.compareAndSwap(authorizationStoreKey(AC_KEY), row!.version, JSON.stringify(rec));
    };
    const slow = new TokenManager({
      clock, store,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) await winnerWrites();
      },
    });
    expect(await slow.getAccessToken(AC_KEY, { kind: 'authorization_code', client })).toBe('at-9');
    expect(sleeps).toEqual([50, 100]);
    void manager;
    void source;
  });

  it('gives up with the token endpoint error when no newer token ever appears', async () => {
    const { manager, source, clock, server, sleeps } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    server.valid.clear(); // revoked or expired
    const err = await rejectionOf(manager.getAccessToken(AC_KEY, source));
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err.grant).toBe('refresh_token');
    expect(err.likelyCauses[0]).toMatch(/RefreshTokenExpired/);
    expect(sleeps).toEqual([50, 100, 200, 400, 800]);
  });

  it('an invalidation landing during a rotation does not lose the rotated refresh token', async () => {
    const { manager, source, clock, store, server } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    server.beforeAnswer = async () => {
      server.beforeAnswer = undefined;
      // Another process saw a 401 with at-1 and clears the shared access token (same refresh token, new version).
      await new TokenManager({ clock, store }).invalidate(AC_KEY);
    };
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-2');
    const record = await storedRecord(store);
    expect(record).toMatchObject({ refreshToken: 'rt-2', accessToken: 'at-2', version: 3 });
  });

  it('keeps the original refresh token when the server does not rotate (confidential client)', async () => {
    const { manager, source, clock, store, server } = acSetup({ secret: true });
    server.rotate = false;
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    clock.advance(HOUR);
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-2');
    clock.advance(HOUR);
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-3');
    expect((await storedRecord(store))!.refreshToken).toBe('rt-1');
  });

  it('withToken: a 401 clears the shared access token so a refresh happens', async () => {
    const { manager, source, clock, store, server } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    const seen: string[] = [];
    await manager.withToken(AC_KEY, source, async (token) => {
      seen.push(token);
      if (token === 'at-1') throw Object.assign(new Error('401'), { status: 401 });
    });
    expect(seen).toEqual(['at-1', 'at-2']);
    expect(server.refreshes).toBe(1);
    expect((await storedRecord(store))!.accessToken).toBe('at-2');
  });

  it('invalidate with a different token leaves the stored access token alone', async () => {
    const { manager, source, clock, store, calls } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    await manager.invalidate(AC_KEY, 'at-0');
    expect((await storedRecord(store))!.accessToken).toBe('at-1');
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-1');
    expect(calls).toHaveLength(0);
  });

  it('revokeAuthorization revokes the stored refresh token and deletes it', async () => {
    const { manager, client, clock, store, calls } = acSetup();
    await manager.saveAuthorization(AC_KEY, initialTokens(clock));
    await manager.revokeAuthorization(AC_KEY, client);
    expect(calls[0]!.url).toMatch(/\/revoke$/);
    expect(calls[0]!.form.get('token')).toBe('rt-1');
    expect(await storedRecord(store)).toBeUndefined();
    expect(await manager.loadAuthorization(AC_KEY)).toBeUndefined();
  });

  it('refuses to save tokens without a refresh token', async () => {
    const { manager, clock } = acSetup();
    const { refreshToken: _r, ...noRefresh } = initialTokens(clock);
    expect((await rejectionOf(manager.saveAuthorization(AC_KEY, noRefresh))).code).toBe('STORE_ERROR');
  });
});
