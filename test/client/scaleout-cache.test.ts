import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { ManualClock } from '../../client/src/clock';
import { ConcurrencyLimiter } from '../../client/src/http/limiter';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { TokenManager, type TokenManagerOptions } from '../../client/src/tokens/manager';
import { sharedTokenStoreKey } from '../../client/src/tokens/sharedAccessToken';
import type { TokenKey, TokenSet } from '../../client/src/tokens/types';
import { json, mockFetch } from './support/coreFetchMock';

const SCOPES = ['restlets', 'rest_webservices'];
const HOUR = 3_600_000;
const key = (tenant: string): TokenKey => ({ tenant, grant: 'client_credentials', scopes: SCOPES });

/**
 * Tokens named after the tenant and a per-tenant counter; `hold` keeps answers back until released. The clients
 * are stand-ins (no signing), so a thousand tenants cost only what the manager itself does.
 */
function setup(options: TokenManagerOptions = {}) {
  const clock = new ManualClock();
  const issued = new Map<string, number>();
  let held: Array<() => void> | undefined;
  const clients = new Map<string, ClientCredentialsClient>();
  const source = (tenant: string) => {
    let client = clients.get(tenant);
    if (!client) {
      const requestToken = async (): Promise<TokenSet> => {
        const sentAt = clock.now();
        const n = (issued.get(tenant) ?? 0) + 1;
        issued.set(tenant, n);
        if (held) await new Promise<void>((resolve) => held!.push(resolve));
        return { accessToken: `${tenant}-${n}`, expiresAt: sentAt + HOUR, scopes: SCOPES, tokenType: 'Bearer' };
      };
      client = { scopes: SCOPES, requestToken } as unknown as ClientCredentialsClient;
      clients.set(tenant, client);
    }
    return { kind: 'client_credentials' as const, client };
  };
  const manager = new TokenManager({ clock, random: () => 0, ...options });
  return {
    clock, manager, issued, source,
    get: (tenant: string) => manager.getAccessToken(key(tenant), source(tenant)),
    hold: () => (held = []),
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const resolve of waiting) resolve();
    },
  };
}

describe('token cache bounds', () => {
  it('drops tenants not used for cacheIdleSeconds', async () => {
    const t = setup({ cacheIdleSeconds: 600 });
    await t.get('a');
    await t.get('b');
    t.clock.advance(300_000);
    await t.get('b');
    t.clock.advance(301_000); // a idle for 601 s, b for 301 s
    await t.get('b');
    expect(t.manager.cachedTokenCount).toBe(1);
    expect(await t.get('a')).toBe('a-2'); // forgotten, so requested again
  });

  it('keeps at most cacheMaxEntries tokens, dropping the least recently used', async () => {
    const t = setup({ cacheMaxEntries: 2 });
    await t.get('a');
    t.clock.advance(2000);
    await t.get('b');
    t.clock.advance(2000);
    await t.get('a'); // a is now the most recently used
    await t.get('c');
    expect(t.manager.cachedTokenCount).toBe(2);
    expect(await t.get('a')).toBe('a-1');
    expect(await t.get('b')).toBe('b-2');
  });
});

describe('refresh without stalls', () => {
  it('moves each entry\'s refresh point earlier by up to refreshJitterSeconds', async () => {
    const t = setup({ random: () => 1, refreshJitterSeconds: 60 });
    const start = t.clock.now();
    await t.get('a');
    t.clock.set(start + HOUR - 360_000 - 60_000 - 1);
    await t.get('a');
    await t.manager.settled();
    expect(t.issued.get('a')).toBe(1);
    t.clock.set(start + HOUR - 360_000 - 60_000);
    await t.get('a');
    await t.manager.settled();
    expect(t.issued.get('a')).toBe(2);
  });

  it('1,000 tenants crossing their refresh point together: every call is answered with the valid token, none waits on a token request', async () => {
    const t = setup({ cacheIdleSeconds: 7200 }); // tenants in use: idle eviction is not what this measures
    const tenants = Array.from({ length: 1000 }, (_, i) => `t${i}`);
    await Promise.all(tenants.map((tenant) => t.get(tenant)));
    t.clock.advance(HOUR - 300_000); // past every refresh point (360 s before expiry), 5 minutes of validity left
    t.hold(); // no token request can finish
    const tokens = await Promise.all(tenants.map((tenant) => t.get(tenant)));
    expect(tokens).toEqual(tenants.map((tenant) => `${tenant}-1`));
    t.release();
    await t.manager.settled();
    expect(await t.get('t7')).toBe('t7-2');
    expect([...t.issued.values()].every((n) => n === 2)).toBe(true); // one background refresh per tenant
  });

  it('runs at most backgroundRefreshConcurrency background refreshes at once; the rest follow in turn', async () => {
    const t = setup({ backgroundRefreshConcurrency: 2, cacheIdleSeconds: 7200 });
    const tenants = Array.from({ length: 10 }, (_, i) => `t${i}`);
    await Promise.all(tenants.map((tenant) => t.get(tenant)));
    t.clock.advance(HOUR - 330_000);
    t.hold();
    expect(await Promise.all(tenants.map((tenant) => t.get(tenant)))).toEqual(tenants.map((tenant) => `${tenant}-1`));
    await new Promise((resolve) => setImmediate(resolve));
    expect([...t.issued.values()].filter((n) => n === 2)).toHaveLength(2); // two refreshes started, eight waiting
    t.release();
    while ([...t.issued.values()].some((n) => n < 2)) {
      t.release(); // let each started refresh answer
      await new Promise((resolve) => setImmediate(resolve));
    }
    await t.manager.settled();
    expect(await Promise.all(tenants.map((tenant) => t.get(tenant)))).toEqual(tenants.map((tenant) => `${tenant}-2`));
  });

  it('an expired token is never served: the caller waits for the new one', async () => {
    const t = setup();
    await t.get('a');
    t.clock.advance(HOUR - 59_999); // inside the 60 s clock-skew allowance of expiry
    expect(await t.get('a')).toBe('a-2');
  });
});

describe('client-credentials tokens in the store', () => {
  it('a second process (another manager on the same store) uses the stored token instead of minting', async () => {
    const store = new MemoryTokenStore();
    const first = setup({ store });
    await first.get('a');
    const second = setup({ store });
    expect(await second.get('a')).toBe('a-1');
    expect(second.issued.size).toBe(0);
    const row = await store.get(sharedTokenStoreKey(key('a')));
    expect(JSON.parse(row!.value)).toMatchObject({ v: 1, accessToken: 'a-1', scopes: SCOPES });
  });

  it('refresh-ahead happens once per tenant, not once per process', async () => {
    const store = new MemoryTokenStore();
    const first = setup({ store });
    await first.get('a');
    const second = setup({ store });
    await second.get('a'); // both processes now cache a-1
    for (const t of [first, second]) t.clock.advance(HOUR - 330_000); // both past the refresh point
    expect(await first.get('a')).toBe('a-1');
    await first.manager.settled(); // first refreshed in the background and stored a-2
    expect(await second.get('a')).toBe('a-1');
    await second.manager.settled(); // second's refresh found a-2 in the store instead of minting
    expect(await second.get('a')).toBe('a-2');
    expect(first.issued.get('a')).toBe(2);
    expect(second.issued.get('a')).toBeUndefined();
  });

  it('a refused token (401) leaves the store too, so other processes do not pick it up again', async () => {
    const store = new MemoryTokenStore();
    const first = setup({ store });
    await first.get('a');
    await first.manager.invalidate(key('a'), 'a-1');
    expect(await store.get(sharedTokenStoreKey(key('a')))).toBeUndefined();
  });

  it('an unreachable store costs a token of our own, never the call', async () => {
    const store = new MemoryTokenStore();
    await store.close();
    const t = setup({ store });
    expect(await t.get('a')).toBe('a-1');
  });
});

describe('constructors stay cheap', () => {
  it('a ClientCredentialsClient reads its private key on the first token request, not in the constructor', async () => {
    let reads = 0;
    // A CryptoKey look-alike that counts how often the key loader inspects it.
    const key = { get type() { reads++; return 'private'; }, usages: ['sign'], algorithm: { name: 'ECDSA', namedCurve: 'P-256' }, extractable: false };
    const client = new ClientCredentialsClient({
      accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'cert-1', privateKey: key as unknown as CryptoKey, scopes: SCOPES,
      fetch: mockFetch(() => json(500, {})).fetch,
    });
    expect(reads).toBe(0);
    await client.createAssertion().catch(() => undefined);
    expect(reads).toBeGreaterThan(0);
  });
});

describe('ConcurrencyLimiter queue', () => {
  it('keeps FIFO order across thousands of waiters and skips the ones that gave up', async () => {
    const limiter = new ConcurrencyLimiter(1);
    let unblock!: () => void;
    const first = limiter.run(() => new Promise<void>((resolve) => (unblock = resolve)));
    const order: number[] = [];
    const controllers: AbortController[] = [];
    const runs = Array.from({ length: 5000 }, (_, i) => {
      const controller = new AbortController();
      controllers.push(controller);
      return limiter.run(async () => void order.push(i), controller.signal).catch(() => undefined);
    });
    for (let i = 0; i < 5000; i += 3) controllers[i]!.abort();
    expect(limiter.waiting).toBe(5000 - Math.ceil(5000 / 3));
    unblock();
    await first;
    await Promise.all(runs);
    expect(order).toEqual(Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 3 !== 0));
    expect(limiter.waiting).toBe(0);
    expect(limiter.active).toBe(0);
  });
});
