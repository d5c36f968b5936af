/**
 * Integration records and roles as NetSuite has them: https/custom-scheme redirect URIs only, no client credentials
 * for public clients, Web Services Only roles kept off RESTlets, REST web services gated by the role's permissions.
 */
import * as path from 'node:path';
import { EmulatorConfigError, startEmulator, type EmulatorConfig } from '../../emulator/src/index';
import { makeCertificate } from './support/certificates';
import { uploadCertificate } from './support/certApi';
import { TOKEN_PATH, adminAccessToken, authorizeInBrowser, CALLBACK, hostFetch, loginAudit, pkcePair, startHarness, tokenRequest, type Harness } from './support/emulator';

jest.setTimeout(30_000);

const FIXTURE_PROJECT = path.join(__dirname, 'fixtures', 'restlet-project');

describe('redirect URIs: https:// or a custom scheme, refused at start otherwise', () => {
  test('an http:// redirect URI stops the emulator from starting, naming the record, the URI and the fix', async () => {
    const config: EmulatorConfig = { integrations: [{ name: 'Loopback app', accountId: '1234567', publicClient: true, redirectUris: ['http://127.0.0.1:8899/callback'] }] };
    const start = startEmulator({ port: 0, quiet: true, config });
    await expect(start).rejects.toBeInstanceOf(EmulatorConfigError);
    await expect(start).rejects.toThrow(/integrations\[0\]\.redirectUris\[0\] of record "Loopback app" uses http:\/\/ \(http:\/\/127\.0\.0\.1:8899\/callback\), which NetSuite refuses/);
    await expect(start).rejects.toThrow('register https://127.0.0.1:8899/callback and serve the callback over HTTPS, or use a custom scheme such as myapp://callback');
  });
  test('https:// and a custom app scheme are accepted, and the custom scheme is an exact-match redirect target', async () => {
    const h = await startHarness({ integrations: [{ name: 'SuiteBridge (public)', accountId: '1234567', publicClient: true, grants: ['authorization_code'], redirectUris: [CALLBACK, 'suitebridge://callback'] }] });
    try {
      const { location } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkcePair().challenge, redirectUri: 'suitebridge://callback' });
      expect(`${location.protocol}//${location.host}${location.pathname}`).toBe('suitebridge://callback');
    } finally {
      await h.emu.stop();
    }
  });
});

describe('default seed: two records per account', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.emu.stop(); });

  test('the public record does auth code + PKCE with https callbacks and 1-hour refresh tokens', async () => {
    const pkce = pkcePair();
    const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge });
    const res = await tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
    expect(res.status).toBe(200);
    const refresh = JSON.parse(Buffer.from((res.body.refresh_token as string).split('.')[1]!, 'base64url').toString('utf8'));
    expect(refresh.exp - refresh.iat).toBe(3600);
  });
  test('the public record cannot use client credentials: no certificate can be mapped to it', async () => {
    const upload = await uploadCertificate(h, await adminAccessToken(h), h.publicClient.clientId, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    expect(upload.status).toBe(400);
    expect(String(upload.body)).toMatch(/does not allow the Client Credentials/);
  });
  test('the confidential record has client credentials only: the browser flow is refused for it', async () => {
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK },
      { authorization: `Basic ${Buffer.from(`${h.confidentialClient.clientId}:${h.confidentialClient.clientSecret}`).toString('base64')}` });
    expect(res.body).toEqual({ error: 'unauthorized_client' });
  });
});

describe('a public record with client_credentials in its grants is still refused unless the explicit leniency is set', () => {
  const record: NonNullable<EmulatorConfig['integrations']>[number] = { name: 'SuiteBridge (public)', accountId: '1234567', publicClient: true, grants: ['authorization_code', 'client_credentials'] };
  test('default: refused (an assertion naming the public client → unauthorized_client)', async () => {
    const h = await startHarness({ integrations: [record] });
    try {
      const res = await tokenRequest(h, {
        grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: await unsignedAssertion(h.publicClient.clientId, `${h.hosts.suitetalk}${TOKEN_PATH}`),
      });
      expect(res.body).toEqual({ error: 'unauthorized_client' });
      expect((await loginAudit(h)).at(-1)?.detail).toBe('ClientCredentialsGrantNotEnabled');
    } finally {
      await h.emu.stop();
    }
  });
  test('allowClientCredentialsForPublicClient: true (opt-in) lets a certificate be mapped', async () => {
    const h = await startHarness({ integrations: [{ ...record, allowClientCredentialsForPublicClient: true }] });
    try {
      const upload = await uploadCertificate(h, await adminAccessToken(h), h.publicClient.clientId, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
      expect(upload.status).toBe(200);
    } finally {
      await h.emu.stop();
    }
  });
});

/** An ES256-shaped assertion whose signature is never reached: the grant check comes first. */
async function unsignedAssertion(clientId: string, aud: string): Promise<string> {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(Date.UTC(2026, 10, 22, 10) / 1000);
  return `${part({ alg: 'ES256', typ: 'JWT', kid: 'A'.repeat(43) })}.${part({ iss: clientId, aud, iat, exp: iat + 300, scope: ['restlets'] })}.${Buffer.alloc(64).toString('base64url')}`;
}

describe('RESTlets refuse a Web Services Only role (role XML iswebserviceonlyrole T) with INVALID_LOGIN_CREDENTIALS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ accounts: [{ accountId: '1234567', customers: 0, employees: [
      { entityId: 7, name: 'Ada Admin', email: 'admin@example.com', password: 'pw', roles: [3] },
      { entityId: 8, name: 'Ivy Integration', email: 'ivy@example.com', password: 'pw8', roles: [] },
    ] }], integrations: [{ name: 'SuiteBridge (public)', accountId: '1234567', publicClient: true, grants: ['authorization_code'], consentPolicy: 'NEVER_ASK' }] },
    { projectDir: FIXTURE_PROJECT });
    const installed = await hostFetch(new URL('/__emulator/bundles', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: '1234567', bundleId: '777' }) });
    expect(installed.status).toBe(200);
  });
  afterAll(async () => { await h.emu.stop(); });

  async function tokenFor(email: string, password: string, role?: number): Promise<string> {
    const pkce = pkcePair();
    const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge, email, password, ...(role ? { role } : {}) });
    const res = await tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
    if (res.status !== 200) throw new Error(`token failed ${res.status}`);
    return res.body.access_token as string;
  }
  const callRestlet = (token: string) => hostFetch(new URL('/app/site/hosting/restlet.nl?script=customscript_fx_rl_main&deploy=customdeploy_fx_rl_main&action=whoami', h.hosts.restlets),
    { headers: { authorization: `Bearer ${token}` } });

  test('the installed fixture role (WS-only) gets 401 {"error" : {"code" : "INVALID_LOGIN_CREDENTIALS", …}}', async () => {
    const role = h.services.directory.getRoleByScriptId('1234567', 'customrole_fx_app')!;
    h.services.directory.assignRole('1234567', 8, role.internalId);
    const res = await callRestlet(await tokenFor('ivy@example.com', 'pw8', role.internalId));
    expect(res.status).toBe(401);
    expect(await res.text()).toMatch(/^\{"error" : \{"code" : "INVALID_LOGIN_CREDENTIALS", "message" : "[^"]*Web Services Only[^"]*"\}\}$/);
    expect((await loginAudit(h)).at(-1)).toMatchObject({ action: 'restlet', status: 'Failure', detail: 'WebServicesOnlyRole' });
  });
  test('REST web services do not refuse it for being WS-only: the fixture role lacks SuiteAnalytics Workbook, so 403 (not 401)', async () => {
    const role = h.services.directory.getRoleByScriptId('1234567', 'customrole_fx_app')!;
    const token = await tokenFor('ivy@example.com', 'pw8', role.internalId);
    const res = await hostFetch(new URL('/services/rest/record/v1/employee/7', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
  });
  test('Administrator (not WS-only) calls the same RESTlet', async () => {
    expect((await callRestlet(await tokenFor('admin@example.com', 'pw', 3))).status).toBe(200);
  });
});

describe('REST web services (records, SuiteQL) need REST Web Services and SuiteAnalytics Workbook (EDIT) on the token role', () => {
  let h: Harness;
  const roles: NonNullable<NonNullable<EmulatorConfig['accounts']>[number]['roles']> = [
    { internalId: 1001, scriptId: 'customrole_no_rest', name: 'No REST', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', REPO_ANALYTICS: 'EDIT' } },
    { internalId: 1002, scriptId: 'customrole_no_workbook', name: 'No Workbook', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', ADMI_RESTWEBSERVICES: 'FULL' } },
    { internalId: 1003, scriptId: 'customrole_view_workbook', name: 'View Workbook', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', ADMI_RESTWEBSERVICES: 'FULL', REPO_ANALYTICS: 'VIEW' } },
    { internalId: 1004, scriptId: 'customrole_rest', name: 'REST', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', ADMI_RESTWEBSERVICES: 'FULL', REPO_ANALYTICS: 'EDIT' } },
  ];
  beforeAll(async () => {
    h = await startHarness({ accounts: [{ accountId: '1234567', customers: 3, roles, employees: [
      { entityId: 7, name: 'Ada Admin', email: 'admin@example.com', password: 'pw', roles: [3, 1001, 1002, 1003, 1004] },
    ] }], integrations: [{ name: 'SuiteBridge (public)', accountId: '1234567', publicClient: true, grants: ['authorization_code'], consentPolicy: 'ALWAYS_ASK' }] });
  });
  afterAll(async () => { await h.emu.stop(); });

  async function tokenAs(role: number): Promise<string> {
    const pkce = pkcePair();
    const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge, email: 'admin@example.com', password: 'pw', role });
    return (await tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier })).body.access_token as string;
  }
  const record = (token: string) => hostFetch(new URL('/services/rest/record/v1/customer/1001', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
  const suiteql = (token: string) => hostFetch(new URL('/services/rest/query/v1/suiteql', h.hosts.suitetalk), {
    method: 'POST', headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' }, body: JSON.stringify({ q: 'SELECT id FROM customer' }),
  });
  const errorCode = async (res: Response) => ((await res.json()) as { 'o:errorDetails': Array<{ 'o:errorCode': string; detail: string }> })['o:errorDetails'][0]!;

  test('without REST Web Services → 401 INVALID_LOGIN (audit names the permission)', async () => {
    const token = await tokenAs(1001);
    for (const call of [record, suiteql]) {
      const res = await call(token);
      expect(res.status).toBe(401);
      expect((await errorCode(res))['o:errorCode']).toBe('INVALID_LOGIN');
    }
    expect((await loginAudit(h)).at(-1)?.detail).toBe('InsufficientPermission:ADMI_RESTWEBSERVICES');
  });
  test.each([[1002, 'none'], [1003, 'VIEW']])('role %i with SuiteAnalytics Workbook %s → 403 INSUFFICIENT_PERMISSION naming REPO_ANALYTICS', async (role) => {
    const token = await tokenAs(role);
    for (const call of [record, suiteql]) {
      const res = await call(token);
      expect(res.status).toBe(403);
      const detail = await errorCode(res);
      expect(detail['o:errorCode']).toBe('INSUFFICIENT_PERMISSION');
      expect(detail.detail).toContain('REPO_ANALYTICS');
    }
  });
  test('with both (EDIT) → 200; Administrator → 200', async () => {
    for (const role of [1004, 3]) {
      const token = await tokenAs(role);
      expect((await record(token)).status).toBe(200);
      expect((await suiteql(token)).status).toBe(200);
    }
  });
});
