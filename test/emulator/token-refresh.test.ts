import {
  CALLBACK, authorizeInBrowser, basic, decodeJwtPart, loginAudit, pkcePair, startHarness, tokenRequest, type Harness, hostFetch,
} from './support/emulator';

let h: Harness;
const SECRET = 'd'.repeat(64);
const ROTATING_SECRET = 'e'.repeat(64);
const CC_ONLY_SECRET = 'f'.repeat(64);
beforeAll(async () => {
  h = await startHarness({
    accounts: [{ accountId: '1234567', customers: 0, employees: [{ entityId: 7, name: 'Ada Admin', email: 'admin@example.com', password: 'pw', roles: [3] }] }],
    integrations: [
      { name: 'Public', accountId: '1234567', publicClient: true, refreshTokenValidityHours: 2, maxRotationHours: 5, consentPolicy: 'NEVER_ASK' },
      { name: 'Confidential', accountId: '1234567', clientSecret: SECRET, refreshTokenValidityHours: 3, consentPolicy: 'NEVER_ASK' },
      { name: 'Confidential rotating', accountId: '1234567', clientSecret: ROTATING_SECRET, confidentialRefreshReturnsRefreshToken: true, consentPolicy: 'NEVER_ASK' },
      { name: 'Other public', accountId: '1234567', publicClient: true, consentPolicy: 'NEVER_ASK' },
      { name: 'CC only', accountId: '1234567', clientSecret: CC_ONLY_SECRET, grants: ['client_credentials'] },
    ],
  });
});
afterAll(async () => { await h.emu.stop(); });

const client = (name: string) => h.seed.integrations.find((i) => i.name === name)!.clientId;

async function publicTokens(name = 'Public') {
  const pkce = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: client(name), challenge: pkce.challenge, email: 'admin@example.com', password: 'pw' });
  const res = await tokenRequest(h, { grant_type: 'authorization_code', client_id: client(name), code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
  return res.body as { access_token: string; refresh_token: string };
}

async function confidentialTokens(name: string, secret: string) {
  const { params } = await authorizeInBrowser(h, { clientId: client(name), email: 'admin@example.com', password: 'pw' });
  const res = await tokenRequest(h, { grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: CALLBACK }, { authorization: basic(client(name), secret) });
  return res.body as { access_token: string; refresh_token: string };
}

const refreshPublic = (token: string, name = 'Public') => tokenRequest(h, { grant_type: 'refresh_token', refresh_token: token, client_id: client(name) });

describe('public-client refresh tokens rotate and an old one gets invalid_grant', () => {
  test('refresh returns a new access and refresh token; the old refresh token is then refused', async () => {
    const first = await publicTokens();
    const r1 = await refreshPublic(first.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.body.expires_in).toBe('3600');
    expect(typeof r1.body.refresh_token).toBe('string');
    expect(r1.body.refresh_token).not.toBe(first.refresh_token);
    const reuse = await refreshPublic(first.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('RefreshTokenAlreadyUsed');
    expect((await refreshPublic(r1.body.refresh_token as string)).status).toBe(200);
  });
  test('the chain keeps its original oit', async () => {
    const first = await publicTokens();
    const oit = decodeJwtPart(first.refresh_token, 1).oit;
    h.clock.advance(60);
    const r1 = await refreshPublic(first.refresh_token);
    expect(decodeJwtPart(r1.body.refresh_token as string, 1).oit).toBe(oit);
    expect(decodeJwtPart(r1.body.access_token as string, 1).oit).toBe(oit);
  });
  test('a refresh token of another client → invalid_grant', async () => {
    const first = await publicTokens();
    expect((await refreshPublic(first.refresh_token, 'Other public')).body).toEqual({ error: 'invalid_grant' });
  });
  test('a tampered refresh token → invalid_grant', async () => {
    const first = await publicTokens();
    const [a, b] = first.refresh_token.split('.');
    expect((await refreshPublic(`${a}.${b}.AAAA`)).body).toEqual({ error: 'invalid_grant' });
  });
  test('missing refresh_token → invalid_request', async () => {
    expect((await tokenRequest(h, { grant_type: 'refresh_token', client_id: client('Public') })).body).toEqual({ error: 'invalid_request' });
  });
  test('a record without the Authorization Code Grant box → 400, audit AuthorizationCodeGrantRequired', async () => {
    const first = await publicTokens();
    const res = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, { authorization: basic(client('CC only'), CC_ONLY_SECRET) });
    expect(res.status).toBe(400);
    expect((await loginAudit(h)).at(-1)).toMatchObject({ status: 'Failure', detail: 'AuthorizationCodeGrantRequired' });
  });
});

describe('refresh token validity (hours on the record) is enforced', () => {
  test('after refreshTokenValidityHours the token → invalid_grant RefreshTokenExpired', async () => {
    const first = await publicTokens();
    expect(decodeJwtPart(first.refresh_token, 1).exp as number - (decodeJwtPart(first.refresh_token, 1).iat as number)).toBe(2 * 3600);
    h.clock.advance(2 * 3600);
    const res = await refreshPublic(first.refresh_token);
    expect(res.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('RefreshTokenExpired');
  });
  test('just before expiry it still works', async () => {
    const first = await publicTokens();
    h.clock.advance(2 * 3600 - 1);
    expect((await refreshPublic(first.refresh_token)).status).toBe(200);
  });
});

describe('maximum rotation window (public clients) is enforced from oit', () => {
  test('rotating every hour works until maxRotationHours after the first token, then invalid_grant', async () => {
    let token = (await publicTokens()).refresh_token;
    for (let i = 0; i < 4; i++) {
      h.clock.advance(3600);
      const res = await refreshPublic(token);
      expect(res.status).toBe(200);
      token = res.body.refresh_token as string;
    }
    h.clock.advance(3600);
    const res = await refreshPublic(token);
    expect(res.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('MaximumTokenRotationTimeExceeded');
  });
});

describe('confidential-client refresh returns no new refresh token (UNCERTAIN, configurable)', () => {
  test('default: access token only, and the same refresh token keeps working', async () => {
    const first = await confidentialTokens('Confidential', SECRET);
    const auth = { authorization: basic(client('Confidential'), SECRET) };
    const r1 = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth);
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).toBeUndefined();
    expect(r1.body.expires_in).toBe('3600');
    const r2 = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth);
    expect(r2.status).toBe(200);
  });
  test('confidentialRefreshReturnsRefreshToken: true rotates like a public client', async () => {
    const first = await confidentialTokens('Confidential rotating', ROTATING_SECRET);
    const auth = { authorization: basic(client('Confidential rotating'), ROTATING_SECRET) };
    const r1 = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth);
    expect(typeof r1.body.refresh_token).toBe('string');
    expect((await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth)).body).toEqual({ error: 'invalid_grant' });
  });
  test('confidential refresh without the secret → 401 invalid_client', async () => {
    const first = await confidentialTokens('Confidential', SECRET);
    const res = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: client('Confidential') });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="1234567"');
  });
});

describe('revoke (token=) revokes the refresh token and its access tokens', () => {
  const REVOKE = '/services/rest/auth/oauth2/v1/revoke';
  const revoke = (token: string, headers: Record<string, string>, extra: Record<string, string> = {}) => hostFetch(new URL(REVOKE, h.hosts.suitetalk), {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ token, ...extra }).toString(),
  });
  const suiteql = (token: string) => hostFetch(new URL('/services/rest/query/v1/suiteql', h.hosts.suitetalk), {
    method: 'POST', headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' }, body: JSON.stringify({ q: 'SELECT id FROM employee' }),
  });
  test('after revoking the refresh token, it → invalid_grant and its access token → 401', async () => {
    const first = await confidentialTokens('Confidential', SECRET);
    const auth = { authorization: basic(client('Confidential'), SECRET) };
    expect((await suiteql(first.access_token)).status).toBe(200);
    expect((await revoke(first.refresh_token, auth)).status).toBe(200);
    expect((await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth)).body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('RefreshTokenRevoked');
    expect((await suiteql(first.access_token)).status).toBe(401);
  });
  test('access tokens issued by refreshing are revoked with their refresh token', async () => {
    const first = await confidentialTokens('Confidential', SECRET);
    const auth = { authorization: basic(client('Confidential'), SECRET) };
    const refreshed = await tokenRequest(h, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, auth);
    await revoke(first.refresh_token, auth);
    expect((await suiteql(refreshed.body.access_token as string)).status).toBe(401);
  });
  test('revoke needs client authentication: wrong secret → 401 invalid_client', async () => {
    const first = await confidentialTokens('Confidential', SECRET);
    const res = await revoke(first.refresh_token, { authorization: basic(client('Confidential'), '0'.repeat(64)) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="1234567"');
  });
  test('revoking another client\'s token → invalid_grant and the token keeps working', async () => {
    const first = await publicTokens();
    const res = await revoke(first.refresh_token, { authorization: basic(client('Confidential'), SECRET) });
    expect(res.status).toBe(400);
    expect((await refreshPublic(first.refresh_token)).status).toBe(200);
  });
  test('a public client revokes with client_id in the body', async () => {
    const first = await publicTokens();
    expect((await revoke(first.refresh_token, {}, { client_id: client('Public') })).status).toBe(200);
    expect((await refreshPublic(first.refresh_token)).body).toEqual({ error: 'invalid_grant' });
  });
});
