/**
 * An independent, standards-conformant OAuth client (openid-client 6, built on oauth4webapi) completes all three
 * grants against the emulator: authorization code + PKCE (public client), refresh with rotation, and client
 * credentials with a private_key_jwt assertion (PS256), its hooks setting NetSuite's typ/kid/scope/aud.
 */
import * as client from 'openid-client';
import { makeCertificate } from './support/certificates';
import { uploadCertificate } from './support/certApi';
import { bothGrantsConfig } from './support/records';
import { AUTHORIZE_PATH, CALLBACK, adminAccessToken, cookieOf, form, hiddenValue, startHarness, type Harness, hostFetch } from './support/emulator';

// RSA 3072/4096 key generation is slow on a loaded machine; no assertion depends on time.
jest.setTimeout(30_000);

let h: Harness;
let server: client.ServerMetadata;

beforeAll(async () => {
  h = await startHarness(bothGrantsConfig());
  // Discovery is read, then used as metadata: NetSuite's issuer (system.netsuite.com) is not the host serving it.
  server = (await (await hostFetch(new URL('/.well-known/openid-configuration', h.hosts.suitetalk))).json()) as client.ServerMetadata;
});
afterAll(async () => { await h.emu.stop(); });

/** Plays the browser: follows the authorize URL through login and consent to the callback URL. */
async function browse(authorizeUrl: URL): Promise<URL> {
  const first = await hostFetch(authorizeUrl, { redirect: 'manual' });
  const loginPage = await first.text();
  const login = await hostFetch(new URL(AUTHORIZE_PATH, h.hosts.app), {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ flow: hiddenValue(loginPage, 'flow'), action: 'login', email: h.admin.email, password: h.admin.password }),
  });
  const cookie = cookieOf(login);
  let res = login;
  if (login.status === 200) {
    const consent = await login.text();
    res = await hostFetch(new URL(AUTHORIZE_PATH, h.hosts.app), {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: form({ flow: hiddenValue(consent, 'flow'), action: 'allow', role: '3' }),
    });
  }
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

test('openid-client: authorization code + PKCE (public client), then refresh with rotation', async () => {
  const config = new client.Configuration(server, h.publicClient.clientId, undefined, client.None());
  client.allowInsecureRequests(config);
  config[client.customFetch] = hostFetch as client.CustomFetch;
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'restlets rest_webservices', state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  expect(url.origin).toBe(h.hosts.app);
  const callback = await browse(url);
  expect(callback.searchParams.get('company')).toBe('1234567');
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.token_type.toLowerCase()).toBe('bearer');
  expect(tokens.expires_in).toBe(3600);
  expect(tokens.refresh_token).toBeTruthy();
  expect(tokens.scope).toBeUndefined();

  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  expect(refreshed.refresh_token).toBeTruthy();
  await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

  const res = await client.fetchProtectedResource(config, refreshed.access_token, new URL('/services/rest/record/v1/employee/7', h.hosts.suitetalk), 'GET');
  expect(res.status).toBe(200);
});

test('openid-client: confidential client (client_secret_basic) exchanges a code', async () => {
  const config = new client.Configuration(server, h.confidentialClient.clientId, undefined, client.ClientSecretBasic(h.confidentialClient.clientSecret!));
  client.allowInsecureRequests(config);
  config[client.customFetch] = hostFetch as client.CustomFetch;
  const state = client.randomState();
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'restlets', state, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
  const tokens = await client.authorizationCodeGrant(config, await browse(url), { pkceCodeVerifier: verifier, expectedState: state });
  expect(tokens.access_token).toBeTruthy();
});

test('openid-client: client credentials with a PS256 private_key_jwt assertion', async () => {
  const cert = await makeCertificate('RSA-3072');
  const admin = await adminAccessToken(h);
  const upload = await uploadCertificate(h, admin, h.confidentialClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 });
  expect(upload.status).toBe(200);
  const kid = upload.body.certificate_id as string;
  const tokenEndpoint = server.token_endpoint!;
  // The emulator runs on a test clock; an assertion issued "in the future" is refused, so the client takes its time.
  const skew = Math.round((h.clock.now() - Date.now()) / 1000);
  const config = new client.Configuration(server, h.confidentialClient.clientId, { [client.clockSkew]: skew }, client.PrivateKeyJwt({ key: cert.privateKey, kid }, {
    [client.modifyAssertion]: (header, payload) => {
      header.typ = 'JWT';
      expect(header.alg).toBe('PS256');
      payload.aud = tokenEndpoint;
      payload.scope = ['restlets', 'rest_webservices'];
      delete payload.sub; // not in Oracle's claim list; the emulator refuses it unless leniency.assertionSubClaim
    },
  }));
  client.allowInsecureRequests(config);
  // openid-client adds client_id to the form; Oracle's client-credentials request has none (leniency.assertionClientIdField).
  config[client.customFetch] = ((url: string, init: RequestInit) => {
    if (!(init.body instanceof URLSearchParams) || !init.body.has('client_assertion')) return hostFetch(url, init);
    const body = new URLSearchParams(init.body);
    body.delete('client_id');
    return hostFetch(url, { ...init, body });
  }) as client.CustomFetch;
  const tokens = await client.clientCredentialsGrant(config);
  expect(tokens.expires_in).toBe(3600);
  expect(tokens.refresh_token).toBeUndefined();
  const res = await client.fetchProtectedResource(config, tokens.access_token, new URL('/services/rest/query/v1/suiteql', h.hosts.suitetalk), 'POST',
    JSON.stringify({ q: 'SELECT COUNT(*) AS n FROM customer' }), new Headers({ prefer: 'transient', 'content-type': 'application/json' }));
  expect(res.status).toBe(200);
  expect((await res.json()).items[0].n).toBe('2500');
});
