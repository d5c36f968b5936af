import { adminAccessToken, authorizeInBrowser, authorizeNonAdmin, CALLBACK, pkcePair, rawRequest, startHarness, startNonAdminHarness, tokenRequest, type Harness, hostFetch } from './support/emulator';

let h: Harness;
let token: string;
const SUITEQL = '/services/rest/query/v1/suiteql';

beforeAll(async () => {
  h = await startHarness();
  token = await adminAccessToken(h);
});
afterAll(async () => { await h.emu.stop(); });

function suiteql(q: string, o: { limit?: number | string; offset?: number | string; prefer?: string | null; bearer?: string; contentType?: string } = {}) {
  const url = new URL(SUITEQL, h.hosts.suitetalk);
  if (o.limit !== undefined) url.searchParams.set('limit', String(o.limit));
  if (o.offset !== undefined) url.searchParams.set('offset', String(o.offset));
  const headers: Record<string, string> = { authorization: `Bearer ${o.bearer ?? token}`, 'content-type': o.contentType ?? 'application/json' };
  if (o.prefer !== null) headers.prefer = o.prefer ?? 'transient';
  return hostFetch(url, { method: 'POST', headers, body: JSON.stringify({ q }) });
}

const errorCode = (body: any) => body['o:errorDetails'][0]['o:errorCode'];

describe('REST web services auth failure → 401 problem JSON with o:errorCode INVALID_LOGIN', () => {
  test.each([
    ['no Authorization header', undefined],
    ['a garbage token', 'Bearer not-a-jwt'],
    ['a Basic header', 'Basic YTpi'],
  ])('%s', async (_what, authorization) => {
    const res = await hostFetch(new URL(SUITEQL, h.hosts.suitetalk), { method: 'POST', headers: { prefer: 'transient', 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: '{"q":"SELECT 1 AS one"}' });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toMatchObject({ title: 'Unauthorized', status: 401 });
    expect(body.type).toMatch(/rfc2616/);
    expect(errorCode(body)).toBe('INVALID_LOGIN');
    expect(body['o:errorDetails'][0].detail).toMatch(/Login Audit Trail/);
  });
  test('an expired access token (3600 s) → 401, one second earlier → 200', async () => {
    const fresh = await adminAccessToken(h);
    h.clock.advance(3599);
    expect((await suiteql('SELECT 1 AS one', { bearer: fresh })).status).toBe(200);
    h.clock.advance(1);
    expect((await suiteql('SELECT 1 AS one', { bearer: fresh })).status).toBe(401);
    token = await adminAccessToken(h);
  });
  test('a token without rest_webservices → 401', async () => {
    const restletsOnly = await adminAccessToken(h, 'restlets');
    expect((await suiteql('SELECT 1 AS one', { bearer: restletsOnly })).status).toBe(401);
  });
  test('a refresh token used as a bearer token → 401', async () => {
    const pkce = pkcePair();
    const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge });
    const t = await tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
    expect((await suiteql('SELECT 1 AS one', { bearer: t.body.refresh_token as string })).status).toBe(401);
  });
  test('a token of account 1234567 on the 1234567-sb1 host → 401', async () => {
    const res = await hostFetch(`${h.emu.hosts('1234567_SB1').suitetalk}${SUITEQL}`, {
      method: 'POST', body: '{"q":"SELECT 1 AS one"}',
      headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' },
    });
    expect(res.status).toBe(401);
  });
  test('the failure reason is in the login audit trail', async () => {
    await suiteql('SELECT 1 AS one', { bearer: 'x.y.z' });
    const audit = await (await fetch(new URL('/__emulator/login-audit', h.url))).json();
    expect(audit.at(-1)).toMatchObject({ action: 'suiteql', status: 'Failure', detail: 'InvalidSignature' });
  });
});

describe('SuiteQL paging: limit ≤ 1000 (default 1000), offset, links/count/hasMore/items/offset/totalResults', () => {
  test('default page: 1000 of the 2,500 seeded customers', async () => {
    const res = await suiteql('SELECT id, companyname FROM customer ORDER BY id');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body)).toEqual(['links', 'count', 'hasMore', 'items', 'offset', 'totalResults']);
    expect(body).toMatchObject({ count: 1000, hasMore: true, offset: 0, totalResults: 2500 });
    expect(body.items[0]).toEqual({ links: [], id: '1001', companyname: expect.any(String) });
    const rels = body.links.map((l: { rel: string }) => l.rel);
    expect(rels).toEqual(expect.arrayContaining(['next', 'last', 'self']));
    expect(body.links.find((l: { rel: string }) => l.rel === 'next').href).toBe(`${h.hosts.suitetalk}${SUITEQL}?limit=1000&offset=1000`);
  });
  test('last page: hasMore false, count 500, no next link', async () => {
    const body = await (await suiteql('SELECT id FROM customer', { limit: 1000, offset: 2000 })).json();
    expect(body).toMatchObject({ count: 500, hasMore: false, offset: 2000, totalResults: 2500 });
    expect(body.links.some((l: { rel: string }) => l.rel === 'next')).toBe(false);
  });
  test('walking pages of 700 returns every customer once', async () => {
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 700) {
      const body = await (await suiteql('SELECT id FROM customer ORDER BY id', { limit: 700, offset })).json();
      for (const item of body.items) ids.add(item.id);
      if (!body.hasMore) break;
    }
    expect(ids.size).toBe(2500);
  });
  test.each([['1001', 1001], ['0', 0], ['abc', 'abc']])('limit=%s → 400 INVALID_PARAMETER', async (_s, limit) => {
    const res = await suiteql('SELECT id FROM customer', { limit });
    expect(res.status).toBe(400);
    expect(errorCode(await res.json())).toBe('INVALID_PARAMETER');
  });
  test('offset at the 100,000-row cap → 400', async () => {
    expect((await suiteql('SELECT id FROM customer', { offset: 100000 })).status).toBe(400);
  });
  test('NULL values are omitted and values are strings (UNCERTAIN)', async () => {
    const body = await (await suiteql('SELECT id, NULL AS empty_value, 42 AS answer FROM employee WHERE id = 7')).json();
    expect(body.items[0]).toEqual({ links: [], id: '7', answer: '42' });
  });
});

describe('SuiteQL needs Prefer: transient (UNCERTAIN default), JSON {"q"}, and only SELECT', () => {
  test('without Prefer: transient → 400', async () => {
    expect((await suiteql('SELECT 1 AS one', { prefer: null })).status).toBe(400);
  });
  test.each([
    ['DELETE FROM customer'],
    ['UPDATE customer SET companyname = \'x\''],
    ['SELECT 1 AS one; DELETE FROM customer'],
    ['DROP TABLE customer'],
  ])('%s → 400 and nothing changes', async (q) => {
    expect((await suiteql(q)).status).toBe(400);
    expect((await (await suiteql('SELECT COUNT(*) AS n FROM customer')).json()).items[0].n).toBe('2500');
  });
  test('a syntax error → 400 problem JSON', async () => {
    const res = await suiteql('SELECT FROM WHERE');
    expect(res.status).toBe(400);
    expect(errorCode(await res.json())).toBe('INVALID_PARAMETER');
  });
  test('role, employee and the employee↔role table are queryable with NetSuite names; script IDs upper case', async () => {
    const body = await (await suiteql("SELECT r.id, r.scriptid FROM employeerolesforsearch er JOIN role r ON r.id = er.role WHERE er.entity = 7")).json();
    expect(body.items).toEqual([{ links: [], id: '3', scriptid: 'ADMINISTRATOR' }]);
  });
});

describe('SuiteQL bind parameters: "params" binds each "?" (booleans as T/F)', () => {
  const withParams = (q: string, params: unknown) => hostFetch(new URL(SUITEQL, h.hosts.suitetalk), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'transient' },
    body: JSON.stringify({ q, params }),
  });
  test('values are bound, not spliced into the query', async () => {
    const body = await (await withParams('SELECT id FROM employee WHERE id = ? OR email = ?', [7, "x' OR '1'='1"])).json();
    expect(body.items).toEqual([{ links: [], id: '7' }]);
  });
  test('a boolean is bound as T/F', async () => {
    const body = await (await withParams('SELECT ? AS flag', [true])).json();
    expect(body.items).toEqual([{ links: [], flag: 'T' }]);
  });
  test.each([
    ['an object', { a: 1 }],
    ['an array of objects', [{ a: 1 }]],
  ])('params as %s → 400 INVALID_CONTENT naming params', async (_what, params) => {
    const res = await withParams('SELECT ? AS x', params);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(errorCode(body)).toBe('INVALID_CONTENT');
    expect(body['o:errorDetails'][0]['o:errorPath']).toBe('params');
  });
});

describe('REST record GET for employee and customer', () => {
  test('employee 7', async () => {
    const res = await hostFetch(new URL('/services/rest/record/v1/employee/7', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: '7', entityId: 'Ada Admin', email: 'admin@example.com', isInactive: false });
  });
  test('customer 1001', async () => {
    const res = await hostFetch(new URL('/services/rest/record/v1/customer/1001', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect((await res.json()).id).toBe('1001');
  });
  test('unknown id → 404 NONEXISTENT_ID problem JSON', async () => {
    const res = await hostFetch(new URL('/services/rest/record/v1/customer/99', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
    expect(errorCode(await res.json())).toBe('NONEXISTENT_ID');
  });
  test('unauthenticated → 401', async () => {
    expect((await hostFetch(new URL('/services/rest/record/v1/customer/1001', h.hosts.suitetalk))).status).toBe(401);
  });
});

describe('governanceLimits: administrators only', () => {
  test('administrator gets the account limit', async () => {
    const res = await hostFetch(new URL('/services/rest/system/v1/governanceLimits', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ accountConcurrencyLimit: 5 });
    expect(Object.keys(body).sort()).toEqual(['accountConcurrencyLimit', 'accountUnallocatedConcurrencyLimit', 'limitType']);
  });
  test('a non-administrator → 403', async () => {
    const h2 = await startNonAdminHarness();
    try {
      const { code, verifier } = await authorizeNonAdmin(h2);
      const t = await tokenRequest(h2, { grant_type: 'authorization_code', client_id: h2.publicClient.clientId, code, redirect_uri: CALLBACK, code_verifier: verifier });
      const res = await hostFetch(new URL('/services/rest/system/v1/governanceLimits', h2.hosts.suitetalk), { headers: { authorization: `Bearer ${t.body.access_token}` } });
      expect(res.status).toBe(403);
    } finally {
      await h2.emu.stop();
    }
  });
});

describe('userinfo and unknown paths', () => {
  test('userinfo with a bearer token describes the user with OIDC core claims only (shapes.userinfoClaims)', async () => {
    const res = await hostFetch(new URL('/services/rest/auth/oauth2/v1/userinfo', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({ sub: '7', name: 'Ada Admin', email: 'admin@example.com', given_name: 'Ada', family_name: 'Admin' });
  });
  test('an unknown path → 404 problem JSON', async () => {
    const res = await hostFetch(new URL('/services/rest/nothing', h.hosts.suitetalk));
    expect(res.status).toBe(404);
    expect(errorCode(await res.json())).toBe('NONEXISTENT_RESOURCE');
  });
});
