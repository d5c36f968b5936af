import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigurationError, StoreError } from '../../client/src/errors';
import { TenantRepository } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { PostgresStoreError, PostgresTokenStore, type PostgresTokenStoreOptions } from '../../client/src/store/postgres';
import { LATEST_SCHEMA_VERSION, POSTGRES_MIGRATIONS } from '../../client/src/store/postgresMigrations';
import { childLines } from '../support/childLines';
import { freePort, startPostgres, type PostgresInstance } from '../support/postgres';
import { tokenStoreContractCases } from '../support/tokenStoreContract';
import { transpileClosure } from './support/transpileClosure';

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../..');
const KEY = randomBytes(32);
let pg: PostgresInstance;
let schemaCounter = 0;
const stores: PostgresTokenStore[] = [];

/** A store on its own fresh schema (closed after each test). */
function openStore(options: Partial<PostgresTokenStoreOptions> = {}): PostgresTokenStore {
  const store = new PostgresTokenStore({ postgres: pg.url, secretKey: KEY, schema: `t${++schemaCounter}`, poolSize: 4, ...options });
  stores.push(store);
  return store;
}

async function sql<T extends object = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function failureOf(promise: Promise<unknown>): Promise<PostgresStoreError> {
  const outcome = await promise.then(() => undefined, (err: unknown) => err);
  if (!(outcome instanceof StoreError)) throw new Error(`expected a StoreError, got ${String(outcome)}`);
  return outcome as PostgresStoreError;
}

beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await pg?.destroy();
});

describe('PostgresTokenStore contract', () => {
  tokenStoreContractCases(() => new PostgresTokenStore({ postgres: pg.url, secretKey: KEY, schema: `c${++schemaCounter}` }));
});

describe('PostgresTokenStore schema and migrations', () => {
  it('creates its own schema with a schema_migrations table on first use, once', async () => {
    const store = openStore({ schema: 'sbr_first' });
    expect(await store.schemaVersion()).toBe(0);
    await store.compareAndSwap('k', null, 'v');
    expect(store.lastMigration).toEqual({ applied: POSTGRES_MIGRATIONS.map((m) => m.version), version: LATEST_SCHEMA_VERSION });
    const rows = await sql<{ version: number; name: string }>('SELECT version, name FROM sbr_first.schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    expect(await sql("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('schema_migrations', 'suitebridge_tokens')")).toEqual([]);

    const again = openStore({ schema: 'sbr_first' });
    expect(await again.get('k')).toEqual({ value: 'v', version: 1 });
    expect(again.lastMigration).toEqual({ applied: [], version: LATEST_SCHEMA_VERSION });
  });

  it(`migrations run once when 4 processes start together`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-pgmp-'));
    try {
      transpileClosure([join(REPO, 'client/src/store/postgres.ts')], join(REPO, 'client/src'), join(dir, 'lib'));
      const env = { ...process.env, NODE_PATH: join(REPO, 'node_modules'), SUITEBRIDGE_SECRET_KEY: KEY.toString('hex') };
      const children = Array.from({ length: 4 }, (_, i) =>
        spawn(process.execPath, [join(REPO, 'test/support/postgresStoreChild.js'), join(dir, 'lib'), pg.url, 'sbr_race', `p${i}`], { env }),
      );
      const outputs = children.map(childLines);
      // Every child has loaded its code and built its pool; then all are released at once.
      await Promise.all(outputs.map((o) => o.next()));
      for (const child of children) child.stdin.write('go\n');
      const results = (await Promise.all(outputs.map((o) => o.next()))).map((line) => JSON.parse(line));
      for (const result of results) expect(result).toMatchObject({ error: null, wrote: true });
      const applied = results.map((r) => r.applied);
      expect(applied.filter((a: number[]) => a.length > 0)).toEqual([POSTGRES_MIGRATIONS.map((m) => m.version)]);
      expect(applied.filter((a: number[]) => a.length === 0)).toHaveLength(3);
      expect(await sql('SELECT version FROM sbr_race.schema_migrations')).toHaveLength(POSTGRES_MIGRATIONS.length);
      const store = openStore({ schema: 'sbr_race' });
      expect(await store.list('child:')).toEqual(['child:p0', 'child:p1', 'child:p2', 'child:p3']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a schema written by newer code, without touching it', async () => {
    const store = openStore({ schema: 'sbr_newer' });
    await store.compareAndSwap('k', null, 'keep');
    await sql("INSERT INTO sbr_newer.schema_migrations (version, name) VALUES (99, 'from the future')");
    const newer = openStore({ schema: 'sbr_newer' });
    const err = await failureOf(newer.get('k'));
    expect(err).toBeInstanceOf(PostgresStoreError);
    expect(err.reason).toBe('schema-newer');
    expect(err.message).toMatch(/version 99, newer than this SuiteBridge supports \(1\)/);
    expect(err.remedy).toMatch(/Upgrade this one/);
    expect(await sql('SELECT count(*)::int AS n FROM sbr_newer.suitebridge_tokens')).toEqual([{ n: 2 }]);
  });

  it('with autoMigrate false, refuses an unmigrated schema and works after migrate()', async () => {
    const store = openStore({ schema: 'sbr_manual', autoMigrate: false });
    const err = await failureOf(store.get('k'));
    expect(err.reason).toBe('schema-outdated');
    expect(err.message).toMatch(/version 0; this code needs 1/);
    expect(await sql("SELECT 1 FROM pg_namespace WHERE nspname = 'sbr_manual'")).toEqual([]);
    expect((await store.migrate()).applied).toEqual([1]);
    expect(await store.get('k')).toBeUndefined();
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => new PostgresTokenStore({ postgres: pg.url, secretKey: KEY, schema: 'x"; DROP TABLE y; --' })).toThrow(ConfigurationError);
  });
});

describe('PostgresTokenStore data', () => {
  it('stores values encrypted (AES-GCM bound to the key) and refuses a wrong key without writing', async () => {
    const store = openStore({ schema: 'sbr_enc' });
    const refreshToken = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(48).toString('base64url')}.sig`;
    await store.compareAndSwap('suitebridge:authorization:acme', null, JSON.stringify({ refreshToken }));
    const raw = await sql<{ key: string; value: Buffer }>('SELECT key, value FROM sbr_enc.suitebridge_tokens');
    for (const row of raw) {
      expect(row.value.includes(Buffer.from(refreshToken.split('.')[1]!))).toBe(false);
      expect(row.value[0]).toBe(1);
    }
    const wrong = openStore({ schema: 'sbr_enc', secretKey: randomBytes(32) });
    expect((await failureOf(wrong.compareAndSwap('tenant:y', null, 'v'))).code).toBe('DECRYPTION_FAILED');
    expect(await sql("SELECT key FROM sbr_enc.suitebridge_tokens WHERE key = 'tenant:y'")).toEqual([]);
    expect(JSON.parse((await store.get('suitebridge:authorization:acme'))!.value).refreshToken).toBe(refreshToken);
  });

  it('hides its key-check row, refuses to touch it, and refuses NUL in keys', async () => {
    const store = openStore();
    expect(await store.list('')).toEqual([]);
    expect((await failureOf(store.compareAndSwap('suitebridge:key-check', 1, 'x'))).code).toBe('STORE_ERROR');
    expect((await failureOf(store.get('a\u0000b'))).message).toMatch(/Invalid token store key/);
  });

  it('two pools racing compare-and-swap: one wins each version, the loser gets STORE_CONFLICT from the tenant repository', async () => {
    const a = openStore({ schema: 'sbr_race2' });
    const b = openStore({ schema: 'sbr_race2' });
    await a.compareAndSwap('chain', null, '0');
    let wins = 0;
    await Promise.all([a, b].map(async (store) => {
      for (let i = 0; i < 40; i++) {
        for (;;) {
          const current = (await store.get('chain'))!;
          if (await store.compareAndSwap('chain', current.version, `${Number(current.value) + 1}`)) {
            wins++;
            break;
          }
        }
      }
    }));
    expect(wins).toBe(80);
    expect(await b.get('chain')).toEqual({ value: '80', version: 81 });

    const record = { version: 1, tenant: 'acme' } as unknown as TenantRecord;
    await new TenantRepository(a).save(record, null);
    const outcomes = await Promise.allSettled([new TenantRepository(a).save(record, 1), new TenantRepository(b).save(record, 1)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(lost.reason).toMatchObject({ code: 'STORE_CONFLICT' });
  });

  it('keeps at most poolSize connections per store', async () => {
    const store = new PostgresTokenStore({
      postgres: { connectionString: pg.url, application_name: 'sbr-poolsize' }, secretKey: KEY, schema: 'sbr_pool', poolSize: 2,
    });
    stores.push(store);
    await store.compareAndSwap('k', null, 'v');
    await Promise.all(Array.from({ length: 30 }, () => store.get('k')));
    const [row] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sbr-poolsize'");
    expect(row!.n).toBeGreaterThanOrEqual(1);
    expect(row!.n).toBeLessThanOrEqual(2);
  });
});

describe('PostgresTokenStore failures', () => {
  it('connection refused names the host and port and says what to check', async () => {
    const port = await freePort();
    const store = openStore({ postgres: `postgres://postgres@127.0.0.1:${port}/postgres` });
    const err = await failureOf(store.get('k'));
    expect(err.reason).toBe('unreachable');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.remedy).toMatch(/running and accepts connections/);
  });

  it('a wrong password is an authentication failure that never shows the password', async () => {
    const store = openStore({ postgres: pg.urlFor('postgres', 'not-the-password') });
    const err = await failureOf(store.get('k'));
    expect(err.reason).toBe('authentication');
    expect(err.message).toContain(`127.0.0.1:${pg.port}/postgres`);
    expect(err.remedy).toMatch(/user and password/);
    expect(`${err.message} ${err.remedy}`).not.toContain('not-the-password');
  });

  it('a missing database says to create it', async () => {
    const err = await failureOf(openStore({ postgres: pg.urlFor('no_such_db') }).get('k'));
    expect(err.reason).toBe('database-missing');
    expect(err.remedy).toMatch(/CREATE DATABASE/);
  });

  it('refuses a non-postgres URL without echoing it, and a missing shared key', () => {
    const bad = () => new PostgresTokenStore({ postgres: 'mysql://u:hunter2@h/db', secretKey: KEY });
    expect(bad).toThrow(/not a postgres:\/\/ URL/);
    expect(bad).not.toThrow(/hunter2/);
    expect(() => new PostgresTokenStore({ postgres: pg.url, env: {} })).toThrow(/SUITEBRIDGE_SECRET_KEY/);
  });

  it.each([
    ['postgres://u:hunter2@db.internal:6543/tokens', 'db.internal:6543/tokens'],
    ['postgresql://u@/tokens?host=/var/run/postgresql', 'socket /var/run/postgresql:5432/tokens'],
    ['postgres://u:hunter2@[::1]:5433/x', '::1:5433/x'],
    ['postgres://h1:5432,h2:5432/x', 'h1:5432/x'],
  ])('describes %s as %s in messages, without credentials', async (url, target) => {
    const store = openStore({ postgres: url, env: {} });
    expect(store.target).toBe(target);
  });

  it('use after close is a clear error', async () => {
    const store = openStore();
    await store.close();
    expect((await failureOf(store.get('k'))).reason).toBe('closed');
  });

  it('PostgreSQL restarted mid-run: calls fail clearly while it is down, succeed after, and nothing acknowledged is lost', async () => {
    const store = openStore({ schema: 'sbr_restart', connectionTimeoutMs: 2000 });
    const acknowledged = new Map<string, { value: string; version: number }>();
    // A write cut by the crash may have committed before its answer was lost: it is ambiguous, not acknowledged.
    const ambiguous = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const value = `refresh-token-${i}-${randomBytes(8).toString('hex')}`;
      if (await store.compareAndSwap(`tenant:${i}`, null, value)) acknowledged.set(`tenant:${i}`, { value, version: 1 });
    }
    // A writer keeps going through the crash; only what it was told succeeded must survive.
    let writing = true;
    const failures: PostgresStoreError[] = [];
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const key = `tenant:${i % 20}`;
        const value = `rotated-${i}`;
        try {
          const current = (await store.get(key))!;
          if (await store.compareAndSwap(key, current.version, value)) acknowledged.set(key, { value, version: current.version + 1 });
        } catch (err) {
          ambiguous.add(value);
          failures.push(err as PostgresStoreError);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    await pg.stop('immediate');
    const whileDown = await failureOf(store.get('tenant:0'));
    expect(whileDown).toBeInstanceOf(PostgresStoreError);
    expect(whileDown.reason).toBe('unreachable');
    expect(whileDown.message).toContain(`127.0.0.1:${pg.port}`);
    expect(whileDown.message).toContain('read "tenant:0" from the PostgreSQL token store');
    await pg.start();
    // The first calls after the restart may still meet connections the crash cut; the pool replaces them.
    let back = false;
    for (let attempt = 0; attempt < 50 && !back; attempt++) {
      back = await store.get('tenant:0').then(() => true, () => false);
      if (!back) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(true);
    writing = false;
    await writer;
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(failure.reason).toBe('unreachable');
    const reopened = openStore({ schema: 'sbr_restart' });
    for (const [key, acked] of acknowledged) {
      const stored = (await reopened.get(key))!;
      expect(stored.version).toBeGreaterThanOrEqual(acked.version);
      if (stored.version === acked.version) expect(stored.value).toBe(acked.value);
      else expect(ambiguous.has(stored.value)).toBe(true);
    }
    expect(await reopened.list('tenant:')).toHaveLength(20);
  });
});
