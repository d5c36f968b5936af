/**
 * The `suitebridge` CLI as a customer uses it, against the emulator in this process: `onboard` (https loopback
 * callback server, two integration records, --json progress, --no-wait exit code, resume), then `tenants`,
 * `restlet`, `suiteql`, `cert rotate` and `tenants remove`. Runs the built CLI (`npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../emulator/src';
import { driveAuthorization } from '../../client/src/onboarding/formDriver';
import { pinnedGet } from '../../client/src/onboarding/pinnedHttps';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'bin', 'suitebridge.js');
const SECRET_KEY = Buffer.alloc(32, 9).toString('base64');
const HTTPS_REDIRECT = 'https://app.example.com/netsuite/callback';

let dir: string;
let emulator: RunningEmulator;
let redirectUri: string;
let clientId: string;
let ccClientId: string;
let httpsClientId: string;
let single: { clientId: string; clientSecret: string };
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
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
}

function cli(args: string[], onLine?: (line: Record<string, unknown>, child: ChildProcess) => void, extraEnv: NodeJS.ProcessEnv = {}, onText?: (text: string) => void): Promise<Run> {
  return new Promise((res, rej) => {
    const env: NodeJS.ProcessEnv = { ...process.env, SUITEBRIDGE_SECRET_KEY: SECRET_KEY, SUITEBRIDGE_STORE: storePath, CI: '1' };
    delete env.SUITEBRIDGE_TEST_CRASH_AT;
    Object.assign(env, extraEnv);
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const lines: Record<string, unknown>[] = [];
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onText?.(d.toString());
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
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr, lines }));
  });
}

const onboardArgs = () => [
  'onboard', '--account', '1234567', '--client-id', clientId, '--cc-client-id', ccClientId, '--redirect-uri', redirectUri,
  '--base-url', emulator.url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait', '--json',
];

/** Plays the administrator's browser for a running `onboard --json`: consents and lands on its https callback. */
function consentWhenAsked(o: { decision?: 'allow' | 'deny'; before?: (pem: string) => Promise<void>; rewrite?: (url: string) => string; landed?: (status: number) => void } = {}) {
  let pem = '';
  return (line: Record<string, unknown>) => {
    if (line.event === 'callback-server') pem = String(line.certificatePem);
    if (line.event === 'waiting' && line.reason === 'authorization') {
      void (async () => {
        await o.before?.(pem);
        const url = o.rewrite ? o.rewrite(String(line.authorizationUrl)) : String(line.authorizationUrl);
        const visits: { status: number }[] = [];
        await driveAuthorization(url, redirectUri, { ...admin, role: 3 }, { decision: o.decision ?? 'allow', followCallback: { certificatePem: pem }, visits: visits as never });
        o.landed?.(visits.at(-1)?.status ?? 0);
      })().catch((err: unknown) => process.stderr.write(`consentWhenAsked: the browser stand-in failed: ${err instanceof Error ? err.message : String(err)}\n`));
    }
  };
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'build', 'client', 'src', 'cli', 'main.js'))) throw new Error('Run `npm run build` first: this test runs the built CLI.');
  dir = mkdtempSync(join(tmpdir(), 'sbr-cli-'));
  storePath = join(dir, 'tokens.db');
  redirectUri = `https://127.0.0.1:${await freePort()}/callback`;
  const scopes = ['restlets', 'rest_webservices'];
  emulator = await startEmulator({
    port: 0,
    quiet: true,
    dataDir: join(dir, 'emulator'),
    config: {
      accounts: [{ accountId: '1234567', environment: 'PRODUCTION' }, { accountId: '7654321', environment: 'PRODUCTION' }],
      // Oracle's set-up: a public auth-code record for the consent, a confidential record for client credentials.
      integrations: [
        { name: 'CLI test (public)', accountId: '1234567', publicClient: true, redirectUris: [redirectUri], scopes, grants: ['authorization_code'], refreshTokenValidityHours: 1 },
        { name: 'CLI test (M2M)', accountId: '1234567', publicClient: false, scopes, grants: ['client_credentials'] },
        { name: 'CLI test (https redirect)', accountId: '1234567', publicClient: true, redirectUris: [HTTPS_REDIRECT], scopes, grants: ['authorization_code'] },
        { name: 'CLI test (single record)', accountId: '1234567', publicClient: false, redirectUris: [redirectUri], scopes, grants: ['authorization_code', 'client_credentials'] },
        { name: 'CLI test (other account M2M)', accountId: '7654321', publicClient: false, scopes, grants: ['client_credentials'] },
      ],
    },
  });
  const byName = (name: string) => {
    const found = emulator.seed.integrations.find((i) => i.name === name);
    if (!found) throw new Error(`emulator seed lacks ${name}`);
    return found;
  };
  const user = emulator.seed.users.find((u) => u.accountId === '1234567' && u.roles.some((r) => r.internalId === 3));
  if (!user) throw new Error('emulator seed lacks the administrator');
  clientId = byName('CLI test (public)').clientId;
  ccClientId = byName('CLI test (M2M)').clientId;
  httpsClientId = byName('CLI test (https redirect)').clientId;
  const singleRecord = byName('CLI test (single record)');
  single = { clientId: singleRecord.clientId, clientSecret: String(singleRecord.clientSecret) };
  admin = { email: user.email, password: user.password };
}, 30_000);

afterAll(async () => {
  await emulator?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('suitebridge CLI onboarding', () => {
  it('onboard exits 3 when the administrator denies consent (runs first: the emulator asks for consent only the first time)', async () => {
    const denied = await cli([...onboardArgs(), '--tenant', 'denied'], consentWhenAsked({ decision: 'deny' }));
    expect(denied.code).toBe(3);
    const failed = denied.lines.find((l) => l.event === 'step' && l.status === 'failed');
    expect(failed).toMatchObject({ step: 'authorize', error: { code: 'AUTHORIZATION_DENIED' } });
    expect((await cli(['tenants', 'remove', 'denied'])).code).toBe(0);
  }, 60_000);

  it('onboard: serves the https callback, ignores stray requests to it, stops with exit 6 while the bundle is missing, resumes to completion', async () => {
    let callbackStatus = 0;
    const strays: number[] = [];
    const first = await cli(
      onboardArgs(),
      consentWhenAsked({
        // A port scanner, a reload of an old redirect, another tab: answered, never the end of the onboarding.
        before: async (pem) => {
          for (const path of ['/callback', '/callback?state=not-the-one&code=abc', '/', '/callback?error=access_denied&state=other']) strays.push((await pinnedGet(`${new URL(redirectUri).origin}${path}`, pem)).status);
        },
        landed: (status) => (callbackStatus = status),
      }),
    );
    expect(strays).toEqual([400, 400, 404, 400]);
    expect(callbackStatus).toBe(200);
    const served = first.lines.find((l) => l.event === 'callback-server');
    expect(served).toMatchObject({ redirectUri, certificateSha256: expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/) });
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
    const args = ['onboard', '--account', '1234567', '--client-id', httpsClientId, '--cc-client-id', ccClientId, '--redirect-uri', HTTPS_REDIRECT, '--tenant', 'pasted', '--base-url', emulator.url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait'];
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

  it('without --json, onboard prints the redirect URI to register and the fingerprint of the certificate its callback really presents', async () => {
    let printed = '';
    let presented = '';
    const run = await cli([...onboardArgs().filter((a) => a !== '--json'), '--tenant', 'plain'], undefined, {}, (text) => {
      printed += text;
      const url = /Open this URL, sign in as an administrator and allow access:\n\s+(\S+)/.exec(printed)?.[1];
      if (!url || presented) return;
      presented = 'pending';
      void (async () => {
        const callback = await driveAuthorization(url, redirectUri, { ...admin, role: 3 });
        // Test-only, for this one request: accept the unknown certificate to read what the server presents.
        presented = await new Promise<string>((resolve, reject) => {
          const req = httpsGet(callback, { rejectUnauthorized: false }, (res) => {
            resolve((res.socket as TLSSocket).getPeerCertificate().fingerprint256);
            res.resume();
          });
          req.on('error', reject);
        });
      })();
    });
    // 0 after the earlier tests installed the bundle; 6 (waiting for the bundle) when this test runs alone.
    expect([0, 6]).toContain(run.code);
    expect(presented).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(run.stdout).toContain(`Callback: ${redirectUri} (this exact redirect URI must be registered on the public integration record).`);
    const fingerprint = /throwaway self-signed certificate made for this run, SHA-256 ([0-9A-F:]{95})\./.exec(run.stdout)?.[1];
    expect(fingerprint).toBe(presented);
    expect(run.stdout).toMatch(/the browser warns that this local certificate is not trusted/);
    expect((await cli(['tenants', 'remove', 'plain', '--revoke-certificate'])).code).toBe(0);
  }, 60_000);

  it('onboard killed (kill -9) after sending the code and before saving the answer: the next run says what may be left, until when and where to revoke it', async () => {
    const args = [...onboardArgs(), '--tenant', 'killed'];
    const killed = await cli(args, consentWhenAsked(), { SUITEBRIDGE_TEST_CRASH_AT: 'authorize:tokens-received' });
    // On failure, show how the run ended instead (its exit code, last events and stderr).
    expect({ signal: killed.signal, ...(killed.signal === 'SIGKILL' ? {} : { code: killed.code, last: killed.lines.slice(-3), stderr: killed.stderr.slice(-800) }) }).toEqual({ signal: 'SIGKILL' });
    const resumed = await cli(args, consentWhenAsked());
    expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: '' });
    const notice = resumed.lines.find((l) => l.event === 'progress' && l.action === 'leftover-authorization');
    expect(String(notice?.message)).toMatch(/may have issued a refresh token for the administrator \(employee internal ID 7, role 3\) in account 1234567/);
    const result = resumed.lines.at(-1) as { event: string; status: string; leftoverAuthorizations?: { liveUntil: string; notice: string }[] };
    expect(result).toMatchObject({ event: 'result', status: 'completed' });
    expect(result.leftoverAuthorizations).toHaveLength(1);
    const liveFor = Date.parse(result.leftoverAuthorizations?.[0]?.liveUntil ?? '') - Date.now();
    expect(liveFor).toBeGreaterThan(0);
    expect(liveFor).toBeLessThanOrEqual(3_600_000);
    const shown = await cli(['tenants', 'show', 'killed']);
    expect(shown.stdout).toMatch(/Warning: An earlier run was interrupted after it sent the authorization code[\s\S]*Setup > Users\/Roles > User Management > OAuth 2.0 Authorized Applications/);
    expect((await cli(['tenants', 'remove', 'killed', '--revoke-certificate'])).code).toBe(0);
  }, 60_000);

  it('onboarding account 7654321 when the administrator consents in account 1234567 fails step 1 naming both accounts (exit 3), exchanging nothing', async () => {
    const otherCc = emulator.seed.integrations.find((i) => i.accountId === '7654321')?.clientId ?? '';
    const run = await cli(
      ['onboard', '--account', '7654321', '--client-id', clientId, '--cc-client-id', otherCc, '--redirect-uri', redirectUri, '--tenant', 'wrong-account', '--base-url', emulator.url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait', '--json'],
      // The administrator's browser is signed in to 1234567 (e.g. through system.netsuite.com): the consent happens there.
      consentWhenAsked({ rewrite: (url) => url.replace('//7654321.app.', '//1234567.app.') }),
    );
    expect(run.code).toBe(3);
    const failed = run.lines.find((l) => l.event === 'step' && l.status === 'failed');
    expect(failed).toMatchObject({
      step: 'authorize',
      error: {
        code: 'AUTHORIZATION_FAILED',
        message: 'The administrator consented in NetSuite account 1234567, but this onboarding is for account 7654321.',
        remedy: expect.stringMatching(/Sign in to account 7654321.*--account 1234567/),
      },
    });
    expect(run.lines.at(-1)).toMatchObject({ event: 'result', status: 'failed' });
    expect(run.stdout).not.toMatch(/"status":"done"|connected/);
    const shown = JSON.parse((await cli(['tenants', 'show', 'wrong-account', '--json'])).stdout) as { consent?: unknown; temporaryAccess: string };
    expect(shown.consent).toBeUndefined();
    expect(shown.temporaryAccess).toBe('none');
    expect((await cli(['tenants', 'remove', 'wrong-account'])).code).toBe(0);
  }, 60_000);

  it.each([
    ['--poll-seconds', '99999999999'],
    ['--poll-seconds', '0'],
    ['--poll-seconds', '2.5'],
    ['--timeout-minutes', '100000'],
    ['--refresh-token-validity-hours', '721'],
    ['--redirect-uri', 'http://127.0.0.1:8899/callback'],
  ])('onboard %s %s exits 2 naming the flag before any request, store or listener', async (flag, value) => {
    let requests = 0;
    const counting = createHttpServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => counting.listen(0, '127.0.0.1', r));
    const port = (counting.address() as AddressInfo).port;
    const store = join(dir, `flags-${flag.slice(2)}-${value.replace(/[^0-9a-z]/gi, '_')}.db`);
    try {
      const run = await cli(
        ['onboard', '--account', '1234567', '--client-id', clientId, '--cc-client-id', ccClientId, '--redirect-uri', redirectUri, '--base-url', `http://127.0.0.1:${port}`, '--dangerously-allow-insecure-http', '--no-open', '--no-wait', '--callback-url', `${redirectUri}?state=x&code=y&role=3&entity=7&company=1234567`, flag, value],
        undefined,
        { SUITEBRIDGE_STORE: store },
      );
      expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
      expect(run.stderr).toContain(flag === '--redirect-uri' ? 'redirectUri must not use http://' : flag);
      expect(requests).toBe(0);
      expect(existsSync(store)).toBe(false);
    } finally {
      await new Promise<void>((r) => counting.close(() => r()));
    }
  }, 60_000);

  it('--single-record onboards with one confidential record holding both grants; its help says what Oracle does not support', async () => {
    const help = await cli(['onboard', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--single-record use ONE integration record for both grants instead of two\. Oracle does not support client credentials on a public client, so that record must be confidential/);
    const args = ['onboard', '--account', '1234567', '--client-id', single.clientId, '--single-record', '--redirect-uri', redirectUri, '--tenant', 'single', '--base-url', emulator.url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait', '--json'];
    const withoutSecret = await cli(args);
    expect(withoutSecret.code).toBe(2);
    expect(withoutSecret.stdout).toMatch(/single-record set-up needs the client secret/);
    const run = await cli(args, consentWhenAsked(), { SUITEBRIDGE_CLIENT_SECRET: single.clientSecret });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.lines.at(-1)).toMatchObject({ event: 'result', status: 'completed' });
    expect(run.stdout).not.toContain(single.clientSecret);
    expect((await cli(['tenants', 'remove', 'single', '--revoke-certificate'])).code).toBe(0);
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
