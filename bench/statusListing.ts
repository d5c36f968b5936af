/**
 * `GET /v1/tenants?status=…` over 10,000 tenants (issue 12; goal p95 ≤ 50 ms on PostgreSQL), on the in-memory store
 * and on PostgreSQL (a throwaway server from bench/postgresProcess.ts), side by side, through the real service API
 * on a real port. One tenant in ten needs a certificate; a page is 100 tenants. Each store also gets a few calls of
 * the way the list worked before the status index (every status and every tenant record read, then filtered), for
 * comparison. Tenant records are padded to the size of real ones (two private keys, settings, steps).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { RECORD_PREFIX, type KeyValueStore } from '../client/src/onboarding/repository';
import { OnboardingOrchestrator } from '../client/src/onboarding/orchestrator';
import { defaultFetch } from '../client/src/http/transport';
import { MemoryTokenStore, type TokenStore } from '../client/src/store';
import { ApiKeyStore } from '../service/src/api/apiKeys';
import { buildServiceHttp } from '../service/src/httpServer';
import { SuiteBridgeService } from '../service/src/service';
import type { ConnectionStatus } from '../service/src/status';
import { startBenchPostgres } from './postgresProcess';
import { percentile } from './stats';
import { renderTable } from './table';

const AT = '2026-11-29T00:00:00.000Z';
const STATUS: ConnectionStatus = 'needs_certificate';

function tenantRecord(tenant: string, padding: string): string {
  const step = { status: 'done', summary: 'ok', at: AT };
  return JSON.stringify({
    version: 1, tenant, createdAt: AT, updatedAt: AT, completedAt: AT,
    settings: { tenant, accountId: '1234567', authClient: { clientId: 'a'.repeat(64) }, ccClient: { clientId: 'c'.repeat(64) }, redirectUri: 'https://app.example.com/callback', bundleId: '512345' },
    steps: { authorize: step, bundle: step, certificate: step, configure: step, verify: step },
    authorization: {},
    certificate: { certificateId: `cert-${tenant}`, notAfter: '2028-11-29T00:00:00.000Z', privateKeyPem: padding },
    standby: { certificateId: `standby-${tenant}`, privateKeyPem: padding },
  });
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

interface Figures {
  p50: number;
  p95: number;
  page: number;
  before?: { p50: number; calls: number };
}

async function measureStore(store: TokenStore, tenants: number, calls: number, beforeCalls: number): Promise<Figures> {
  const service = new SuiteBridgeService({ store, redis: 'redis://127.0.0.1:1', accountSemaphore: false, logger: pino({ level: 'silent' }) });
  const names = Array.from({ length: tenants }, (_, i) => `t${String(i).padStart(5, '0')}`);
  const padding = randomBytes(1800).toString('base64');
  await inParallel(names, 16, async (tenant) => {
    await store.compareAndSwap(RECORD_PREFIX + tenant, null, tenantRecord(tenant, padding));
    const index = Number(tenant.slice(1));
    const status: ConnectionStatus = index % 10 === 0 ? STATUS : 'healthy';
    await service.statuses.update(tenant, () => ({ tenant, status, reason: 'bench', since: AT, lastCheckAt: AT, nextCheckAt: AT, failures: 0 }));
  });
  const keys = new ApiKeyStore(store);
  const { key } = await keys.create({ name: 'bench', scopes: ['tenants:read'], rateLimitPerMinute: 1_000_000_000 });
  const app = buildServiceHttp(service, { api: { keys } });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    let page = 0;
    const list = async (cursor?: string) => {
      const res = await defaultFetch(`${apiUrl}/v1/tenants?status=${STATUS}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${key}` } });
      if (res.status !== 200) throw new Error(`list answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { items: unknown[]; nextCursor?: string };
      page = body.items.length;
      return body.nextCursor;
    };
    // Pages across the whole listing (first page, and following pages by cursor), as a client would walk it.
    for (let i = 0; i < 10; i++) await list();
    const times: number[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      cursor = await list(cursor);
      times.push(performance.now() - start);
    }
    const sorted = times.sort((a, b) => a - b);
    const figures: Figures = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), page };
    if (beforeCalls > 0) figures.before = { p50: await beforeIndex(store, service, beforeCalls), calls: beforeCalls };
    return figures;
  } finally {
    await app.close();
  }
}

/** Every status and every tenant record read (in batches), then filtered: the list before the status index, and what a console search reads. */
async function beforeIndex(store: KeyValueStore, service: SuiteBridgeService, calls: number): Promise<number> {
  const orchestrator = new OnboardingOrchestrator({ store });
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    const [statuses, summaries] = await Promise.all([service.statuses.list(), orchestrator.list()]);
    const states = new Map(statuses.map((s) => [s.tenant, s]));
    summaries.filter((t) => states.get(t.tenant)?.status === STATUS).slice(0, 100);
    times.push(performance.now() - start);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

export async function statusListingSection(o: { tenants?: number; calls?: number; beforeCalls?: number } = {}): Promise<string> {
  const tenants = o.tenants ?? 10_000;
  const calls = o.calls ?? 100;
  const beforeCalls = o.beforeCalls ?? 3;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const rows: string[][] = [];
  const memory = await measureStore(new MemoryTokenStore(), tenants, calls, beforeCalls);
  const row = (name: string, f: Figures) => [name, ms(f.p50), ms(f.p95), f.before ? `${ms(f.before.p50)} (p50 of ${f.before.calls})` : '-', String(f.page), f.p95 <= 50 ? 'yes' : 'NO'];
  rows.push(row('in-memory', memory));
  const pg = await startBenchPostgres();
  let note = '';
  if (pg) {
    const store = new (require('../client/src/store/postgres') as typeof import('../client/src/store/postgres')).PostgresTokenStore({ postgres: pg.url, secretKey: randomBytes(32), schema: `bench_${randomBytes(4).toString('hex')}` });
    try {
      rows.push(row('PostgreSQL (local, encrypted values)', await measureStore(store, tenants, calls, beforeCalls)));
    } finally {
      await store.close();
      await pg.stop();
    }
  } else {
    note = 'note: PostgreSQL not found (no /usr/lib/postgresql/*/bin/initdb, PG_BIN or SUITEBRIDGE_BENCH_POSTGRES_URL): PostgreSQL row skipped.\n';
  }
  return `Tenant list by status: GET /v1/tenants?status=${STATUS}&limit=100 over ${tenants} tenants (1 in 10 in that status), ${calls} pages walked by cursor\n` +
    renderTable(['Store', 'p50', 'p95', 'Every tenant read (the list before the index; the console\'s search)', 'Page', 'p95 ≤ 50 ms'], rows) + '\n' + note + '\n';
}

if (require.main === module) {
  statusListingSection().then((text) => process.stdout.write(text), (err: unknown) => {
    process.stderr.write(`status listing bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
