import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redisProcess';

/**
 * A throwaway PostgreSQL for the bench: initdb into a temp dir (trust auth, loopback only), pg_ctl on a free
 * port. Runs as the postgres user when the bench runs as root. SUITEBRIDGE_BENCH_POSTGRES_URL skips all this.
 */
export interface BenchPostgres {
  url: string;
  stop(): Promise<void>;
}

function run(command: string, args: string[], asPostgres: boolean): Promise<void> {
  const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) =>
    execFile(file, argv, { timeout: 60_000 }, (err, _out, stderr) => (err ? reject(new Error(`${command} failed: ${stderr || err.message}`)) : resolve())),
  );
}

function postgresBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))[0];
  return version ? join(root, version, 'bin') : undefined;
}

export async function startBenchPostgres(): Promise<BenchPostgres | undefined> {
  if (process.env.SUITEBRIDGE_BENCH_POSTGRES_URL) return { url: process.env.SUITEBRIDGE_BENCH_POSTGRES_URL, stop: async () => undefined };
  const bin = postgresBin();
  if (!bin) return undefined;
  const asPostgres = userInfo().uid === 0;
  const dir = mkdtempSync('/tmp/sbr-bench-pg-');
  if (asPostgres) chownSync(dir, Number(await idOf('-u')), Number(await idOf('-g')));
  const data = join(dir, 'data');
  await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--auth=trust'], asPostgres);
  const port = await freePort();
  await run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`, 'start'], asPostgres);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], asPostgres).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function idOf(flag: string): Promise<string> {
  return new Promise((resolve, reject) => execFile('id', [flag, 'postgres'], (err, out) => (err ? reject(err) : resolve(out.trim()))));
}
