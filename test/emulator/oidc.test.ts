import { createLocalJWKSet, jwtVerify } from 'jose';
import { CALLBACK, authorizeInBrowser, pkcePair, startHarness, tokenRequest, type Harness, hostFetch } from './support/emulator';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    accounts: [{ accountId: '1234567', customers: 0 }],
    integrations: [{ name: 'OIDC app', accountId: '1234567', publicClient: true, scopes: ['openid', 'email', 'rest_webservices'], consentPolicy: 'NEVER_ASK' }],
  });
});
afterAll(async () => { await h.emu.stop(); });

async function signIn(scope: string) {
  const pkce = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge, scope, extra: { nonce: 'n-0S6_WzA2Mj' } });
  const res = await tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
  return res.body as { access_token: string; refresh_token: string; id_token?: string };
}

const logout = (hint: string) => hostFetch(new URL(`/services/rest/auth/oauth2/v1/logout?id_token_hint=${encodeURIComponent(hint)}`, h.hosts.suitetalk));
const record = (token: string) => hostFetch(new URL('/services/rest/record/v1/employee/7', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });

describe('id_token only for the OIDC scopes', () => {
  test('openid scope → id_token with sub, aud, email and the nonce, verifiable with the JWKS', async () => {
    const t = await signIn('openid email rest_webservices');
    expect(t.id_token).toBeDefined();
    const jwks = await (await hostFetch(new URL('/services/rest/auth/oauth2/v1/keys', h.hosts.suitetalk))).json();
    const { payload } = await jwtVerify(t.id_token!, createLocalJWKSet(jwks), { currentDate: new Date(h.clock.now()), audience: h.publicClient.clientId, issuer: 'https://system.netsuite.com' });
    expect(payload).toMatchObject({ sub: '7', email: 'admin@example.com', nonce: 'n-0S6_WzA2Mj' });
  });
  test('without openid → no id_token', async () => {
    expect((await signIn('rest_webservices')).id_token).toBeUndefined();
  });
});

describe('OIDC logout revokes the id token and its access and refresh tokens', () => {
  test('after logout the access token → 401 and the refresh token → invalid_grant', async () => {
    const t = await signIn('openid rest_webservices');
    expect((await record(t.access_token)).status).toBe(200);
    expect((await logout(t.id_token!)).status).toBe(200);
    expect((await record(t.access_token)).status).toBe(401);
    const refreshed = await tokenRequest(h, { grant_type: 'refresh_token', client_id: h.publicClient.clientId, refresh_token: t.refresh_token });
    expect(refreshed.body).toEqual({ error: 'invalid_grant' });
  });
  test('client authentication is optional: a Basic header with the client ID is accepted too', async () => {
    const t = await signIn('openid rest_webservices');
    const res = await hostFetch(new URL(`/services/rest/auth/oauth2/v1/logout?id_token_hint=${encodeURIComponent(t.id_token!)}`, h.hosts.suitetalk),
      { headers: { authorization: `Basic ${Buffer.from(`${h.publicClient.clientId}:`).toString('base64')}` } });
    expect(res.status).toBe(200);
    expect((await record(t.access_token)).status).toBe(401);
  });
  test('an unknown or forged id_token_hint → 400 invalid_request, tokens untouched', async () => {
    const t = await signIn('openid rest_webservices');
    expect((await logout('x.y.z')).status).toBe(400);
    expect((await logout(t.access_token)).status).toBe(400);
    expect((await record(t.access_token)).status).toBe(200);
  });
});
