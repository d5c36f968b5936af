import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRedis } from '../../bench/redisProcess';
import { PostgresTokenStore } from '../../client/src/store/postgres';
import { TokenManager } from '../../client/src/tokens/manager';
import type { TokenKey } from '../../client/src/tokens/types';
import { startPostgres, type PostgresInstance } from '../support/postgres';
import { buildChildLib, CountingTokenServer, privateKeyPem, SCOPES, TokenChild, type ChildConfig } from './support/scaleoutHarness';

jest.setTimeout(120_000);

const PROCESSES = 4;

describe('tokens shared by several processes (one token request per tenant, one use per refresh token)', () => {
  let pg: PostgresInstance;
  let redis: TestRedis;
  let dir: string;
  let lib: string;
  let baseUrl: string;
  const server = new CountingTokenServer();
  const secret = randomBytes(32);
  const env = { SUITEBRIDGE_SECRET_KEY: secret.toString('hex'), SBR_PRIVATE_KEY: privateKeyPem() };
  const children: TokenChild[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-scaleout-'));
    [pg, redis] = await Promise.all([startPostgres(), TestRedis.start(dir)]);
    lib = buildChildLib(dir);
    baseUrl = await server.listen();
  }, 120_000);
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.kill()));
    server.onRequest = undefined;
    server.blackhole.clear();
  });
  afterAll(async () => {
    await server.close();
    await redis?.stop();
    await pg?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (config: Omit<ChildConfig, 'baseUrl'>, count = PROCESSES): Promise<TokenChild[]> => {
    const started = await Promise.all(Array.from({ length: count }, () => TokenChild.start(lib, { ...config, baseUrl }, env)));
    children.push(...started);
    return started;
  };

  /** Every child fires its calls at the same moment (all are started and waiting first). */
  const together = async (group: TokenChild[]) => {
    for (const child of group) child.go();
    return Promise.all(group.map((c) => c.result()));
  };

  it.each([
    ['PostgreSQL store, lock row in the store', (tenants: string[]) => ({ store: 'postgres' as const, url: pg.url, tenants })],
    ['Redis store, redis-semaphore Mutex', (tenants: string[]) => ({ store: 'redis' as const, url: redis.url, redisLock: redis.url, tenants })],
  ])(`%s: ${PROCESSES} processes with a cold cache cause one client-credentials token request per tenant`, async (_name, storeFor) => {
    const tenants = _name.startsWith('PostgreSQL') ? ['1000001', '1000002', '1000003'] : ['2000001', '2000002', '2000003'];
    const group = await start({ ...storeFor(tenants), grant: 'client_credentials', calls: 50 });
    const results = await together(group);
    for (const result of results) {
      expect(result.errors).toEqual([]);
      for (const tenant of tenants) expect(result.tokens[tenant]).toEqual([`cc-${tenant}-1`]);
    }
    expect(tenants.map((t) => server.mintCount(t))).toEqual([1, 1, 1]);
    expect(results.reduce((n, r) => n + r.tokenRequests, 0)).toBe(tenants.length);
  });

  it(`${PROCESSES} processes refreshing one authorization-code tenant together send each one-time refresh token once (0 invalid_grant)`, async () => {
    const tenant = '3000001';
    const key: TokenKey = { tenant, grant: 'authorization_code', scopes: SCOPES };
    const store = new PostgresTokenStore({ postgres: pg.url, secretKey: secret });
    const admin = new TokenManager({ store });
    await admin.saveAuthorization(key, { accessToken: 'at-0', refreshToken: server.seedRefreshToken(tenant), expiresAt: Date.now() - 1, scopes: SCOPES, tokenType: 'Bearer' });
    const group = await start({ store: 'postgres', url: pg.url, grant: 'authorization_code', tenants: [tenant], calls: 20 });
    const refusedBefore = server.refused;
    const refreshesBefore = server.refreshes;
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const results = await together(group);
      const tokens = new Set(results.flatMap((r) => r.tokens[tenant]!));
      for (const result of results) expect(result.errors).toEqual([]);
      expect(tokens.size).toBe(1); // every process uses the one access token of this round
      await admin.invalidate(key); // the next round finds no usable access token: one process must refresh
    }
    expect(server.refused - refusedBefore).toBe(0);
    expect(server.refreshes - refreshesBefore).toBe(rounds);
    await store.close();
  });

  it.each([
    ['lock row in PostgreSQL', (tenants: string[]) => ({ store: 'postgres' as const, url: pg.url, tenants, leaseMs: 1000 })],
    ['redis-semaphore Mutex', (tenants: string[]) => ({ store: 'redis' as const, url: redis.url, redisLock: redis.url, tenants, leaseMs: 1000 })],
  ])('%s: a process killed while holding the mint lock delays the others by at most its lease, no deadlock', async (name, storeFor) => {
    const tenant = name.startsWith('lock row') ? '4000001' : '4000002';
    const group = await start({ ...storeFor([tenant]), grant: 'client_credentials', calls: 10 });
    let victim: TokenChild | undefined;
    const chosen = new Promise<void>((resolve) => {
      server.onRequest = (pid) => {
        if (victim) return;
        victim = group.find((c) => c.pid === pid);
        server.blackhole.add(pid);
        void victim!.kill().then(resolve);
      };
    });
    for (const child of group) child.go();
    await chosen;
    const survivors = await Promise.all(group.filter((c) => c !== victim).map((c) => c.result()));
    expect(victim).toBeDefined();
    expect(survivors).toHaveLength(PROCESSES - 1);
    for (const result of survivors) {
      expect(result.errors).toEqual([]);
      expect(result.tokens[tenant]).toEqual([`cc-${tenant}-1`]);
    }
    // The dead holder's request was never answered; exactly one survivor minted after its lease ran out.
    expect(server.mintCount(tenant)).toBe(1);
  });
});
