/**
 * Scale-out figures for `npm run bench`: N worker processes share one store and call the same emulated accounts.
 * Every count comes from the emulator (login audit trail, per-account concurrency counters), not from the client.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresTokenStore } from '../client/src/store/postgres';
import { RedisTokenStore } from '../client/src/store/redis';
import { SqliteTokenStore } from '../client/src/store/sqlite';
import type { TokenStore } from '../client/src/store/types';
import { TokenManager } from '../client/src/tokens/manager';
import type { EmulatorProcess } from './emulatorProcess';
import { authorizePublicClient, type BenchTenant } from './emulatorTenant';
import { startBenchPostgres } from './postgresProcess';
import { haveRedis, TestRedis } from './redisProcess';
import { SCOPES, type StoreKind, type WorkerConfig, type WorkerMode, type WorkerResult } from './scaleoutWorker';

export interface ScaleoutOptions {
  processes: number[];
  /** Calls per tenant across all processes. */
  calls: number;
  latencyMs: number;
  accountLimit: number;
}

interface Row {
  setup: string;
  processes: number;
  tokenRequests: number[];
  refusedRefreshes: number | undefined;
  overLimit: number;
  peakInFlight: number;
  errors: number;
  firstError: string | undefined;
  wallMs: number;
  /** From the start signal until every process had its tokens and one answer per tenant. */
  startupMs: number;
}

interface AuditEntry {
  action: string;
  status: 'Success' | 'Failure';
}

async function admin<T>(emu: EmulatorProcess, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(new URL(`/__emulator/${path}`, emu.url), init);
  if (!res.ok) throw new Error(`emulator admin ${path}: HTTP ${res.status}`);
  return res.json() as Promise<T>;
}

const audit = (emu: EmulatorProcess, accountId: string) => admin<AuditEntry[]>(emu, `login-audit?account=${encodeURIComponent(accountId)}`);

/**
 * Forks the workers and waits until every one is ready; then start-up (all together, a cold burst: tokens, the refresh
 * race, accountLimit calls per tenant each) and, once every process has its answers, the measured calls (all together).
 */
async function runWorkers(configs: WorkerConfig[]): Promise<{ results: WorkerResult[]; wallMs: number; startupMs: number }> {
  const children: ChildProcess[] = [];
  try {
    const ready = configs.map((config) => {
      const child = fork(join(__dirname, 'scaleoutWorker.js'), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        child.once('message', (m: { kind: string; message?: string }) => (m.kind === 'ready' ? resolve() : reject(new Error(`worker failed: ${m.message}`))));
        child.once('exit', (code) => reject(new Error(`worker exited early (${String(code)})`)));
      });
    });
    await Promise.all(ready);
    const phase = async (kind: 'start' | 'go'): Promise<{ results: WorkerResult[]; ms: number }> => {
      const results = children.map((child) => new Promise<WorkerResult>((resolve) => child.once('message', (m: { result: WorkerResult }) => resolve(m.result))));
      const began = performance.now();
      for (const child of children) child.send({ kind });
      const all = await Promise.all(results);
      return { results: all, ms: performance.now() - began };
    };
    const startup = await phase('start');
    const measured = await phase('go');
    const results = measured.results.map((r, i) => {
      const s = startup.results[i]!;
      return { errors: r.errors + s.errors, calls: r.calls + s.calls, ...(s.firstError ?? r.firstError ? { firstError: s.firstError ?? r.firstError } : {}) };
    });
    return { results, wallMs: measured.ms, startupMs: startup.ms };
  } finally {
    for (const child of children) {
      child.removeAllListeners('exit');
      if (child.connected) child.send({ kind: 'stop' });
    }
    await Promise.all(children.map((child) => (child.exitCode !== null ? undefined : new Promise((r) => child.once('exit', r)))));
  }
}

export async function runScaleout(emu: EmulatorProcess, tenants: BenchTenant[], authAccountId: string, o: ScaleoutOptions): Promise<{ rows: string[][]; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'sbr-bench-scaleout-'));
  const secret = randomBytes(32);
  const notes: string[] = [];
  const redis = haveRedis ? await TestRedis.start(dir) : undefined;
  const postgres = await startBenchPostgres().catch((err: unknown) => {
    notes.push(`PostgreSQL not started: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  });
  if (!redis) notes.push('redis-server not installed: Redis rows skipped');
  await admin(emu, 'faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: o.latencyMs }) });
  const rows: Row[] = [];
  let run = 0;
  try {
    const stores: Array<{ kind: StoreKind; label: string }> = [
      { kind: 'memory', label: 'SuiteBridge, memory store, in-process limiter' },
      { kind: 'sqlite', label: 'SuiteBridge, SQLite store, in-process limiter' },
      ...(redis ? [{ kind: 'redis' as const, label: 'SuiteBridge, Redis store + Redis lock/semaphore' }] : []),
      ...(redis && postgres ? [{ kind: 'postgres' as const, label: 'SuiteBridge, PostgreSQL store + Redis lock/semaphore' }] : []),
    ];
    const measure = async (label: string, mode: WorkerMode, kind: StoreKind, processes: number): Promise<void> => {
      run++;
      const namespace = `bench${run}:`;
      const schema = `bench_${run}`;
      const storeUrl = kind === 'sqlite' ? join(dir, `bench-${run}.db`) : kind === 'redis' ? redis!.url : kind === 'postgres' ? postgres!.url : undefined;
      let authTenant: WorkerConfig['authTenant'];
      if (mode === 'suitebridge' && kind !== 'memory') {
        // A fresh consent per row, its access token already expired: every process must go through a refresh.
        const tokens = await authorizePublicClient(emu, authAccountId);
        const store = openStore(kind, storeUrl!, secret, namespace, schema);
        await new TokenManager({ store }).saveAuthorization(
          { tenant: `auth-${authAccountId}`, grant: 'authorization_code', scopes: SCOPES },
          { ...tokens, expiresAt: Date.now() - 1 },
        );
        await store.close();
        authTenant = { accountId: authAccountId, clientId: tokens.clientId };
      }
      const before = await Promise.all([...tenants.map((t) => audit(emu, t.accountId)), audit(emu, authAccountId)]);
      await admin(emu, 'concurrency/reset', { method: 'POST' });
      const configs = Array.from({ length: processes }, (): WorkerConfig => ({
        mode, store: kind, namespace, schema, emulatorUrl: emu.url, accountLimit: o.accountLimit, secretKeyHex: secret.toString('hex'),
        callsPerTenant: Math.ceil(o.calls / processes),
        tenants: tenants.map((t) => ({ accountId: t.accountId, clientId: t.clientId, certificateId: t.certificateId, privateKeyPem: t.privateKeyPem })),
        ...(storeUrl ? { storeUrl } : {}),
        ...(mode === 'suitebridge' && redis && (kind === 'redis' || kind === 'postgres') ? { redisUrl: redis.url } : {}),
        ...(authTenant ? { authTenant } : {}),
      }));
      const { results, wallMs, startupMs } = await runWorkers(configs);
      const after = await Promise.all([...tenants.map((t) => audit(emu, t.accountId)), audit(emu, authAccountId)]);
      const fresh = after.map((entries, i) => entries.slice(before[i]!.length));
      const stats = await admin<Array<{ accountId: string; overLimit: number; peakInFlight: number }>>(emu, 'concurrency');
      const ours = stats.filter((s) => tenants.some((t) => t.accountId === s.accountId));
      rows.push({
        setup: label,
        processes,
        tokenRequests: fresh.slice(0, tenants.length).map((entries) => entries.filter((e) => e.action.startsWith('token')).length),
        refusedRefreshes: authTenant ? fresh[tenants.length]!.filter((e) => e.action === 'token:refresh_token' && e.status === 'Failure').length : undefined,
        overLimit: ours.reduce((n, s) => n + s.overLimit, 0),
        peakInFlight: Math.max(0, ...ours.map((s) => s.peakInFlight)),
        errors: results.reduce((n, r) => n + r.errors, 0),
        firstError: results.find((r) => r.firstError)?.firstError,
        wallMs,
        startupMs,
      });
    };
    for (const store of stores) for (const processes of o.processes) await measure(store.label, 'suitebridge', store.kind, processes);
    for (const processes of o.processes.filter((p) => p > 1)) {
      await measure('oauth4webapi, a token per call, no limiter', 'mint-per-call', 'memory', processes);
      await measure('oauth4webapi, token in a variable (no single flight), no limiter', 'cached-variable', 'memory', processes);
    }
  } finally {
    await admin(emu, 'faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 0 }) }).catch(() => undefined);
    await redis?.stop();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const idealMs = (o.calls * o.latencyMs) / o.accountLimit;
  for (const row of rows) if (row.firstError) notes.push(`${row.setup}, ${row.processes} processes: first error to a caller: ${row.firstError}`);
  return {
    rows: rows.map((r) => [
      r.setup,
      String(r.processes),
      `${Math.max(...r.tokenRequests)} (${r.tokenRequests.join('/')})`,
      r.refusedRefreshes === undefined ? 'n/a' : String(r.refusedRefreshes),
      String(r.overLimit),
      String(r.peakInFlight),
      String(r.errors),
      `${(r.wallMs / idealMs).toFixed(2)}x`,
      `${r.startupMs.toFixed(0)} ms`,
    ]),
    notes,
  };
}

function openStore(kind: StoreKind, url: string, secretKey: Buffer, namespace: string, schema: string): TokenStore {
  if (kind === 'sqlite') return new SqliteTokenStore({ path: url, secretKey });
  if (kind === 'redis') return new RedisTokenStore({ redis: url, secretKey, namespace });
  return new PostgresTokenStore({ postgres: url, secretKey, schema });
}

export const SCALEOUT_HEADERS = ['Setup', 'Processes', 'Token requests per tenant, max (each)', 'Refused refreshes', 'Over-limit answers', 'Peak in flight', 'Errors to callers', 'Wall / ideal (after start-up)', 'Start-up (all processes)'];
