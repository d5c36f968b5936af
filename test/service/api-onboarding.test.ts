/**
 * Onboarding through /v1 only (issue 12): start for an account → the customer's authorization link; the customer
 * consents on the emulator's pages (their browser); the callback URL handed to the API; the bundle installed;
 * continue → completed; then the proxy works for the new tenant. Also: cancel, and the refusals around it.
 */
import { driveAuthorization, installBundleViaPage } from '../../client/src/onboarding/formDriver';
import { defaultFetch } from '../../client/src/http/transport';
import { startApiHarness, type ApiHarness } from './support/apiHarness';

interface Seed {
  bundleId?: string;
  integrations: { accountId: string; clientId: string; publicClient: boolean; grants: string[]; redirectUris: string[] }[];
  users: { accountId: string; email: string; password: string; roles: { internalId: number }[] }[];
}
interface Onboarding {
  tenant: string;
  status: string;
  authorizationUrl?: string;
  installUrl?: string;
}

describe('onboarding through /v1', () => {
  let h: ApiHarness;
  let key: string;
  let seed: Seed;
  const call = async (method: string, path: string, body?: unknown, as = key) => {
    const res = await fetch(`${h.url}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const startBody = (tenant: string, accountId: string) => {
    const consent = seed.integrations.find((i) => i.accountId === accountId && i.publicClient && i.grants.includes('authorization_code'))!;
    const m2m = seed.integrations.find((i) => i.accountId === accountId && !i.publicClient && i.grants.includes('client_credentials'))!;
    return { tenant, accountId, authClientId: consent.clientId, ccClientId: m2m.clientId, redirectUri: consent.redirectUris[0], bundleId: seed.bundleId ?? '512345' };
  };

  beforeAll(async () => {
    h = await startApiHarness([]);
    seed = h.fleet.emulator.seed as unknown as Seed;
    key = (await h.keys.create({ name: 'onboarder', scopes: ['tenants:manage', 'tenants:read', 'proxy'] })).key;
  }, 120_000);
  afterAll(async () => h?.stop());

  it('start → customer consents → callback → bundle → continue: completed, and the proxy works for the tenant', async () => {
    const body = startBody('initech', '7654321');
    const started = await call('POST', '/onboardings', body);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ tenant: 'initech', status: 'waiting_for_authorization', authorizationUrl: expect.stringContaining('/app/login/oauth2/authorize.nl') });
    const admin = seed.users.find((u) => u.accountId === '7654321' && u.roles.some((r) => r.internalId === 3))!;
    const creds = { email: admin.email, password: admin.password, role: 3 };

    let state = started.body as unknown as Onboarding;
    for (let round = 0; round < 6 && state.status !== 'completed'; round++) {
      if (state.status === 'waiting_for_authorization') {
        // The customer's browser: log in, allow, land on the redirect URI; the vendor's back end hands that URL over.
        const landed = await driveAuthorization(state.authorizationUrl!, body.redirectUri as string, creds, { fetch: defaultFetch });
        state = (await call('POST', '/onboardings/initech/callback', { callbackUrl: landed })).body as unknown as Onboarding;
      } else if (state.status === 'waiting_for_bundle') {
        expect(state.installUrl).toContain('installbundle');
        await installBundleViaPage(state.installUrl!, creds, { fetch: defaultFetch });
        state = (await call('POST', '/onboardings/initech/continue')).body as unknown as Onboarding;
      } else {
        state = (await call('POST', '/onboardings/initech/continue')).body as unknown as Onboarding;
      }
    }
    expect(state.status).toBe('completed');
    expect((await call('GET', '/onboardings/initech')).body).toMatchObject({ status: 'completed' });
    const health = await call('GET', '/tenants/initech/restlets/customscript_sbr_rl_health/customdeploy_sbr_rl_health');
    expect(health).toMatchObject({ status: 200, body: { roleScriptId: 'customrole_sbr_integration' } });
    expect((await call('DELETE', '/onboardings/initech')).body).toMatchObject({ code: 'ALREADY_ONBOARDED', status: 409 });
  }, 60_000);

  it('cancel an unfinished onboarding; a tenant-limited key cannot start another tenant; bad input is a problem', async () => {
    expect((await call('POST', '/onboardings', startBody('quitter', '1234567'))).status).toBe(201);
    expect((await call('GET', '/tenants/quitter/restlets/customscript_sbr_rl_health/customdeploy_sbr_rl_health')).body).toMatchObject({ status: 409, code: 'TENANT_NOT_READY' });
    const forged = await call('POST', '/onboardings/quitter/callback', { callbackUrl: 'https://127.0.0.1/callback?code=forged&state=forged' });
    // The orchestrator records a callback that does not match as the authorize step's error (the answer says so).
    expect(forged.status).toBe(200);
    expect((forged.body as unknown as { steps: { authorize: { error?: { code: string } } } }).steps.authorize.error?.code).toBe('STATE_MISMATCH');
    expect((await call('DELETE', '/onboardings/quitter')).body).toMatchObject({ tenant: 'quitter', cancelled: true });
    expect((await call('GET', '/onboardings/quitter')).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const limited = (await h.keys.create({ name: 'limited', scopes: ['tenants:manage'], tenants: ['other'] })).key;
    expect((await call('POST', '/onboardings', startBody('quitter', '1234567'), limited)).body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call('POST', '/onboardings', { tenant: 'x', accountId: '1234567' })).body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', detail: expect.stringContaining('authClientId') });
    const { ccClientId: _omitted, ...withoutM2m } = startBody('z', '1234567');
    expect((await call('POST', '/onboardings', withoutM2m)).body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT', detail: expect.stringContaining('ccClientId') });
    expect((await call('POST', '/onboardings', { ...startBody('y', '1234567'), accountId: 'not-an-account' })).body).toMatchObject({ status: 400, code: 'INVALID_ACCOUNT_ID' });
  }, 60_000);
});
