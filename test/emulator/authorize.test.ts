import {
  AUTHORIZE_PATH, CALLBACK, authorizeInBrowser, authorizeUrl, cookieOf, form, goodState, hiddenValue, pkcePair, startHarness, type Harness, hostFetch,
} from './support/emulator';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    accounts: [{
      accountId: '1234567',
      roles: [
        { internalId: 1001, scriptId: 'customrole_oauth', name: 'OAuth <Role>', permissions: { ADMI_LOGIN_OAUTH2: 'FULL' } },
        { internalId: 1002, scriptId: 'customrole_no_oauth', name: 'No OAuth', permissions: { ADMI_RESTWEBSERVICES: 'FULL' } },
      ],
      employees: [
        { entityId: 7, name: 'Ada Admin', email: 'admin@example.com', password: 'pw-admin', roles: [3, 1001, 1002] },
        { entityId: 10, name: 'Olga Once', email: 'olga@example.com', password: 'pw-olga', roles: [3, 1001] },
        { entityId: 9, name: 'Nora NoOAuth', email: 'nora@example.com', password: 'pw-nora', roles: [1002] },
      ],
      customers: 0,
    }],
    integrations: [
      { name: 'Public', accountId: '1234567', publicClient: true, redirectUris: [CALLBACK], scopes: ['restlets', 'rest_webservices', 'mcp'], consentPolicy: 'ASK_FIRST_TIME' },
      { name: 'Always', accountId: '1234567', clientSecret: 'a'.repeat(64), redirectUris: [CALLBACK], consentPolicy: 'ALWAYS_ASK' },
      { name: 'Never', accountId: '1234567', clientSecret: 'b'.repeat(64), redirectUris: [CALLBACK], consentPolicy: 'NEVER_ASK' },
      { name: 'CC only', accountId: '1234567', clientSecret: 'c'.repeat(64), redirectUris: [CALLBACK], grants: ['client_credentials'] },
    ],
  });
});
afterAll(async () => { await h.emu.stop(); });

const client = (name: string) => h.seed.integrations.find((i) => i.name === name)!.clientId;

function query(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const { challenge } = pkcePair();
  return {
    response_type: 'code', client_id: client('Public'), redirect_uri: CALLBACK, scope: 'restlets rest_webservices',
    state: goodState(), code_challenge: challenge, code_challenge_method: 'S256', ...overrides,
  };
}

async function get(params: Record<string, string | undefined>, cookie?: string): Promise<Response> {
  return hostFetch(authorizeUrl(h, params), { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

function errorOf(res: Response): URLSearchParams {
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams;
}

async function login(params: Record<string, string | undefined>, email = 'admin@example.com', password = 'pw-admin') {
  const page = await (await get(params)).text();
  const res = await hostFetch(new URL(AUTHORIZE_PATH, h.hosts.app), {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ flow: hiddenValue(page, 'flow'), action: 'login', email, password }),
  });
  return { res, cookie: cookieOf(res), body: await res.text() };
}

describe('authorize.nl rule 1: unknown client or redirect_uri mismatch shows an error page and never redirects', () => {
  test('unknown client_id → HTML error page, no Location', async () => {
    const res = await get(query({ client_id: 'f'.repeat(64) }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/unauthorized_client/);
  });
  test('redirect_uri differing only by a trailing slash → error page, no redirect', async () => {
    const res = await get(query({ redirect_uri: `${CALLBACK}/` }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toMatch(/redirect/i);
  });
  test('missing client_id → error page', async () => {
    const res = await get(query({ client_id: undefined }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
  test('the redirect_uri is checked before any other parameter (bad state too: still no redirect)', async () => {
    const res = await get(query({ redirect_uri: 'http://127.0.0.1:9999/evil', state: 'short' }));
    expect(res.headers.get('location')).toBeNull();
  });
  test('every page value is HTML-escaped', async () => {
    const res = await get(query({ client_id: '<script>alert(1)</script>' }));
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
  });
});

describe('authorize.nl rule 2: response_type must be code', () => {
  test('response_type=token → redirect with error=unsupported_response_type and the state', async () => {
    const state = goodState();
    const p = errorOf(await get(query({ response_type: 'token', state })));
    expect(p.get('error')).toBe('unsupported_response_type');
    expect(p.get('state')).toBe(state);
  });
  test('missing response_type → invalid_request', async () => {
    expect(errorOf(await get(query({ response_type: undefined }))).get('error')).toBe('invalid_request');
  });
  test('a client without the authorization code grant → unauthorized_client', async () => {
    expect(errorOf(await get(query({ client_id: client('CC only'), code_challenge: undefined, code_challenge_method: undefined }))).get('error')).toBe('unauthorized_client');
  });
});

describe('authorize.nl rule 3: state is 22–1024 printable ASCII characters', () => {
  test.each([
    ['21 characters', 'a'.repeat(21)],
    ['1025 characters', 'a'.repeat(1025)],
    ['a non-printable character', `${'a'.repeat(24)}\u0001`],
    ['a non-ASCII character', `${'a'.repeat(24)}é`],
  ])('state with %s → invalid_request', async (_what, state) => {
    const p = errorOf(await get(query({ state })));
    expect(p.get('error')).toBe('invalid_request');
    expect(p.get('state')).toBeNull();
  });
  test('missing state → invalid_request', async () => {
    expect(errorOf(await get(query({ state: undefined }))).get('error')).toBe('invalid_request');
  });
  test.each([['22', 22], ['1024', 1024]])('state of exactly %s characters shows the login page', async (_n, length) => {
    const res = await get(query({ state: 'x'.repeat(length) }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="password"');
  });
});

describe('authorize.nl rule 4: scopes are a space-separated subset of the record, mcp alone', () => {
  test('a scope the record lacks → invalid_scope', async () => {
    expect(errorOf(await get(query({ scope: 'restlets suite_analytics' }))).get('error')).toBe('invalid_scope');
  });
  test('comma-separated scopes are one unknown scope → invalid_scope', async () => {
    expect(errorOf(await get(query({ scope: 'restlets,rest_webservices' }))).get('error')).toBe('invalid_scope');
  });
  test('mcp together with another scope → invalid_scope', async () => {
    expect(errorOf(await get(query({ scope: 'mcp restlets' }))).get('error')).toBe('invalid_scope');
  });
  test('mcp alone is accepted', async () => {
    expect((await get(query({ scope: 'mcp' }))).status).toBe(200);
  });
  test('empty scope → invalid_scope', async () => {
    expect(errorOf(await get(query({ scope: '' }))).get('error')).toBe('invalid_scope');
  });
  test('missing scope (a required parameter) → invalid_request with the state', async () => {
    const state = goodState();
    const p = errorOf(await get(query({ scope: undefined, state })));
    expect(p.get('error')).toBe('invalid_request');
    expect(p.get('state')).toBe(state);
  });
});

describe('authorize.nl rule 5: PKCE is S256 only, and public clients need it', () => {
  test('code_challenge_method=plain → invalid_request', async () => {
    expect(errorOf(await get(query({ code_challenge_method: 'plain' }))).get('error')).toBe('invalid_request');
  });
  test('a challenge without a method (defaults to plain) → invalid_request', async () => {
    expect(errorOf(await get(query({ code_challenge_method: undefined }))).get('error')).toBe('invalid_request');
  });
  test('public client without PKCE → invalid_request', async () => {
    expect(errorOf(await get(query({ code_challenge: undefined, code_challenge_method: undefined }))).get('error')).toBe('invalid_request');
  });
  test('confidential client may omit PKCE', async () => {
    expect((await get(query({ client_id: client('Always'), code_challenge: undefined, code_challenge_method: undefined }))).status).toBe(200);
  });
});

describe('authorize.nl login form', () => {
  test('wrong password → the login page again with an error, no session cookie', async () => {
    const { res, cookie, body } = await login(query(), 'admin@example.com', 'wrong');
    expect(res.status).toBe(401);
    expect(cookie).toBe('');
    expect(body).toContain('invalid email address or password');
  });
  test('successful login sets an HttpOnly SameSite=Lax JSESSIONID cookie', async () => {
    const { res } = await login(query());
    expect(res.headers.get('set-cookie')).toMatch(/^JSESSIONID=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
  });
});

describe('authorize.nl callback carries state, role, entity, company and code in that order', () => {
  test('success redirect parameters and order', async () => {
    const state = goodState();
    const { challenge } = pkcePair();
    const { location } = await authorizeInBrowser(h, { clientId: client('Public'), state, challenge, email: 'admin@example.com', password: 'pw-admin', role: 3 });
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect([...location.searchParams.keys()]).toEqual(['state', 'role', 'entity', 'company', 'code']);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('role')).toBe('3');
    expect(location.searchParams.get('entity')).toBe('7');
    expect(location.searchParams.get('company')).toBe('1234567');
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });
});

describe('authorize.nl consent page: Allow or Deny, with a role choice', () => {
  test('Deny → redirect with error=access_denied and the state', async () => {
    const state = goodState();
    const { challenge } = pkcePair();
    const { params } = await authorizeInBrowser(h, { clientId: client('Always'), state, challenge, email: 'admin@example.com', password: 'pw-admin', decision: 'deny' });
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe(state);
    expect(params.get('code')).toBeNull();
  });
  test('the role list offers only roles with ADMI_LOGIN_OAUTH2 or Administrator (escaped)', async () => {
    const { cookie } = await login(query({ client_id: client('Always') }));
    const page = await (await get(query({ client_id: client('Always') }), cookie)).text();
    expect(page).toContain('value="3"');
    expect(page).toContain('value="1001"');
    expect(page).toContain('OAuth &lt;Role&gt;');
    expect(page).not.toContain('value="1002"');
  });
  test('choosing a role the user holds puts it in the callback', async () => {
    const { params } = await authorizeInBrowser(h, { clientId: client('Always'), email: 'admin@example.com', password: 'pw-admin', role: 1001 });
    expect(params.get('role')).toBe('1001');
  });
  test('choosing a role without ADMI_LOGIN_OAUTH2 is refused', async () => {
    const { cookie } = await login(query({ client_id: client('Always') }));
    const page = await (await get(query({ client_id: client('Always') }), cookie)).text();
    const res = await hostFetch(new URL(AUTHORIZE_PATH, h.hosts.app), {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: form({ flow: hiddenValue(page, 'flow'), action: 'allow', role: '1002' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
  test('a user with no OAuth-capable role → access_denied', async () => {
    const { res } = await login(query({ client_id: client('Never') }), 'nora@example.com', 'pw-nora');
    expect(errorOf(res).get('error')).toBe('access_denied');
  });
});

describe('authorize.nl consent policy and prompt', () => {
  test('ASK_FIRST_TIME asks once, then redirects straight away with the consented role', async () => {
    const first = await authorizeInBrowser(h, { clientId: client('Public'), challenge: pkcePair().challenge, email: 'olga@example.com', password: 'pw-olga', role: 1001 });
    expect(first.params.get('role')).toBe('1001');
    const again = await get(query(), first.cookie);
    const p = errorOf(again);
    expect(p.get('code')).toBeTruthy();
    expect(p.get('role')).toBe('1001');
  });
  test('ALWAYS_ASK shows the consent page even with a session and earlier consent', async () => {
    const first = await authorizeInBrowser(h, { clientId: client('Always'), email: 'admin@example.com', password: 'pw-admin' });
    const res = await get(query({ client_id: client('Always') }), first.cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('value="allow"');
  });
  test('NEVER_ASK skips the consent page', async () => {
    const { res } = await login(query({ client_id: client('Never') }));
    expect(errorOf(res).get('code')).toBeTruthy();
  });
  test('prompt=none without a session → login_required', async () => {
    expect(errorOf(await get(query({ prompt: 'none' }))).get('error')).toBe('login_required');
  });
  test('prompt=none when consent is needed → consent_required', async () => {
    const first = await authorizeInBrowser(h, { clientId: client('Never'), email: 'admin@example.com', password: 'pw-admin' });
    expect(errorOf(await get(query({ client_id: client('Always'), prompt: 'none' }), first.cookie)).get('error')).toBe('consent_required');
  });
  test('prompt=none with a session and consent → code without any page', async () => {
    const first = await authorizeInBrowser(h, { clientId: client('Never'), email: 'admin@example.com', password: 'pw-admin' });
    expect(errorOf(await get(query({ client_id: client('Never'), prompt: 'none' }), first.cookie)).get('code')).toBeTruthy();
  });
  test('prompt=login shows the login page despite a session', async () => {
    const first = await authorizeInBrowser(h, { clientId: client('Never'), email: 'admin@example.com', password: 'pw-admin' });
    const res = await get(query({ client_id: client('Never'), prompt: 'login' }), first.cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('name="password"');
  });
  test('prompt=consent shows consent despite NEVER_ASK', async () => {
    const first = await authorizeInBrowser(h, { clientId: client('Never'), email: 'admin@example.com', password: 'pw-admin' });
    const res = await get(query({ client_id: client('Never'), prompt: 'consent' }), first.cookie);
    expect(await res.text()).toContain('value="deny"');
  });
  test('prompt=none combined with login → invalid_request', async () => {
    expect(errorOf(await get(query({ prompt: 'none login' }))).get('error')).toBe('invalid_request');
  });
});
