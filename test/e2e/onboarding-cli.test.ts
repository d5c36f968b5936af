/**
 * The `suitebridge` CLI as a customer uses it, against the emulator in this process: `onboard` (loopback
 * callback server, --json progress, --no-wait exit code, resume), then `tenants`, `restlet`, `suiteql`,
 * `cert rotate` and `tenants remove`. Runs the built CLI (`npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../emulator/src';
import { driveAuthorization } from '../../client/src/onboarding/formDriver';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'bin', 'suitebridge.js');
const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');
const HTTPS_REDIRECT = 'https://app.example.com/netsuite/callback';

let dir: string;
let emulator: RunningEmulator;
let redirectUri: string;
let clientId: string;
let httpsClientId: string;
let storePath: string;
let admin: { email: string; password: string };

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => res(port));
    });
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
}

function cli(args: string[], onLine?: (line: Record<string, unknown>, child: ChildProcess) => void): Promise<Run> {
  return new Promise((res, rej) => {
    const env: NodeJS.ProcessEnv = { ...process.env, SUITEBRIDGE_SECRET_KEY: SECRET_KEY, SUITEBRIDGE_STORE: storePath, CI: '1' };
    delete env.SUITEBRIDGE_TEST_CRASH_AT;
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const lines: Record<string, unknown>[] = [];
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      pending += d.toString();
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const text = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
        if (!text.startsWith('{')) continue;
        try {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          lines.push(parsed);
          onLine?.(parsed, child);
        } catch {
          // a multi-line JSON document (pretty output); parsed by the caller from stdout
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => res({ code, stdout, stderr, lines }));
  });
}

const onboardArgs = () => [
  'onboard', '--account', '1234567', '--client-id', clientId, '--redirect-uri', redirectUri,
  '--base-url', emulator.url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait', '--json',
];

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'build', 'client', 'src', 'cli', 'main.js'))) throw new Error('Run `npm run build` first: this test runs the built CLI.');
  dir = mkdtempSync(join(tmpdir(), 'sbr-cli-'));
  storePath = join(dir, 'tokens.db');
  redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
  emulator = await startEmulator({
    port: 0,
    quiet: true,
    dataDir: join(dir, 'emulator'),
    config: {
      integrations: [
        { name: 'CLI test (public)', accountId: '1234567', publicClient: true, redirectUris: [redirectUri], scopes: ['restlets', 'rest_webservices'], grants: ['authorization_code', 'client_credentials'], allowClientCredentialsForPublicClient: true },
        { name: 'CLI test (https redirect)', accountId: '1234567', publicClient: true, redirectUris: [HTTPS_REDIRECT], scopes: ['restlets', 'rest_webservices'], grants: ['authorization_code', 'client_credentials'], allowClientCredentialsForPublicClient: true },
      ],
    },
  });
  const integration = emulator.seed.integrations[0];
  const user = emulator.seed.users.find((u) => u.accountId === '1234567' && u.roles.some((r) => r.internalId === 3));
  if (!integration || !user) throw new Error('emulator seed lacks the integration or the administrator');
  clientId = integration.clientId;
  httpsClientId = emulator.seed.integrations.find((i) => i.redirectUris.includes(HTTPS_REDIRECT))?.clientId ?? '';
  admin = { email: user.email, password: user.password };
}, 30_000);

afterAll(async () => {
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('suitebridge CLI onboarding', () => {
  it('onboard exits 3 when the administrator denies consent (runs first: the emulator asks for consent only the first time)', async () => {
    const denied = await cli([...onboardArgs(), '--tenant', 'denied'], (line) => {
      if (line.event === 'waiting' && line.reason === 'authorization') {
        void (async () => {
          const callback = await driveAuthorization(String(line.authorizationUrl), redirectUri, { ...admin, role: 3 }, { decision: 'deny' });
          await fetch(callback);
        })();
      }
    });
    expect(denied.code).toBe(3);
    const failed = denied.lines.find((l) => l.event === 'step' && l.status === 'failed');
    expect(failed).toMatchObject({ step: 'authorize', error: { code: 'AUTHORIZATION_DENIED' } });
    expect((await cli(['tenants', 'remove', 'denied'])).code).toBe(0);
  }, 60_000);

  it('onboard: serves the callback, stops with exit 6 while the bundle is missing, resumes to completion', async () => {
    let callbackStatus = 0;
    const first = await cli(onboardArgs(), (line) => {
      if (line.event === 'waiting' && line.reason === 'authorization') {
        void (async () => {
          const callback = await driveAuthorization(String(line.authorizationUrl), redirectUri, { ...admin, role: 3 });
          callbackStatus = (await fetch(callback)).status;
        })();
      }
    });
    expect(callbackStatus).toBe(200);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(6);
    const bundleWait = first.lines.find((l) => l.event === 'waiting' && l.reason === 'bundle');
    expect(bundleWait?.failedChecks).toEqual([expect.objectContaining({ id: 'bundle_installed', ok: false, remedy: expect.stringContaining('Install bundle 512345') })]);
    expect(first.lines.at(-1)).toMatchObject({ event: 'result', status: 'waiting_for_bundle' });
    expect(first.stdout).not.toMatch(/eyJ|PRIVATE KEY|code_verifier/);

    const install = await fetch(`${emulator.url}/__emulator/bundles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: '1234567', bundleId: '512345' }) });
    expect(install.ok).toBe(true);

    const second = await cli(onboardArgs());
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    // Resumed at step 2: no new authorization was asked for.
    expect(second.lines.some((l) => l.event === 'waiting')).toBe(false);
    expect(second.lines.filter((l) => l.event === 'step' && l.status === 'done').map((l) => l.step)).toEqual(['bundle', 'certificate', 'finalize']);
    expect(second.lines.at(-1)).toMatchObject({ event: 'result', status: 'completed' });
  }, 60_000);

  it('with a non-loopback redirect URI: exits 6 asking for --callback-url, then completes from the pasted URL', async () => {
    const args = ['onboard', '--account', '1234567', '--client-id', httpsClientId, '--redirect-uri', HTTPS_REDIRECT, '--tenant', 'pasted', '--base-url', emulator.url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait'];
    const first = await cli([...args, '--json']);
    expect(first.code).toBe(6);
    expect(first.stdout).toContain('--callback-url');
    const url = first.lines.find((l) => l.event === 'waiting' && l.reason === 'authorization')?.authorizationUrl;
    const callback = await driveAuthorization(String(url), HTTPS_REDIRECT, { ...admin, role: 3 });
    expect(callback.startsWith(`${HTTPS_REDIRECT}?`)).toBe(true);
    const second = await cli([...args, '--callback-url', callback]);
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 0, stderr: '' });
    expect(second.stdout).toMatch(/✓ 4\/4 Post-install/);
    expect((await cli(['tenants', 'remove', 'pasted', '--revoke-certificate'])).code).toBe(0);
  }, 60_000);

  it('tenants list/show, restlet, suiteql use the stored certificate', async () => {
    const list = await cli(['tenants', 'list', '--json']);
    expect(list.code).toBe(0);
    const tenants = JSON.parse(list.stdout) as { tenant: string; status: string; certificateId?: string }[];
    expect(tenants).toEqual([expect.objectContaining({ tenant: '1234567', status: 'completed', certificateId: expect.any(String) })]);

    const show = await cli(['tenants', 'show', '1234567']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/Audit log \(\d+\)/);
    expect(show.stdout).toContain('refresh-token-revoked');
    expect(show.stdout).not.toMatch(/PRIVATE KEY|eyJ/);

    const health = await cli(['restlet', 'get', '--tenant', '1234567', '--script', 'customscript_sbr_rl_health', '--deploy', 'customdeploy_sbr_rl_health']);
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ accountId: '1234567', roleScriptId: expect.stringMatching(/^customrole_sbr_integration$/i) });

    const put = await cli(['restlet', 'put', '--tenant', '1234567', '--script', 'customscript_sbr_rl_config', '--deploy', 'customdeploy_sbr_rl_config', '--data', '{"entries":{"cli.test":"yes"}}']);
    expect(put.code).toBe(0);
    expect(JSON.parse(put.stdout)).toMatchObject({ created: ['cli.test'] });

    const rows = await cli(['suiteql', '--tenant', '1234567', '--page-size', '2', '--max-rows', '3', '--json', 'SELECT custrecord_sbr_config_key AS key FROM customrecord_sbr_config ORDER BY id']);
    expect(rows.code).toBe(0);
    const result = JSON.parse(rows.stdout) as { rows: unknown[]; count: number; truncated: boolean };
    expect(result.count).toBe(3);
    expect(result.truncated).toBe(true);
  }, 60_000);

  it('reports bad input and unknown tenants with exit code 2 and a named fix', async () => {
    const unknown = await cli(['restlet', 'get', '--tenant', 'nobody', '--script', 'customscript_sbr_rl_health', '--deploy', 'customdeploy_sbr_rl_health']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No tenant named "nobody"[\s\S]*fix: List tenants/);
    const badJson = await cli(['restlet', 'post', '--tenant', '1234567', '--script', 'customscript_sbr_rl_setup', '--deploy', 'customdeploy_sbr_rl_setup', '--data', '{oops']);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/--data is not valid JSON/);
    const badAccount = await cli(['onboard', '--account', 'acme', '--client-id', clientId, '--json']);
    expect(badAccount.code).toBe(2);
    expect(JSON.parse(badAccount.stdout.trim().split('\n').at(-1) ?? '{}')).toMatchObject({ error: 'INVALID_ACCOUNT_ID' });
    const help = await cli(['tenants', 'remove', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--revoke-certificate/);
  }, 60_000);

  it('cert rotate replaces the certificate; tenants remove --revoke-certificate revokes it', async () => {
    const before = JSON.parse((await cli(['tenants', 'show', '1234567', '--json'])).stdout) as { certificate: { certificateId: string } };
    const rotate = await cli(['cert', 'rotate', '--tenant', '1234567', '--json']);
    expect(rotate.stderr).toBe('');
    expect(rotate.code).toBe(0);
    const rotated = JSON.parse(rotate.stdout) as { certificateId: string };
    expect(rotated.certificateId).not.toBe(before.certificate.certificateId);
    const health = await cli(['restlet', 'get', '--tenant', '1234567', '--script', 'customscript_sbr_rl_health', '--deploy', 'customdeploy_sbr_rl_health']);
    expect(health.code).toBe(0);

    const removed = await cli(['tenants', 'remove', '1234567', '--revoke-certificate', '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ removed: true, revokedCertificateId: rotated.certificateId });
    const empty = await cli(['tenants', 'list', '--json']);
    expect(JSON.parse(empty.stdout)).toEqual([]);
  }, 60_000);
});
