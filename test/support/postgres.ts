import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * A private PostgreSQL server for one test file: `initdb` into a temp dir, `pg_ctl start` on a free port
 * (TCP on 127.0.0.1, unix socket in the temp dir), removed by `destroy()`. Runs as the `postgres` user
 * when the tests run as root (initdb refuses root). No PostgreSQL installed is a failure, never a skip.
 */
export interface PostgresInstance {
  /** Superuser URL with password over TCP, e.g. postgres://postgres:pw@127.0.0.1:PORT/postgres. */
  readonly url: string;
  readonly port: number;
  readonly password: string;
  readonly dir: string;
  /** A URL for another database on the same server (created by `createDatabase`). */
  urlFor(database: string, password?: string): string;
  createDatabase(name: string): Promise<void>;
  /** Stops the server; `immediate` is a crash (no checkpoint: committed data must come back from WAL). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if running and removes every file. */
  destroy(): Promise<void>;
  log(): string;
}

export const POSTGRES_INSTALL_HELP =
  'PostgreSQL server binaries (initdb, pg_ctl) were not found in $PG_BIN, /usr/lib/postgresql/*/bin or PATH. ' +
  'Install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql@15) or set PG_BIN to the directory ' +
  'holding initdb and pg_ctl. CI installs the Debian package in .ci/run; these tests never skip.';

/** PG_BIN, else the newest /usr/lib/postgresql/<version>/bin, else initdb on PATH. Throws how to install otherwise. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string {
  const hasTools = (dir: string): boolean => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'));
  if (env.PG_BIN) {
    if (hasTools(env.PG_BIN)) return env.PG_BIN;
    throw new Error(`PG_BIN=${env.PG_BIN} holds no initdb/pg_ctl. ${POSTGRES_INSTALL_HELP}`);
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((name) => /^\d+(\.\d+)?$/.test(name) && hasTools(join(root, name, 'bin')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && hasTools(dir)) return dir;
  throw new Error(POSTGRES_INSTALL_HELP);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function run(command: string, args: string[], asPostgres: boolean): Promise<string> {
  const [file, argv] = asPostgres ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

export async function startPostgres(): Promise<PostgresInstance> {
  const bin = findPostgresBin();
  const asPostgres = userInfo().uid === 0;
  // The postgres user must reach the data dir: as root, stay out of a private TMPDIR such as /root/tmp.
  const dir = mkdtempSync(join(asPostgres ? '/tmp' : tmpdir(), 'sbr-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const password = randomBytes(12).toString('hex');
  writeFileSync(join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
  if (asPostgres) {
    chownSync(dir, Number(await run('id', ['-u', 'postgres'], false)), Number(await run('id', ['-g', 'postgres'], false)));
    chownSync(join(dir, 'pwfile'), Number(await run('id', ['-u', 'postgres'], false)), -1);
  }
  await run(join(bin, 'initdb'), [
    '-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync',
    '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${join(dir, 'pwfile')}`,
  ], asPostgres);
  rmSync(join(dir, 'pwfile'));

  let port = 0;
  let running = false;
  const start = async (): Promise<void> => {
    // Another process may take a "free" port between the probe and the listen: try a few.
    for (let attempt = 0; ; attempt++) {
      if (port === 0 || attempt > 0) port = await freePort();
      try {
        await run(join(bin, 'pg_ctl'), [
          '-D', data, '-l', logFile, '-w', '-t', '60',
          '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=16MB`,
          'start',
        ], asPostgres);
        running = true;
        return;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  };
  const startSamePort = async (): Promise<void> => {
    await run(join(bin, 'pg_ctl'), [
      '-D', data, '-l', logFile, '-w', '-t', '60',
      '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=16MB`,
      'start',
    ], asPostgres);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!running) return;
    await run(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], asPostgres);
    running = false;
  };
  await start();
  const urlFor = (database: string, pw = password): string =>
    `postgres://postgres:${encodeURIComponent(pw)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    get url() {
      return urlFor('postgres');
    },
    get port() {
      return port;
    },
    password,
    dir,
    urlFor,
    async createDatabase(name: string) {
      await run(join(bin, 'psql'), ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1',
        '-c', `CREATE DATABASE "${name.replace(/"/g, '""')}"`], asPostgres);
    },
    stop,
    start: startSamePort,
    async destroy() {
      try {
        await stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
}
