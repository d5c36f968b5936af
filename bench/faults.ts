/**
 * `npm run faults`: the token layer's fault matrix. Each fault is injected `--trials` times (default 3) against a
 * local token endpoint with NetSuite's semantics (one-time refresh tokens, strict assertion times), a real SQLite
 * file and, when redis-server is installed, a real Redis. Prints per fault: injected, survived (the call got a
 * token), lost (the stored authorization no longer works: the tenant would have to consent again).
 * Plus "kill -9 at random points" (kill9.ts, `--kills`, default 50; `--seed` repeats the kill times): real
 * SuiteBridge processes (the onboarding, an M2M tenant rotating its certificate, an auth-code tenant refreshing)
 * SIGKILLed at random times, then a new process must carry on without a new consent. They run in a child process
 * at the same time as the token faults above, which mostly wait on timers.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { AuthorizationCodeClient } from '../client/src/authcode';
import { ClientCredentialsClient } from '../client/src/clientCredentials';
import { SqliteTokenStore } from '../client/src/store/sqlite';
import { RedisTokenStore } from '../client/src/store/redis';
import type { TokenStore } from '../client/src/store/types';
import { TokenManager } from '../client/src/tokens/manager';
import type { TokenKey } from '../client/src/tokens/types';
import { TokenFaultServer, type Fault } from './faultServer';
import { kill9Args, type Kill9Report, type Kill9Row } from './kill9';
import { haveRedis, TestRedis } from './redisProcess';
import { renderTable } from './table';

const KEY: TokenKey = { tenant: '1234567', grant: 'authorization_code', scopes: ['restlets'] };
const PRIVATE_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SECRET = randomBytes(32);
const RETRY = { baseDelayMs: 50, maxDelayMs: 400 };

interface Row {
  fault: string;
  injected: number;
  survived: number;
  lost: number;
  /** False for a row that shows a known limit: printed, but it does not fail the run. */
  counts?: boolean;
}

/** Runs the kill -9 rows in their own process (its emulator must not share this event loop with the timeouts above). */
function startKill9(kills: number, seed: number): Promise<Kill9Report> {
  if (kills === 0) return Promise.resolve({ rows: [], outcomes: [], notes: ['kill -9: skipped (--kills 0).'] });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'kill9.js'), '--kills', String(kills), '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the kill -9 rows failed to run (exit ${String(code)}); repeat them with \`node build/bench/kill9.js --kills ${kills} --seed ${seed}\``));
      else resolve(JSON.parse(stdout) as Kill9Report);
    });
  });
}

function m2m(server: TokenFaultServer, skewMs = 0): ClientCredentialsClient {
  return new ClientCredentialsClient({
    accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'kid', privateKey: PRIVATE_KEY, scopes: ['restlets'],
    tokenUrl: server.url, dangerouslyAllowInsecureHttp: true, timeoutMs: 500, tokenRetry: RETRY,
    ...(skewMs !== 0 ? { clock: { now: () => Date.now() + skewMs } } : {}),
  });
}

function authClient(server: TokenFaultServer, beforeRequest: () => Promise<void> = async () => undefined): AuthorizationCodeClient {
  return new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback', scopes: ['restlets'],
    timeoutMs: 500, tokenRetry: RETRY,
    fetch: async (_input, init) => {
      await beforeRequest();
      return fetch(server.url, init);
    },
  });
}

async function seed(store: TokenStore, server: TokenFaultServer): Promise<void> {
  await new TokenManager({ store }).saveAuthorization(KEY, {
    accessToken: 'expired', refreshToken: server.grantRefreshToken(), expiresAt: Date.now() - 1000, scopes: KEY.scopes, tokenType: 'Bearer',
  });
}

/** Does the stored authorization still work? A new process (manager) refreshes with what the store holds. */
async function stillAuthorized(store: TokenStore, server: TokenFaultServer): Promise<boolean> {
  const later = { now: () => Date.now() + 2 * 3_600_000 };
  try {
    await new TokenManager({ store, clock: later }).getAccessToken(KEY, { kind: 'authorization_code', client: authClient(server) });
    return true;
  } catch {
    return false;
  }
}

async function trials(fault: string, count: number, once: () => Promise<{ survived: boolean; lost: boolean }>): Promise<Row> {
  const row: Row = { fault, injected: 0, survived: 0, lost: 0 };
  for (let i = 0; i < count; i++) {
    row.injected++;
    const outcome = await once().catch(() => ({ survived: false, lost: false }));
    if (outcome.survived) row.survived++;
    if (outcome.lost) row.lost++;
  }
  return row;
}

async function main(): Promise<void> {
  const trialsIndex = process.argv.indexOf('--trials');
  const count = trialsIndex > 0 ? Number(process.argv[trialsIndex + 1]) : 3;
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new Error('--trials must be a whole number from 1 to 1000');
  const { kills, seed: killSeed = randomInt(1, 2 ** 31) } = kill9Args(process.argv, 50);
  if (kills > 0) process.stderr.write(`kill -9: ${kills} kills, seed ${killSeed} (repeat with --kills ${kills} --seed ${killSeed})\n`);
  const kill9 = startKill9(kills, killSeed);
  // Reported after the other rows; until then a failure must not surface as an unhandled rejection.
  kill9.catch(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'sbr-faults-'));
  const server = await new TokenFaultServer().start();
  const rows: Row[] = [];
  const faults: Array<[string, Fault]> = [
    ['503 HTML page', 'html503'], ['502', 'bad_gateway'], ['429 + Retry-After', 'rate_limited'],
    ['connection reset', 'reset'], ['cut body', 'cut_body'], ['timeout', 'hang'],
  ];
  try {
    for (const [name, fault] of faults) {
      rows.push(await trials(`client credentials: ${name}`, count, async () => {
        server.faults.push(fault);
        return { survived: Boolean(await m2m(server).requestToken()), lost: false };
      }));
    }
    let n = 0;
    const refreshFaults = faults.filter(([, f]) => f !== 'cut_body');
    for (const [name, fault] of refreshFaults) {
      rows.push(await trials(`refresh: ${name}`, count, async () => {
        const store = new SqliteTokenStore({ path: join(dir, `refresh-${n++}.db`), secretKey: SECRET });
        await seed(store, server);
        server.faults.push(fault);
        const survived = await new TokenManager({ store }).getAccessToken(KEY, { kind: 'authorization_code', client: authClient(server) }).then(() => true, () => false);
        const lost = !(await stillAuthorized(store, server));
        await store.close();
        return { survived, lost };
      }));
    }
    rows.push(await trials('refresh: SQLite busy when the rotated token arrives', count, async () => {
      const path = join(dir, `busy-${n++}.db`);
      const store = new SqliteTokenStore({ path, secretKey: SECRET, busyTimeoutMs: 0 });
      await seed(store, server);
      const locker = new Database(path);
      const manager = new TokenManager({
        store,
        sleep: async () => void (locker.inTransaction && locker.exec('COMMIT')),
      });
      const client = authClient(server, async () => void (locker.inTransaction || locker.exec('BEGIN IMMEDIATE')));
      const survived = await manager.getAccessToken(KEY, { kind: 'authorization_code', client }).then(() => true, () => false);
      await manager.flush().catch(() => undefined);
      locker.close();
      const lost = !(await stillAuthorized(store, server));
      await store.close();
      return { survived, lost };
    }));
    if (haveRedis) {
      const redisDir = join(dir, 'redis');
      mkdirSync(redisDir);
      const redis = await TestRedis.start(redisDir);
      try {
        rows.push(await trials('refresh: Redis down when the rotated token arrives', count, async () => {
          const store = new RedisTokenStore({ redis: { host: '127.0.0.1', port: redis.port, retryStrategy: () => 20 }, secretKey: SECRET, namespace: `f${n++}:`, logger: () => undefined });
          await seed(store, server);
          let stopped = false;
          const manager = new TokenManager({ store, sleep: async () => void (stopped && (await redis.start(), (stopped = false))) });
          const client = authClient(server, async () => void (stopped || (await redis.stop(), (stopped = true))));
          const survived = await manager.getAccessToken(KEY, { kind: 'authorization_code', client }).then(() => true, () => false);
          await manager.flush().catch(() => undefined);
          if (stopped) await redis.start();
          const lost = !(await stillAuthorized(store, server));
          await store.close();
          return { survived, lost };
        }));
      } finally {
        await redis.stop();
      }
    }
    server.strictAssertionTimes = true;
    for (const [name, serverAheadMs] of [['client clock 10 min behind', 600_000], ['client clock 10 min ahead', -600_000], ['client clock 5 min behind', 300_000]] as const) {
      rows.push(await trials(name, count, async () => {
        server.dateOffsetMs = serverAheadMs;
        return { survived: Boolean(await m2m(server).requestToken()), lost: false };
      }));
    }
    server.strictAssertionTimes = false;
    server.dateOffsetMs = 0;
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const killed = await kill9;
  rows.push(...killed.rows.map((r: Kill9Row): Row => ({ ...r })));
  process.stdout.write(`${renderTable(['fault', 'injected', 'survived', 'lost'], rows.map((r) => [r.fault, String(r.injected), String(r.survived), String(r.lost)]))}\n`);
  if (!haveRedis) process.stdout.write('redis-server is not installed: the Redis row was skipped.\n');
  process.stdout.write('A cut body on a refresh NetSuite did process cannot be survived by a public client (the new one-time token was in it); the token manager reports it as such.\n');
  for (const note of killed.notes) process.stdout.write(`${note}\n`);
  const failed = rows.filter((r) => r.counts !== false && (r.survived < r.injected || r.lost > 0));
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`faults: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
