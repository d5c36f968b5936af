/**
 * NetSuite's three hosts per account (reference §1.2, §10): the emulator answers each path only on its own
 * `<hostId>.app|suitetalk|restlets.localhost`, refuses the others' paths, the bare origin and unknown accounts.
 * Every request here is real HTTP with the Host header a client would send.
 */
import { adminAccessToken, hostFetch, rawRequest, startHarness, type Harness } from './support/emulator';
import type { AccountOrigins } from '../../emulator/src/index';

type Kind = keyof AccountOrigins;

// The endpoint table of the reference (§1.2), written out here rather than taken from the emulator's own routing.
const ENDPOINTS: Array<{ kind: Kind; method: 'GET' | 'POST'; path: string }> = [
  { kind: 'app', method: 'GET', path: '/app/login/oauth2/authorize.nl' },
  { kind: 'app', method: 'GET', path: '/app/bundler/installbundle.nl?id=512345' },
  { kind: 'suitetalk', method: 'POST', path: '/services/rest/auth/oauth2/v1/token' },
  { kind: 'suitetalk', method: 'POST', path: '/services/rest/auth/oauth2/v1/revoke' },
  { kind: 'suitetalk', method: 'GET', path: '/services/rest/auth/oauth2/v1/keys' },
  { kind: 'suitetalk', method: 'GET', path: '/services/rest/auth/oauth2/v1/userinfo' },
  { kind: 'suitetalk', method: 'GET', path: '/services/rest/auth/oauth2/v1/logout' },
  { kind: 'suitetalk', method: 'GET', path: '/.well-known/openid-configuration' },
  { kind: 'suitetalk', method: 'POST', path: '/services/rest/query/v1/suiteql' },
  { kind: 'suitetalk', method: 'GET', path: '/services/rest/record/v1/employee/7' },
  { kind: 'suitetalk', method: 'GET', path: '/services/rest/system/v1/governanceLimits' },
  { kind: 'restlets', method: 'GET', path: '/app/site/hosting/restlet.nl?script=customscript_sbr_rl_health&deploy=customdeploy_sbr_rl_health' },
  { kind: 'restlets', method: 'GET', path: '/services/rest/auth/oauth2/v1/clients/CLIENT/certificates' },
];
const KINDS: Kind[] = ['app', 'suitetalk', 'restlets'];

let h: Harness;
let port: string;
const pathOf = (p: string) => p.replace('CLIENT', h.confidentialClient.clientId);
const send = (origin: string, e: { method: string; path: string }) => hostFetch(`${origin}${pathOf(e.path)}`, { method: e.method, redirect: 'manual' });
const errorCode = (body: any) => body['o:errorDetails'][0]['o:errorCode'];

beforeAll(async () => {
  h = await startHarness();
  port = new URL(h.url).port;
});
afterAll(async () => { await h.emu.stop(); });

describe('running.hosts(accountId): the account ID lower-cased with _ → - names three hosts on the emulator port', () => {
  test('1234567 and the sandbox 1234567_SB1', () => {
    expect(h.emu.hosts('1234567')).toEqual({
      app: `http://1234567.app.localhost:${port}`, suitetalk: `http://1234567.suitetalk.localhost:${port}`, restlets: `http://1234567.restlets.localhost:${port}`,
    });
    expect(h.emu.hosts('1234567_sb1').suitetalk).toBe(`http://1234567-sb1.suitetalk.localhost:${port}`);
    expect(h.emu.url).toBe(`http://127.0.0.1:${port}`);
  });
  test('an account the emulator does not have → an error naming the known ones', () => {
    expect(() => h.emu.hosts('7654321')).toThrow(/no account 7654321 \(known: 1234567, 1234567_SB1\)/);
  });
});

describe('each endpoint answers on its own host and nowhere else', () => {
  test.each(ENDPOINTS)('$method $path on the $kind host', async (e) => {
    const own = await send(h.hosts[e.kind], e);
    expect([403, 404, 421]).not.toContain(own.status);
    for (const other of KINDS.filter((k) => k !== e.kind)) {
      const res = await send(h.hosts[other], e);
      const text = await res.text();
      if (e.path.startsWith('/app/site/hosting/restlet.nl')) {
        // Oracle's RESTlet status table: 403 means the wrong domain was used.
        expect(res.status).toBe(403);
        expect(JSON.parse(text)).toEqual({ error: { code: 'INVALID_DOMAIN', message: expect.stringContaining('restlets host') } });
      } else if (e.path.startsWith('/app/')) {
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      } else {
        expect(res.status).toBe(404);
        expect(errorCode(JSON.parse(text))).toBe('NONEXISTENT_RESOURCE');
      }
    }
  });
});

describe('discovery lists each endpoint on its own host', () => {
  test('authorize on the app host, the OAuth endpoints on the suitetalk host', async () => {
    const sandbox = h.emu.hosts('1234567_SB1');
    const conf = await (await hostFetch(`${sandbox.suitetalk}/.well-known/openid-configuration`)).json();
    expect(conf).toMatchObject({
      authorization_endpoint: `${sandbox.app}/app/login/oauth2/authorize.nl`,
      token_endpoint: `${sandbox.suitetalk}/services/rest/auth/oauth2/v1/token`,
      revocation_endpoint: `${sandbox.suitetalk}/services/rest/auth/oauth2/v1/revoke`,
      userinfo_endpoint: `${sandbox.suitetalk}/services/rest/auth/oauth2/v1/userinfo`,
      jwks_uri: `${sandbox.suitetalk}/services/rest/auth/oauth2/v1/keys`,
      end_session_endpoint: `${sandbox.suitetalk}/services/rest/auth/oauth2/v1/logout`,
    });
  });
});

describe('hosts that are not an emulated account are refused', () => {
  test('an account ID the emulator does not have → 404 UNKNOWN_ACCOUNT naming the known host IDs', async () => {
    const res = await hostFetch(`http://7654321.suitetalk.localhost:${port}/services/rest/auth/oauth2/v1/keys`);
    expect(res.status).toBe(404);
    const detail = (await res.json())['o:errorDetails'][0];
    expect(detail['o:errorCode']).toBe('UNKNOWN_ACCOUNT');
    expect(detail.detail).toContain('1234567-sb1');
  });
  test('the canonical account ID instead of the host form (1234567_SB1) → refused', async () => {
    const res = await rawRequest(`${h.url}/services/rest/auth/oauth2/v1/keys`, { headers: { host: `1234567_sb1.suitetalk.localhost:${port}` } });
    expect(res.status).toBe(404);
  });
  test('a *.localhost name without a NetSuite host kind (1234567.localhost) → 404 UNKNOWN_HOST', async () => {
    const res = await hostFetch(`http://1234567.localhost:${port}/services/rest/auth/oauth2/v1/keys`);
    expect(res.status).toBe(404);
    expect(errorCode(await res.json())).toBe('UNKNOWN_HOST');
  });
});

describe('the bare origin serves the admin API only (by default)', () => {
  test.each(['127.0.0.1', 'localhost'])('a NetSuite path on %s → 421 naming the host to use', async (name) => {
    const res = await hostFetch(`http://${name}:${port}/services/rest/auth/oauth2/v1/keys`);
    expect(res.status).toBe(421);
    const detail = (await res.json())['o:errorDetails'][0];
    expect(detail['o:errorCode']).toBe('WRONG_HOST');
    expect(detail.detail).toContain(`http://1234567.suitetalk.localhost:${port}/services/rest/auth/oauth2/v1/keys`);
    expect(detail.detail).toContain('"hostRouting": "single-origin"');
  });
  test('a RESTlet on the bare origin → 421 in the RESTlet error shape, naming the restlets host', async () => {
    const res = await hostFetch(`${h.url}/app/site/hosting/restlet.nl?script=1&deploy=1`);
    expect(res.status).toBe(421);
    const body = await res.json();
    expect(body.error.code).toBe('WRONG_HOST');
    expect(body.error.message).toContain(`http://1234567.restlets.localhost:${port}/app/site/hosting/restlet.nl`);
  });
  test('the admin API answers on the bare origin and not on an account host', async () => {
    expect((await hostFetch(`${h.url}/__emulator/seed`)).status).toBe(200);
    const res = await hostFetch(`${h.hosts.suitetalk}/__emulator/seed`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('clientSecret');
  });
});

describe('hostRouting: "single-origin" (documented opt-in for tools that cannot set a host)', () => {
  test('every path answers on the bare origin; running.hosts() points there', async () => {
    const single = await startHarness({ hostRouting: 'single-origin' });
    try {
      expect(single.hosts).toEqual({ app: single.url, suitetalk: single.url, restlets: single.url });
      expect((await hostFetch(`${single.url}/services/rest/auth/oauth2/v1/keys`)).status).toBe(200);
      const conf = await (await hostFetch(`${single.url}/.well-known/openid-configuration`)).json();
      expect(conf.authorization_endpoint).toBe(`${single.url}/app/login/oauth2/authorize.nl`);
      expect(single.seed.accounts[0]!.hosts.restlets).toBe(single.url);
    } finally {
      await single.emu.stop();
    }
  });
  test('any other value is refused at start naming the setting', async () => {
    await expect(startHarness({ hostRouting: 'anything' as never })).rejects.toThrow(/hostRouting/);
  });
});

describe('a token is good only on its own account\'s hosts', () => {
  test('an access token of 1234567 on 1234567-sb1\'s suitetalk and restlets hosts → 401; on its own → 200', async () => {
    const token = await adminAccessToken(h);
    const sandbox = h.emu.hosts('1234567_SB1');
    const auth = { authorization: `Bearer ${token}` };
    expect((await hostFetch(`${h.hosts.suitetalk}/services/rest/record/v1/employee/7`, { headers: auth })).status).toBe(200);
    const record = await hostFetch(`${sandbox.suitetalk}/services/rest/record/v1/employee/7`, { headers: auth });
    expect(record.status).toBe(401);
    expect(errorCode(await record.json())).toBe('INVALID_LOGIN');
    const restlet = await hostFetch(`${sandbox.restlets}/app/site/hosting/restlet.nl?script=customscript_sbr_rl_health&deploy=customdeploy_sbr_rl_health`, { headers: auth });
    expect(restlet.status).toBe(401);
    const certificates = await hostFetch(`${sandbox.restlets}/services/rest/auth/oauth2/v1/clients/${h.confidentialClient.clientId}/certificates`, { headers: auth });
    expect(certificates.status).toBe(401);
  });
});

describe('GET /__emulator/requests records the Host each NetSuite request was served on', () => {
  test('method, host, path and status; no query string, headers or bodies', async () => {
    await hostFetch(`${h.emu.hosts('1234567_SB1').suitetalk}/services/rest/auth/oauth2/v1/keys?x=secret`);
    const log = await (await hostFetch(`${h.url}/__emulator/requests`)).json();
    expect(log.at(-1)).toEqual({ at: expect.any(String), method: 'GET', host: `1234567-sb1.suitetalk.localhost:${port}`, path: '/services/rest/auth/oauth2/v1/keys', status: 200 });
    expect(JSON.stringify(log)).not.toContain('secret');
  });
});
