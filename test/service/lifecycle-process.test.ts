/**
 * The whole tenant lifecycle from outside (issue 12): `suitebridge serve` and the emulator run as child processes of
 * the built CLI; everything a calling system does goes through /v1 from the Python examples (separate processes
 * that import nothing from this repository): onboarding start → (the customer's browser consents, installs the
 * bundle) → callback → continue → healthy → RESTlet, SuiteQL and a record through the proxy → certificate rotated →
 * tenant removed: unknown to the API, and both its certificates revoked at the emulator. Needs `npm run build`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { defaultFetch } from '../../client/src/http/transport';
import { openStore } from '../../client/src/onboarding/cli/common';
import { driveAuthorization, installBundleViaPage } from '../../client/src/onboarding/formDriver';
import { startRedis } from '../support/redis';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'bin', 'suitebridge.js');
const EXAMPLES = join(ROOT, 'examples', 'api');
const execFileAsync = promisify(execFile);

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts the CLI and resolves with the first http(s) URL it prints, once `ready` matches a line. */
function startCli(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((res, rej) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m) res({ child, url: m[1] as string, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => rej(new Error(`suitebridge ${args[0]} exited (${String(code)}) before it was ready:\n${output}`)));
  });
}

function stop(started: Started | undefined): Promise<number | null> {
  if (!started || started.child.exitCode !== null) return Promise.resolve(started?.child.exitCode ?? null);
  return new Promise((res) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code) => res(code));
    started.child.kill('SIGTERM');
  });
}

describe('tenant lifecycle from a separate process, through /v1 only', () => {
  let dir: string;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let emulator: Started | undefined;
  let serve: Started | undefined;
  let cliEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-lifecycle-'));
    redis = await startRedis();
    // The same environment (store key included) as this process, which creates the operator's store.
    cliEnv = { ...process.env, CI: '1' };
    emulator = await startCli(['--json', 'emulator', '--port', '0'], cliEnv, /"url":\s*"(http:\/\/127\.0\.0\.1:\d+)"/);
  }, 60_000);
  afterAll(async () => {
    await stop(serve);
    await stop(emulator);
    await redis?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('onboard → healthy → proxy → rotate → remove, and the certificates are revoked at the emulator', async () => {
    const storePath = join(dir, 'tokens.db');
    await openStore({ store: storePath }, { create: true }).close();
    const created = await execFileAsync(process.execPath, [CLI, '--json', 'api-keys', 'create', '--name', 'lifecycle', '--scope', 'tenants:manage', '--scope', 'tenants:read', '--scope', 'proxy', '--store', storePath], { env: cliEnv });
    const { key } = JSON.parse(created.stdout) as { key: string };
    serve = await startCli(
      ['serve', '--redis', redis.redis.url, '--store', storePath, '--port', '0', '--base-url', emulator!.url, '--dangerously-allow-insecure-http', '--proxy-tenant-cache-ms', '0'],
      cliEnv,
      /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );

    // What the calling system is given; the seed stands in for the customer's NetSuite set-up.
    const seed = (await (await defaultFetch(`${emulator!.url}/__emulator/seed`)).json()) as {
      bundleId?: string;
      integrations: { accountId: string; clientId: string; publicClient: boolean; grants: string[]; redirectUris: string[] }[];
      users: { accountId: string; email: string; password: string; roles: { internalId: number }[] }[];
    };
    const consent = seed.integrations.find((i) => i.publicClient && i.grants.includes('authorization_code'))!;
    const accountId = consent.accountId;
    const m2m = seed.integrations.find((i) => i.accountId === accountId && !i.publicClient && i.grants.includes('client_credentials'))!;
    const admin = seed.users.find((u) => u.accountId === accountId && u.roles.some((r) => r.internalId === 3))!;
    const env = {
      PATH: process.env.PATH, SUITEBRIDGE_URL: serve.url, SUITEBRIDGE_API_KEY: key, SUITEBRIDGE_TENANT: 'lifecycle',
      NETSUITE_ACCOUNT: accountId, AUTH_CLIENT_ID: consent.clientId, CC_CLIENT_ID: m2m.clientId, REDIRECT_URI: consent.redirectUris[0], BUNDLE_ID: seed.bundleId ?? '512345',
      WAIT_SECONDS: '0.1', WAIT_ATTEMPTS: '300',
    };
    const python = async (script: string, ...args: string[]) => (await execFileAsync('python3', [join(EXAMPLES, script), ...args], { env })).stdout;
    const step = async (...args: string[]) => JSON.parse(await python('onboard_example.py', ...args)) as Record<string, string>;

    // Onboarding: the customer's administrator consents and installs the bundle in their browser (driven here).
    const creds = { email: admin.email, password: admin.password, role: 3 };
    let state = await step('start');
    expect(state.status).toBe('waiting_for_authorization');
    for (let round = 0; round < 6 && state.status !== 'completed'; round++) {
      if (state.status === 'waiting_for_authorization') {
        state = await step('callback', await driveAuthorization(state.authorizationUrl as string, consent.redirectUris[0] as string, creds, { fetch: defaultFetch }));
      } else {
        if (state.status === 'waiting_for_bundle') await installBundleViaPage(state.installUrl as string, creds, { fetch: defaultFetch });
        state = await step('continue');
      }
    }
    expect(state.status).toBe('completed');

    // Healthy without waiting for a sweep: the service checks a tenant when its onboarding completes.
    expect(await step('wait-healthy')).toMatchObject({ tenant: 'lifecycle', status: 'healthy', accountId });

    const proxied = (await python('proxy_example.py')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(proxied).toEqual([
      { step: 'tenant', status: 'healthy', accountId },
      { step: 'restlet', roleScriptId: 'customrole_sbr_integration' },
      { step: 'suiteql', count: 5, truncated: true, first: expect.objectContaining({ id: expect.any(String) }) },
      { step: 'record', id: (proxied[2]?.first as { id: string } | undefined)?.id },
    ]);

    const first = (await step('show')).certificateId as string;
    const rotated = await step('rotate');
    expect(rotated).toMatchObject({ tenant: 'lifecycle', previousCertificateId: first, certificateId: expect.any(String) });
    expect(rotated.certificateId).not.toBe(first);
    // The proxy keeps working on the new certificate.
    expect(await python('proxy_example.py')).toContain('"step": "record"');

    expect(await step('remove')).toMatchObject({ tenant: 'lifecycle', removed: true, revokedCertificateId: rotated.certificateId });
    const gone = await python('onboard_example.py', 'show').then(() => undefined, (err: { code: number; stderr: string }) => err);
    expect(gone?.code).toBe(1);
    expect(JSON.parse(gone?.stderr ?? '{}')).toMatchObject({ status: 404, code: 'NOT_FOUND' });

    // At the emulator, revoking either certificate again is refused as already revoked: both are revoked.
    for (const certificateId of [first, rotated.certificateId as string]) {
      const again = await defaultFetch(`${emulator!.url}/__emulator/staging/certificates/${encodeURIComponent(certificateId)}/revoke`, { method: 'POST' });
      expect([certificateId, again.status, ((await again.json()) as { error?: { code?: string } }).error?.code]).toEqual([certificateId, 400, 'ALREADY_REVOKED']);
    }

    // SIGTERM: running jobs finish, then the process exits cleanly.
    expect(await stop(serve)).toBe(0);
    serve = undefined;
  }, 120_000);
});
