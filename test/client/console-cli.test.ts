/**
 * `suitebridge console`: the credential never comes from a flag value, bad flags exit 2 before anything starts,
 * and a started console (a real process, built CLI) serves https with the printed fingerprint and refuses
 * operator pages until sign-in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TLSSocket } from 'node:tls';
import { verifyOperatorPassword } from '../../client/src/console/operatorCredential';
import { runCli } from './_cliCapture';

const BIN = join(__dirname, '..', '..', 'bin', 'suitebridge.js');
const AUTH = 'a'.repeat(64);
const CC = 'c'.repeat(64);

describe('suitebridge console flags', () => {
  let dir: string;
  const saved = process.env.SUITEBRIDGE_CONSOLE_PASSWORD;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-console-cli-'));
    delete process.env.SUITEBRIDGE_CONSOLE_PASSWORD;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env.SUITEBRIDGE_CONSOLE_PASSWORD;
    else process.env.SUITEBRIDGE_CONSOLE_PASSWORD = saved;
  });

  it('has no flag that takes the password itself', async () => {
    const help = await runCli(['console', '--help']);
    expect(help.stdout).toContain('--password-file <path>');
    expect(help.stdout).toContain('SUITEBRIDGE_CONSOLE_PASSWORD');
    expect(help.stdout).not.toMatch(/--password </);
    const attempt = await runCli(['console', '--client-id', AUTH, '--cc-client-id', CC, '--password', 'a long operator password', '--no-open']);
    expect(attempt.code).toBe(2);
  });

  it('refuses to start without an operator credential, naming both ways to give one', async () => {
    const res = await runCli(['console', '--client-id', AUTH, '--cc-client-id', CC, '--store', join(dir, 't.db'), '--port', '0', '--no-open']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('SUITEBRIDGE_CONSOLE_PASSWORD');
    expect(res.stderr).toContain('--password-file');
  });

  it('refuses a password file holding a short password, and a lone --tls-cert', async () => {
    const file = join(dir, 'pw');
    writeFileSync(file, 'short\n');
    const short = await runCli(['console', '--client-id', AUTH, '--cc-client-id', CC, '--password-file', file, '--store', join(dir, 't.db'), '--port', '0', '--no-open']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
    const lone = await runCli(['console', '--client-id', AUTH, '--cc-client-id', CC, '--tls-cert', file, '--no-open']);
    expect(lone.code).toBe(2);
    expect(lone.stderr).toContain('--tls-cert and --tls-key go together');
  });

  it('refuses to start without the confidential M2M record unless --single-record', async () => {
    process.env.SUITEBRIDGE_CONSOLE_PASSWORD = 'a long operator password';
    const res = await runCli(['console', '--client-id', AUTH, '--store', join(dir, 't.db'), '--port', '0', '--no-open']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--cc-client-id');
  });
});

function pinnedGet(url: string): Promise<{ status: number; location?: string; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { rejectUnauthorized: false }, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('suitebridge console process (built CLI)', () => {
  it('hashes a password from stdin, starts over https with the printed fingerprint, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-console-proc-'));
    try {
      const hasher = spawn(process.execPath, [BIN, 'console', '--hash-password'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let hash = '';
      hasher.stdout.on('data', (d: Buffer) => (hash += d.toString('utf8')));
      hasher.stdin.end('a long operator password\n');
      expect(await exited(hasher)).toBe(0);
      hash = hash.trim();
      expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
      await expect(verifyOperatorPassword(hash, 'a long operator password')).resolves.toBe(true);
      writeFileSync(join(dir, 'pw'), `${hash}\n`, { mode: 0o600 });

      const child = spawn(
        process.execPath,
        [BIN, 'console', '--json', '--client-id', AUTH, '--cc-client-id', CC, '--password-file', join(dir, 'pw'), '--store', join(dir, 'tokens.db'), '--port', '0', '--no-open'],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SUITEBRIDGE_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') } },
      );
      const done = exited(child);
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`console exited with ${code}`)));
      });
      const listening = JSON.parse(first) as { event: string; url: string; redirectUri: string; tls: string; certificateSha256: string };
      expect(listening).toMatchObject({ event: 'listening', tls: 'throwaway' });
      expect(listening.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(listening.redirectUri).toBe(`${listening.url}/callback`);
      const tenants = await pinnedGet(`${listening.url}/tenants`);
      expect(tenants.fingerprint).toBe(listening.certificateSha256);
      expect(tenants).toMatchObject({ status: 303, location: '/login' });
      expect((await pinnedGet(`${listening.url}/login`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await done).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
