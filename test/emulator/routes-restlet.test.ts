import * as path from 'node:path';
import { AUTHORIZE_PATH, adminAccessToken, cookieOf, form, startHarness, type Harness, hostFetch } from './support/emulator';

const FIXTURE_PROJECT = path.join(__dirname, 'fixtures', 'restlet-project');
const BUNDLE_PAGE = '/app/bundler/installbundle.nl';

let h: Harness;
let token: string;

function restlet(params: Record<string, string>, o: { bearer?: string; method?: string; body?: string } = {}) {
  const url = new URL('/app/site/hosting/restlet.nl', h.hosts.restlets);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return hostFetch(url, {
    method: o.method ?? 'GET',
    headers: { authorization: `Bearer ${o.bearer ?? token}`, 'content-type': 'application/json' },
    ...(o.body !== undefined ? { body: o.body } : {}),
  });
}

const main = { script: 'customscript_fx_rl_main', deploy: 'customdeploy_fx_rl_main', action: 'whoami' };

async function installViaApi(bundleId = '777'): Promise<Response> {
  return hostFetch(new URL('/__emulator/bundles', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: '1234567', bundleId }) });
}

beforeAll(async () => {
  h = await startHarness({ accounts: [{ accountId: '1234567', customers: 10, concurrencyLimit: 2 }, { accountId: '1234567_SB1', customers: 0 }] }, { projectDir: FIXTURE_PROJECT });
  token = await adminAccessToken(h);
});
afterAll(async () => { await h.emu.stop(); });

describe('restlet.nl auth failure → 401 {"error":{"code":"INVALID_LOGIN_ATTEMPT"}} (UNCERTAIN code)', () => {
  test('no token', async () => {
    const res = await hostFetch(new URL('/app/site/hosting/restlet.nl?script=customscript_fx_rl_main&deploy=customdeploy_fx_rl_main', h.hosts.restlets));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('INVALID_LOGIN_ATTEMPT');
  });
  test('route-level errors are written like NetSuite\'s RESTlet errors, with spaces around the colons', async () => {
    const res = await hostFetch(new URL('/app/site/hosting/restlet.nl?script=customscript_fx_rl_main&deploy=customdeploy_fx_rl_main', h.hosts.restlets));
    expect(await res.text()).toMatch(/^\{"error" : \{"code" : "INVALID_LOGIN_ATTEMPT", "message" : "[^"]+"\}\}$/);
  });
  test('a token without the restlets scope', async () => {
    const restOnly = await adminAccessToken(h, 'rest_webservices');
    const res = await restlet(main, { bearer: restOnly });
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('INVALID_LOGIN_ATTEMPT');
  });
});

describe('restlet.nl before the bundle is installed fails as a missing script does', () => {
  test('400 SSS_INVALID_SCRIPTLET_ID', async () => {
    const res = await restlet(main);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });
  test('missing script/deploy parameters → 400', async () => {
    const res = await restlet({});
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('SSS_MISSING_REQD_ARGUMENT');
  });
});

describe('bundle install admin API and restlet.nl with X-Emulator-Governance-Units', () => {
  test('install, call (user from the token), uninstall', async () => {
    const installed = await installViaApi();
    expect(installed.status).toBe(200);
    const list = await (await hostFetch(new URL('/__emulator/bundles/1234567', h.url))).json();
    expect(list.map((b: { bundleId: string }) => b.bundleId)).toContain('777');
    const res = await restlet(main);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-emulator-governance-units')).toMatch(/^\d+$/);
    const body = await res.json();
    expect(body).toMatchObject({ accountId: '1234567', user: { id: 7, role: 3 } });
    const logged = await restlet({ ...main, action: 'log' });
    expect(logged.status).toBe(200);
    const log = await (await hostFetch(new URL('/__emulator/script-log?account=1234567', h.url))).json();
    expect(log.some((e: { title: string }) => e.title === 'audit title')).toBe(true);
    const removed = await hostFetch(new URL('/__emulator/bundles/1234567/777', h.url), { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect((await restlet(main)).status).toBe(400);
  });
  test('installing into an unknown account → 404', async () => {
    const res = await hostFetch(new URL('/__emulator/bundles', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: '7654321', bundleId: '777' }) });
    expect(res.status).toBe(404);
  });
  test('a malformed install request → 400', async () => {
    const res = await hostFetch(new URL('/__emulator/bundles', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"accountId": 5}' });
    expect(res.status).toBe(400);
  });
});

describe('bundle install page: login required, Administrator only', () => {
  test('login form first; after login the install button installs the bundle', async () => {
    const pageUrl = new URL(`${BUNDLE_PAGE}?id=778&account=1234567`, h.hosts.app);
    const first = await hostFetch(pageUrl, { redirect: 'manual' });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('name="password"');
    const login = await hostFetch(pageUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'login', email: h.admin.email, password: h.admin.password }) });
    expect(login.status).toBe(303);
    const cookie = cookieOf(login);
    const page = await (await hostFetch(pageUrl, { headers: { cookie } })).text();
    expect(page).toContain('is not installed');
    const install = await hostFetch(pageUrl, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'install' }) });
    expect(install.status).toBe(200);
    expect(await install.text()).toContain('was installed');
    expect((await restlet(main)).status).toBe(200);
    const uninstall = await hostFetch(pageUrl, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'uninstall' }) });
    expect(await uninstall.text()).toContain('was uninstalled');
    expect((await restlet(main)).status).toBe(400);
  });
  test('POST with ?action=uninstall (contract form) uninstalls', async () => {
    const pageUrl = new URL(`${BUNDLE_PAGE}?id=781&account=1234567`, h.hosts.app);
    const login = await hostFetch(pageUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'login', email: h.admin.email, password: h.admin.password }) });
    const cookie = cookieOf(login);
    await hostFetch(pageUrl, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'install' }) });
    expect((await restlet(main)).status).toBe(200);
    const res = await hostFetch(new URL(`${BUNDLE_PAGE}?id=781&account=1234567&action=uninstall`, h.hosts.app), { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(await res.text()).toContain('was uninstalled');
    expect((await restlet(main)).status).toBe(400);
  });
  test('wrong password → 401 login page, nothing installed', async () => {
    const pageUrl = new URL(`${BUNDLE_PAGE}?id=779&account=1234567`, h.hosts.app);
    const res = await hostFetch(pageUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'login', email: h.admin.email, password: 'nope' }) });
    expect(res.status).toBe(401);
    const install = await hostFetch(pageUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'install' }) });
    expect(await install.text()).toContain('name="password"');
    const list = await (await hostFetch(new URL('/__emulator/bundles/1234567', h.url))).json();
    expect(list.map((b: { bundleId: string }) => b.bundleId)).not.toContain('779');
  });
  test('a non-administrator is refused with 403', async () => {
    const ivy = h.seed.users.find((u) => u.entityId === 8 && u.accountId === '1234567')!;
    const pageUrl = new URL(`${BUNDLE_PAGE}?id=780&account=1234567`, h.hosts.app);
    const login = await hostFetch(pageUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'login', email: ivy.email, password: ivy.password }) });
    const res = await hostFetch(pageUrl, { headers: { cookie: cookieOf(login) } });
    expect(res.status).toBe(403);
  });
  test('the account is the app host\'s: no account= needed; naming another account there → an error page naming the known accounts', async () => {
    const own = await hostFetch(new URL(`${BUNDLE_PAGE}?id=780`, h.hosts.app));
    expect(own.status).toBe(200);
    expect(await own.text()).toContain('name="password"');
    const other = await hostFetch(new URL(`${BUNDLE_PAGE}?id=780&account=1234567_SB1`, h.hosts.app));
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('1234567_SB1');
  });
  test('the authorize session cookie does not leak into another account', async () => {
    void AUTHORIZE_PATH;
    const pageUrl = new URL(`${BUNDLE_PAGE}?id=780&account=1234567`, h.hosts.app);
    const login = await hostFetch(pageUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ op: 'login', email: h.admin.email, password: h.admin.password }) });
    const sandbox = await hostFetch(new URL(`${BUNDLE_PAGE}?id=780`, h.emu.hosts('1234567_SB1').app), { headers: { cookie: cookieOf(login) } });
    expect(await sandbox.text()).toContain('name="password"');
  });
});

describe('account concurrency, RESTlets and REST counted together', () => {
  afterEach(async () => {
    await hostFetch(new URL('/__emulator/faults', h.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 0, concurrencyRejects: 0 }) });
  });
  test('over the limit: RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED, REST 429 problem JSON (concurrencyRejects fault)', async () => {
    await hostFetch(new URL('/__emulator/faults', h.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ concurrencyRejects: 2 }) });
    const r = await restlet(main);
    expect(r.status).toBe(400);
    const text = await r.text();
    expect(text.startsWith('{"error" : {"code" : "SSS_REQUEST_LIMIT_EXCEEDED", "message" : ')).toBe(true);
    expect(JSON.parse(text).error.code).toBe('SSS_REQUEST_LIMIT_EXCEEDED');
    const q = await hostFetch(new URL('/services/rest/query/v1/suiteql', h.hosts.suitetalk), { method: 'POST', headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' }, body: '{"q":"SELECT 1 AS one"}' });
    expect(q.status).toBe(429);
    expect((await q.json())['o:errorDetails'][0]['o:errorCode']).toBe('CONCURRENCY_LIMIT_EXCEEDED');
  });
  test('two slow SuiteQL calls fill a limit of 2, so a RESTlet call in parallel is refused', async () => {
    await hostFetch(new URL('/__emulator/faults', h.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ latencyMs: 400 }) });
    const slow = () => hostFetch(new URL('/services/rest/query/v1/suiteql', h.hosts.suitetalk), { method: 'POST', headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' }, body: '{"q":"SELECT 1 AS one"}' });
    const a = slow();
    const b = slow();
    await new Promise((r) => setTimeout(r, 100));
    const c = await restlet(main);
    expect(c.status).toBe(400);
    expect((await c.json()).error.code).toBe('SSS_REQUEST_LIMIT_EXCEEDED');
    expect([(await a).status, (await b).status]).toEqual([200, 200]);
    expect(h.services.concurrency.current('1234567')).toBe(0);
  });
});
