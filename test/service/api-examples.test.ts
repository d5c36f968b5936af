/**
 * examples/api: the Python (urllib) and curl examples run as separate processes, which do not load SuiteBridge,
 * against the service's /v1 API on a real port and the emulator: a RESTlet call and a SuiteQL query through the proxy.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultFetch } from '../../client/src/http/transport';
import { driveAuthorization, installBundleViaPage } from '../../client/src/onboarding/formDriver';
import { startApiHarness, type ApiHarness } from './support/apiHarness';

const run = promisify(execFile);
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'api');

describe('examples/api', () => {
  let h: ApiHarness;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    h = await startApiHarness([['acme', '1234567']]);
    const { key } = await h.keys.create({ name: 'examples', scopes: ['proxy', 'tenants:read'], tenants: ['acme'] });
    env = { PATH: process.env.PATH, SUITEBRIDGE_URL: h.url, SUITEBRIDGE_API_KEY: key, SUITEBRIDGE_TENANT: 'acme' };
  }, 120_000);
  afterAll(async () => h?.stop());

  it('Python (standard library only): tenant, RESTlet, SuiteQL, record', async () => {
    const { stdout } = await run('python3', [join(EXAMPLES, 'proxy_example.py')], { env });
    const steps = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(steps).toEqual([
      { step: 'tenant', status: null, accountId: '1234567' },
      { step: 'restlet', roleScriptId: 'customrole_sbr_integration' },
      { step: 'suiteql', count: 5, truncated: true, first: expect.objectContaining({ id: '1001' }) },
      { step: 'record', id: '1001' },
    ]);
  });

  it('Python: a refusal exits 1 with problem details on stderr', async () => {
    const failed = await run('python3', [join(EXAMPLES, 'proxy_example.py')], { env: { ...env, SUITEBRIDGE_TENANT: 'globex' } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed?.stderr ?? '{}')).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('Python onboarding: start → (customer consents) → callback → (bundle installed) → continue: completed', async () => {
    const seed = h.fleet.emulator.seed as unknown as {
      bundleId?: string;
      integrations: { accountId: string; clientId: string; publicClient: boolean; grants: string[]; redirectUris: string[] }[];
      users: { accountId: string; email: string; password: string; roles: { internalId: number }[] }[];
    };
    const consent = seed.integrations.find((i) => i.accountId === '7654321' && i.publicClient && i.grants.includes('authorization_code'))!;
    const m2m = seed.integrations.find((i) => i.accountId === '7654321' && !i.publicClient && i.grants.includes('client_credentials'))!;
    const admin = seed.users.find((u) => u.accountId === '7654321' && u.roles.some((r) => r.internalId === 3))!;
    const creds = { email: admin.email, password: admin.password, role: 3 };
    const { key } = await h.keys.create({ name: 'onboarding-example', scopes: ['tenants:manage', 'tenants:read'] });
    const onboardEnv = {
      PATH: process.env.PATH, SUITEBRIDGE_URL: h.url, SUITEBRIDGE_API_KEY: key, SUITEBRIDGE_TENANT: 'globex',
      NETSUITE_ACCOUNT: '7654321', AUTH_CLIENT_ID: consent.clientId, CC_CLIENT_ID: m2m.clientId, REDIRECT_URI: consent.redirectUris[0], BUNDLE_ID: seed.bundleId ?? '512345',
    };
    const step = async (...args: string[]) => JSON.parse((await run('python3', [join(EXAMPLES, 'onboard_example.py'), ...args], { env: onboardEnv })).stdout) as { status: string; authorizationUrl?: string; installUrl?: string };
    let state = await step('start');
    for (let round = 0; round < 6 && state.status !== 'completed'; round++) {
      if (state.status === 'waiting_for_authorization') {
        state = await step('callback', await driveAuthorization(state.authorizationUrl!, consent.redirectUris[0]!, creds, { fetch: defaultFetch }));
      } else {
        if (state.status === 'waiting_for_bundle') await installBundleViaPage(state.installUrl!, creds, { fetch: defaultFetch });
        state = await step('continue');
      }
    }
    expect(state.status).toBe('completed');
  }, 60_000);

  it('curl: the same four calls', async () => {
    const { stdout } = await run('bash', [join(EXAMPLES, 'proxy_example.sh')], { env });
    const [tenant, restlet, suiteql, record] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(tenant).toMatchObject({ tenant: 'acme', accountId: '1234567' });
    expect(restlet).toMatchObject({ roleScriptId: 'customrole_sbr_integration' });
    expect(suiteql).toMatchObject({ count: 5, truncated: true });
    expect(record).toMatchObject({ id: '1001' });
  });

  it('curl: show, rotate and remove a tenant; afterwards it is unknown', async () => {
    const { key } = await h.keys.create({ name: 'tenant-example', scopes: ['tenants:read', 'tenants:manage'], tenants: ['acme'] });
    const tenantEnv = { ...env, SUITEBRIDGE_API_KEY: key };
    const sh = async (command: string) => JSON.parse((await run('bash', [join(EXAMPLES, 'tenant_example.sh'), command], { env: tenantEnv })).stdout) as Record<string, unknown>;
    const before = await sh('show');
    expect(before).toMatchObject({ tenant: 'acme', certificateId: expect.any(String) });
    const rotated = await sh('rotate');
    expect(rotated).toMatchObject({ tenant: 'acme', previousCertificateId: before.certificateId, certificateId: expect.any(String) });
    expect(rotated.certificateId).not.toBe(before.certificateId);
    expect(await sh('remove')).toMatchObject({ tenant: 'acme', removed: true, revokedCertificateId: rotated.certificateId });
    const gone = await run('bash', [join(EXAMPLES, 'tenant_example.sh'), 'show'], { env: tenantEnv }).then(() => undefined, (err: { code: number; stdout: string }) => err);
    expect(gone?.code).toBe(22); // curl --fail-with-body: HTTP error
    expect(JSON.parse(gone?.stdout ?? '{}')).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  }, 60_000);
});
