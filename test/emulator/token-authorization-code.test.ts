import { createPublicKey } from 'node:crypto';
import { jwtVerify, createLocalJWKSet } from 'jose';
import {
  CALLBACK, TOKEN_PATH, authorizeInBrowser, authorizeNonAdmin, basic, decodeJwtPart, loginAudit, pkcePair, startHarness, startNonAdminHarness, tokenRequest, type Harness, hostFetch,
} from './support/emulator';
import { bothGrantsConfig } from './support/records';

let h: Harness;
beforeAll(async () => { h = await startHarness(bothGrantsConfig()); });
afterAll(async () => { await h.emu.stop(); });

async function publicCode(scope?: string) {
  const pkce = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge, ...(scope ? { scope } : {}) });
  return { code: params.get('code')!, verifier: pkce.verifier };
}

async function confidentialCode() {
  const { params } = await authorizeInBrowser(h, { clientId: h.confidentialClient.clientId });
  return params.get('code')!;
}

const confidentialAuth = () => basic(h.confidentialClient.clientId, h.confidentialClient.clientSecret!);

describe('token endpoint accepts application/x-www-form-urlencoded only', () => {
  test('a JSON body → 400 invalid_request', async () => {
    const res = await hostFetch(new URL(TOKEN_PATH, h.hosts.suitetalk), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', client_id: h.publicClient.clientId }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_request' });
  });
  test('missing grant_type → invalid_request; an incorrect grant_type → invalid_request too (Oracle\'s error table)', async () => {
    expect((await tokenRequest(h, { client_id: h.publicClient.clientId })).body).toEqual({ error: 'invalid_request' });
    const res = await tokenRequest(h, { grant_type: 'password', client_id: h.publicClient.clientId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request' });
    expect((await loginAudit(h)).at(-1)).toMatchObject({ status: 'Failure', detail: 'UnsupportedGrantType:password' });
  });
});

describe('token endpoint client authentication: Basic for confidential, client_id for public', () => {
  test('confidential client with Basic id:secret succeeds', async () => {
    const code = await confidentialCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, { authorization: confidentialAuth() });
    expect(res.status).toBe(200);
  });
  test('confidential client with a wrong secret → 401 invalid_client with WWW-Authenticate Basic realm="<account>"', async () => {
    const code = await confidentialCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, { authorization: basic(h.confidentialClient.clientId, '0'.repeat(64)) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client' });
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="1234567"');
    expect((await loginAudit(h)).at(-1)).toMatchObject({ status: 'Failure', detail: 'ClientAuthenticationFailed' });
  });
  test('confidential client sending only client_id in the body → 401 invalid_client', async () => {
    const code = await confidentialCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: h.confidentialClient.clientId });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="1234567"$/);
  });
  test('unknown client → 401 invalid_client with the header', async () => {
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, client_id: 'e'.repeat(64) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    expect((await loginAudit(h)).at(-1)).toMatchObject({ status: 'Failure', detail: 'InvalidIntegration' });
  });
  test('public client with client_id in the body succeeds', async () => {
    const { code, verifier } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: h.publicClient.clientId });
    expect(res.status).toBe(200);
  });
  test('public client with a Basic header carrying only the client ID succeeds', async () => {
    const { code, verifier } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
      { authorization: `Basic ${Buffer.from(`${h.publicClient.clientId}:`).toString('base64')}` });
    expect(res.status).toBe(200);
  });
  test('public client presenting a secret → 401 invalid_client', async () => {
    const { code, verifier } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier },
      { authorization: basic(h.publicClient.clientId, 'f'.repeat(64)) });
    expect(res.status).toBe(401);
  });
});

describe('token endpoint: two client authentication methods at once → invalid_request', () => {
  test('Basic header plus client_secret in the body', async () => {
    const code = await confidentialCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_secret: h.confidentialClient.clientSecret! }, { authorization: confidentialAuth() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request' });
  });
  test('Basic header plus a client assertion', async () => {
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, client_assertion: 'a.b.c', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' }, { authorization: confidentialAuth() });
    expect(res.body).toEqual({ error: 'invalid_request' });
  });
  test('Basic header naming one client and client_id naming another', async () => {
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, client_id: h.publicClient.clientId }, { authorization: confidentialAuth() });
    expect(res.body).toEqual({ error: 'invalid_request' });
  });
});

describe('authorization codes are single use and short lived', () => {
  test('a second use of a code → invalid_grant', async () => {
    const { code, verifier } = await publicCode();
    const params = { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: h.publicClient.clientId };
    expect((await tokenRequest(h, params)).status).toBe(200);
    const again = await tokenRequest(h, params);
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)).toMatchObject({ status: 'Failure', detail: 'AuthorizationCodeAlreadyUsed' });
  });
  test('a code used after its lifetime (600 s default) → invalid_grant', async () => {
    const { code, verifier } = await publicCode();
    h.clock.advance(601);
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: h.publicClient.clientId });
    expect(res.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('AuthorizationCodeExpired');
  });
  test('a code just inside its lifetime works', async () => {
    const { code, verifier } = await publicCode();
    h.clock.advance(599);
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: h.publicClient.clientId });
    expect(res.status).toBe(200);
  });
  test('an unknown code → invalid_grant', async () => {
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code: 'nope', redirect_uri: CALLBACK, code_verifier: pkcePair().verifier, client_id: h.publicClient.clientId });
    expect(res.body).toEqual({ error: 'invalid_grant' });
  });
  test('a code issued to another client → invalid_grant', async () => {
    const code = await confidentialCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkcePair().verifier, client_id: h.publicClient.clientId });
    expect(res.body).toEqual({ error: 'invalid_grant' });
  });
});

describe('token request redirect_uri and code_verifier must match the authorize request', () => {
  test('a different redirect_uri → invalid_grant', async () => {
    const { code, verifier } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:3030/callback', code_verifier: verifier, client_id: h.publicClient.clientId });
    expect(res.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('RedirectUriMismatch');
  });
  test('missing redirect_uri → invalid_request', async () => {
    const { code, verifier } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: h.publicClient.clientId });
    expect(res.body).toEqual({ error: 'invalid_request' });
  });
  test('a wrong code_verifier → 400 invalid_grant', async () => {
    const { code } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: pkcePair().verifier, client_id: h.publicClient.clientId });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant' });
  });
  test('a missing code_verifier when a challenge was sent → invalid_grant', async () => {
    const { code } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: h.publicClient.clientId });
    expect(res.body).toEqual({ error: 'invalid_grant' });
  });
});

describe('access tokens are RS256 JWTs with NetSuite claims, 3600 s, expires_in the string "3600"', () => {
  test('response fields and claims', async () => {
    const { code, verifier } = await publicCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: h.publicClient.clientId });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.expires_in).toBe('3600');
    expect(res.body.token_type).toBe('Bearer');
    expect(typeof res.body.refresh_token).toBe('string');
    const token = res.body.access_token as string;
    const header = decodeJwtPart(token, 0);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(header.kid).toMatch(/^c\.[A-Z0-9_]+\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}$/);
    const jwks = await (await hostFetch(new URL('/services/rest/auth/oauth2/v1/keys', h.hosts.suitetalk))).json();
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { currentDate: new Date(h.clock.now()) });
    expect(payload.iss).toBe('https://system.netsuite.com');
    expect(payload.sub).toBe('3;7');
    expect(payload.aud).toEqual([expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12};1234567$/), h.publicClient.clientId]);
    expect(payload.scope).toEqual(['restlets', 'rest_webservices']);
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.oit).toBe(payload.iat);
    expect(payload.jti).toMatch(/^1234567\.a-a\.[0-9a-f-]{36}_\d+\.\d+$/);
    expect(payload.nbf).toBeUndefined();
    const refresh = decodeJwtPart(res.body.refresh_token as string, 1);
    expect(refresh.jti).toMatch(/^1234567\.r\.[0-9a-f-]{36}_\d+\.0$/);
    expect((refresh.exp as number) - (refresh.iat as number)).toBe(168 * 3600);
  });
  test('confidential-client tokens carry no oit (public clients only)', async () => {
    const code = await confidentialCode();
    const res = await tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }, { authorization: confidentialAuth() });
    expect(decodeJwtPart(res.body.access_token as string, 1).oit).toBeUndefined();
  });
  test('the published JWKS key verifies tokens and the discovery document points at it', async () => {
    const conf = await (await hostFetch(new URL('/.well-known/openid-configuration', h.hosts.suitetalk))).json() as Record<string, unknown>;
    expect(conf.jwks_uri).toBe(`${h.hosts.suitetalk}/services/rest/auth/oauth2/v1/keys`);
    expect(conf.token_endpoint).toBe(`${h.hosts.suitetalk}${TOKEN_PATH}`);
    expect(conf.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = await (await hostFetch(conf.jwks_uri as string)).json() as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(() => createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' })).not.toThrow();
  });
  test('the audit trail never contains tokens', async () => {
    const text = JSON.stringify(await loginAudit(h));
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});

describe('the entity must still hold the role when the code is redeemed', () => {
  test('a code whose user lost the role → invalid_grant EntityOrRoleDisabled', async () => {
    const h2 = await startNonAdminHarness();
    try {
      const { code, verifier } = await authorizeNonAdmin(h2);
      expect(h2.services.directory.unassignRole('1234567', 8, 1001)).toBe(true);
      const res = await tokenRequest(h2, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: h2.publicClient.clientId });
      expect(res.body).toEqual({ error: 'invalid_grant' });
      expect((await loginAudit(h2)).at(-1)).toMatchObject({ status: 'Failure', detail: 'EntityOrRoleDisabled' });
    } finally {
      await h2.emu.stop();
    }
  });
});
