import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, RedisTokenStore, SqliteTokenStore, usableConcurrency } from '../../client/src';
import { withDriver } from '../../client/src/lazyExport';

const ROOT = join(__dirname, '..', '..');

/** Packages under node_modules that a fresh process has loaded after running `script` (the built package root). */
function loadedPackages(script: string): string[] {
  const probe = `
    ${script}
    const names = new Set();
    for (const file of Object.keys(require.cache)) {
      const m = /node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file);
      if (m) names.add(m[1].replace('\\\\', '/'));
    }
    process.stdout.write(JSON.stringify([...names]));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

describe('package root loads no optional driver', () => {
  const drivers = ['better-sqlite3', 'ioredis', 'redis-semaphore', 'pg', 'fastify', 'commander', 'undici'];

  it('require of the root loads none of better-sqlite3, ioredis, redis-semaphore, pg, fastify, commander, undici', () => {
    const loaded = loadedPackages(`require('./build/client/src/index.js');`);
    expect(loaded).toEqual(expect.arrayContaining(['jose', 'oauth4webapi']));
    expect(loaded.filter((name) => drivers.includes(name))).toEqual([]);
  });

  it('the SQLite store loads better-sqlite3 when first constructed, and only it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-lazy-'));
    try {
      const loaded = loadedPackages(`
        const sb = require('./build/client/src/index.js');
        const store = new sb.SqliteTokenStore({ path: ${JSON.stringify(join(dir, 'tokens.db'))} });
        if (!(store instanceof sb.SqliteTokenStore)) throw new Error('instanceof failed');`);
      expect(loaded).toContain('better-sqlite3');
      expect(loaded.filter((name) => ['ioredis', 'pg'].includes(name))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no library module loads a driver it does not need', () => {
  // The driver modules themselves, and the http barrel, which re-exports the Redis semaphore (library modules and the
  // package root import the specific http files instead; any module importing the barrel fails this test).
  const DRIVER_MODULES = ['store/sqlite.js', 'store/redis.js', 'store/postgres.js', 'store/postgresMigrations.js', 'http/accountSemaphore.js', 'tokens/redisTokenLock.js', 'http/index.js'];
  const libraryFiles = (dir: string, under = ''): string[] =>
    readdirSync(join(dir, under), { withFileTypes: true }).flatMap((entry) => {
      const rel = under === '' ? entry.name : `${under}/${entry.name}`;
      if (entry.isDirectory()) return ['cli', 'onboarding/cli', 'console'].includes(rel) ? [] : libraryFiles(dir, rel);
      return rel.endsWith('.js') && !DRIVER_MODULES.includes(rel) ? [rel] : [];
    });

  it('every module outside the CLI, the console and the driver modules loads none of the optional drivers', () => {
    const files = libraryFiles(join(ROOT, 'build', 'client', 'src'));
    expect(files.length).toBeGreaterThan(50);
    const loaded = loadedPackages(`for (const f of ${JSON.stringify(files)}) require('./build/client/src/' + f);`);
    expect(loaded.filter((name) => ['better-sqlite3', 'ioredis', 'redis-semaphore', 'pg', 'fastify', 'commander', 'undici'].includes(name))).toEqual([]);
  });

  it('the CLI loads commander up front, and the console, emulator, service and stores only for the command that uses them', () => {
    const loaded = loadedPackages(`require('./build/client/src/cli/main.js');`);
    expect(loaded).toContain('commander');
    expect(loaded.filter((name) => ['better-sqlite3', 'ioredis', 'redis-semaphore', 'pg', 'fastify', 'bullmq', 'pino', 'prom-client', 'undici'].includes(name))).toEqual([]);
  });

  it('the console (suitebridge/console) needs fastify only', () => {
    const loaded = loadedPackages(`require('./build/client/src/console/index.js');`);
    expect(loaded).toContain('fastify');
    expect(loaded.filter((name) => ['better-sqlite3', 'ioredis', 'redis-semaphore', 'pg', 'commander'].includes(name))).toEqual([]);
  });
});

describe('lazily loaded exports behave like the real ones', () => {
  it('instanceof, subclassing, name and statics reach the real class', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-lazy-'));
    try {
      class Named extends SqliteTokenStore {
        label(): string {
          return `store at ${this.path}`;
        }
      }
      const store = new Named({ path: join(dir, 'tokens.db') });
      expect(store).toBeInstanceOf(SqliteTokenStore);
      expect(store.label()).toContain('tokens.db');
      expect(SqliteTokenStore.name).toBe('SqliteTokenStore');
      expect(await store.compareAndSwap('k', null, 'v')).toBe(true);
      expect(await store.get('k')).toEqual({ value: 'v', version: 1 });
      expect({} instanceof RedisTokenStore).toBe(false);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('usableConcurrency (no Redis needed) works from the root', () => {
    expect(usableConcurrency(5, 0.2)).toBe(4);
    expect(() => usableConcurrency(0)).toThrow(/positive integer/);
  });
});

describe('a missing optional driver', () => {
  it('becomes a ConfigurationError that names the package to install', () => {
    const load = withDriver('ExampleStore', ['sb-driver-that-is-not-installed'], () => require('sb-driver-that-is-not-installed') as unknown);
    let thrown: unknown;
    try {
      load();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).message).toBe('ExampleStore needs the optional package sb-driver-that-is-not-installed, which is not installed.');
    expect((thrown as ConfigurationError).remedy).toBe('Install it next to suitebridge: npm install sb-driver-that-is-not-installed');
  });

  it('other load failures pass through unchanged', () => {
    const failure = new Error('syntax error in the driver');
    expect(() => withDriver('ExampleStore', ['x'], () => { throw failure; })()).toThrow(failure);
  });
});
