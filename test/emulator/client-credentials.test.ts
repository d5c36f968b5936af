import { assertion, makeCertificate, type TestCertificate } from './support/certificates';
import { uploadCertificate, revokeCertificate } from './support/certApi';
import { importPKCS8 } from 'jose';
import { TOKEN_PATH, adminAccessToken, basic, decodeJwtPart, loginAudit, startHarness, tokenRequest, type Harness } from './support/emulator';

// RSA 3072/4096 key generation is slow on a loaded machine; no assertion depends on time.
jest.setTimeout(30_000);

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let h: Harness;
let adminToken: string;
let ec: TestCertificate & { kid: string };
let rsa: TestCertificate & { kid: string };
let tokenUrl: string;
const clientId = () => h.confidentialClient.clientId;

async function mapped(cert: TestCertificate, o: { client?: string; role?: number; entity?: number } = {}): Promise<string> {
  const res = await uploadCertificate(h, adminToken, o.client ?? clientId(), { fileContent: cert.pem, role: o.role ?? 3, entity: o.entity ?? 7 });
  if (res.status !== 200) throw new Error(`upload failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.certificate_id as string;
}

const now = () => Math.floor(h.clock.now() / 1000);

async function sign(cert: TestCertificate & { kid: string }, o: Partial<Parameters<typeof assertion>[0]> = {}): Promise<string> {
  return assertion({ privateKey: cert.privateKey, alg: cert.alg, kid: cert.kid, clientId: clientId(), aud: tokenUrl, nowSeconds: now(), ...o });
}

const exchange = (jwt: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  tokenRequest(h, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: jwt, ...extra }, headers);

async function lastAuditDetail(): Promise<string | undefined> {
  return (await loginAudit(h)).at(-1)?.detail;
}

beforeAll(async () => {
  h = await startHarness({
    accounts: [{
      accountId: '1234567', customers: 0,
      roles: [{ internalId: 1001, scriptId: 'customrole_sbr_integration', name: 'SuiteBridge Integration', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', ADMI_RESTWEBSERVICES: 'FULL' } }],
      employees: [
        { entityId: 7, name: 'Ada Admin', email: 'admin@example.com', password: 'pw', roles: [3] },
        { entityId: 8, name: 'Ivy Integration', email: 'integration@example.com', password: 'pw8', roles: [1001] },
      ],
    }],
    integrations: [
      { name: 'SuiteBridge (public)', accountId: '1234567', publicClient: true, allowClientCredentialsForPublicClient: true, consentPolicy: 'NEVER_ASK' },
      { name: 'SuiteBridge (confidential)', accountId: '1234567', clientSecret: 'a'.repeat(64), consentPolicy: 'NEVER_ASK' },
      { name: 'Public without CC flag', accountId: '1234567', publicClient: true, consentPolicy: 'NEVER_ASK' },
      { name: 'Auth code only', accountId: '1234567', clientSecret: 'b'.repeat(64), grants: ['authorization_code'] },
      { name: 'Restlets only', accountId: '1234567', clientSecret: 'c'.repeat(64), scopes: ['restlets'] },
    ],
  });
  tokenUrl = `${h.hosts.suitetalk}${TOKEN_PATH}`;
  adminToken = await adminAccessToken(h);
  const ecCert = await makeCertificate('EC-P256');
  ec = { ...ecCert, kid: await mapped(ecCert, { role: 1001, entity: 8 }) };
  const rsaCert = await makeCertificate('RSA-3072');
  rsa = { ...rsaCert, kid: await mapped(rsaCert) };
}, 60_000);
afterAll(async () => { await h.emu.stop(); });

describe('client credentials: a valid assertion gets an access token and no refresh token', () => {
  test('ES256 (P-256) assertion → {access_token, expires_in "3600", token_type Bearer}, role+entity from the mapping', async () => {
    const res = await exchange(await sign(ec));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.body.expires_in).toBe('3600');
    expect(res.body.token_type).toBe('Bearer');
    const claims = decodeJwtPart(res.body.access_token as string, 1);
    expect(claims.sub).toBe('1234567;0;1001;8;N');
    expect(claims.aud).toEqual([clientId(), expect.stringMatching(/^app:[0-9A-F-]{36}$/)]);
    expect(claims.scope).toEqual(['restlets', 'rest_webservices']);
    expect(claims.jti).toMatch(/^a\.c\.[0-9a-f-]{36}\.\d+\.\d+$/);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
    expect(claims.nbf).toBeUndefined();
    expect(decodeJwtPart(res.body.access_token as string, 0)).toMatchObject({ typ: 'JWT', alg: 'RS256', kid: expect.any(String) });
  });
  test('PS256 with an RSA-3072 certificate works', async () => {
    expect((await exchange(await sign(rsa))).status).toBe(200);
  });
  test('a comma-separated scope string is accepted too (UNCERTAIN)', async () => {
    const res = await exchange(await sign(ec, { scope: 'restlets,rest_webservices' }));
    expect(decodeJwtPart(res.body.access_token as string, 1).scope).toEqual(['restlets', 'rest_webservices']);
  });
  test('client_id in the body → invalid_request: Oracle\'s request has none (leniency.assertionClientIdField opts in)', async () => {
    expect((await exchange(await sign(ec), { client_id: clientId() })).body).toEqual({ error: 'invalid_request' });
  });
});

describe('client credentials: client_assertion_type must be jwt-bearer', () => {
  test('wrong type → invalid_request', async () => {
    const res = await exchange(await sign(ec), { client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_request' });
  });
  test('missing assertion → invalid_request', async () => {
    expect((await tokenRequest(h, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER })).body).toEqual({ error: 'invalid_request' });
  });
  test('a Basic header alongside the assertion → invalid_request (two methods)', async () => {
    expect((await exchange(await sign(ec), {}, { authorization: basic(clientId(), 'a'.repeat(64)) })).body).toEqual({ error: 'invalid_request' });
  });
});

describe('client credentials: header typ JWT and alg in PS256/384/512, ES256/384/512 (RS256 rejected)', () => {
  test('typ other than JWT → invalid_request', async () => {
    expect((await exchange(await sign(ec, { typ: 'at+jwt' }))).body).toEqual({ error: 'invalid_request' });
  });
  test('RS256 with a mapped RSA certificate → invalid_grant UnsupportedAlgorithm', async () => {
    const rsKey = await importPKCS8(rsa.privateKeyPem, 'RS256');
    const res = await exchange(await sign({ ...rsa, privateKey: rsKey as CryptoKey, alg: 'RS256' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('UnsupportedAlgorithm');
  });
});

describe('client credentials: kid must be a live certificate mapped to this client', () => {
  test('unknown kid → invalid_grant', async () => {
    expect((await exchange(await sign({ ...ec, kid: 'A'.repeat(43) }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('InvalidCertificateId');
  });
  test('a certificate ID of another client → invalid_grant', async () => {
    const other = await makeCertificate('EC-P256');
    const otherKid = await mapped(other, { client: h.publicClient.clientId });
    expect((await exchange(await sign({ ...other, kid: otherKid }))).body).toEqual({ error: 'invalid_grant' });
  });
  test('a revoked certificate → invalid_grant CertificateRevoked', async () => {
    const cert = await makeCertificate('EC-P384');
    const kid = await mapped(cert);
    expect((await exchange(await sign({ ...cert, kid }))).status).toBe(200);
    await revokeCertificate(h, adminToken, clientId(), kid);
    expect((await exchange(await sign({ ...cert, kid }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('CertificateRevoked');
  });
  test('an expired certificate → invalid_grant CertificateExpired', async () => {
    const cert = await makeCertificate('EC-P256', { notBefore: new Date(Date.UTC(2026, 10, 1)), days: 30 });
    const kid = await mapped(cert);
    h.clock.advance(20 * 86400);
    try {
      expect((await exchange(await sign({ ...cert, kid }))).body).toEqual({ error: 'invalid_grant' });
      expect(await lastAuditDetail()).toBe('CertificateExpired');
    } finally {
      h.clock.advance(-20 * 86400);
    }
  });
});

describe('client credentials: the signature must verify with the mapped certificate key', () => {
  test('signed by a different key under a valid kid → invalid_grant InvalidSignature', async () => {
    const stranger = await makeCertificate('EC-P256');
    expect((await exchange(await sign({ ...ec, privateKey: stranger.privateKey }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('InvalidSignature');
  });
});

describe('client credentials: iss must be the client ID', () => {
  test('unknown iss → 401 invalid_client with WWW-Authenticate', async () => {
    const res = await exchange(await sign(ec, { clientId: '0'.repeat(64) }));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_client' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
  });
  test('iss of another client than the certificate mapping → invalid_grant', async () => {
    expect((await exchange(await sign(ec, { clientId: h.publicClient.clientId }))).body).toEqual({ error: 'invalid_grant' });
  });
  test('client_id in the body differing from iss → invalid_request', async () => {
    expect((await exchange(await sign(ec), { client_id: h.publicClient.clientId })).body).toEqual({ error: 'invalid_request' });
  });
});

describe('client credentials: aud must be the exact token URL', () => {
  test.each([
    ['a trailing slash', (u: string) => `${u}/`],
    ['another host of the account', (u: string) => u.replace('.suitetalk.localhost', '.restlets.localhost')],
    ['the emulator\'s bare origin', (u: string) => u.replace('1234567.suitetalk.localhost', '127.0.0.1')],
    ['https instead of http', (u: string) => u.replace('http:', 'https:')],
    ['the NetSuite production host', () => 'https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token'],
  ])('aud with %s → invalid_grant InvalidAudience', async (_what, mutate) => {
    expect((await exchange(await sign(ec, { aud: mutate(tokenUrl) }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('InvalidAudience');
  });
  test('aud is the token URL on the account\'s suitetalk host, the URL the request reached', async () => {
    expect(tokenUrl).toBe(`http://1234567.suitetalk.localhost:${new URL(h.url).port}${TOKEN_PATH}`);
    expect((await exchange(await sign(ec, { aud: tokenUrl }))).status).toBe(200);
  });
});

describe('client credentials: 0 < exp − iat < 3600 and exp in the future', () => {
  test('exp − iat = 3600 → invalid_grant', async () => {
    expect((await exchange(await sign(ec, { lifetime: 3600 }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('InvalidAssertionLifetime');
  });
  test('exp − iat = 3599 is accepted', async () => {
    expect((await exchange(await sign(ec, { lifetime: 3599 }))).status).toBe(200);
  });
  test('exp − iat = 0 → invalid_grant', async () => {
    expect((await exchange(await sign(ec, { lifetime: 0 }))).body).toEqual({ error: 'invalid_grant' });
  });
  test('an expired assertion → invalid_grant AssertionExpired', async () => {
    expect((await exchange(await sign(ec, { iat: now() - 600, lifetime: 300 }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('AssertionExpired');
  });
});

describe('client credentials: clock tolerance for exp (UNCERTAIN, limits.assertionClockToleranceSeconds)', () => {
  test('with 60 s tolerance an assertion expired 30 s ago passes, 90 s ago fails', async () => {
    const main = h;
    h = await startHarness({ limits: { assertionClockToleranceSeconds: 60 } });
    try {
      tokenUrl = `${h.hosts.suitetalk}${TOKEN_PATH}`;
      const admin = await adminAccessToken(h);
      const cert = await makeCertificate('EC-P256');
      const upload = await uploadCertificate(h, admin, h.confidentialClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 });
      const signed = (expiredFor: number) => assertion({ privateKey: cert.privateKey, alg: cert.alg, kid: upload.body.certificate_id, clientId: h.confidentialClient.clientId, aud: tokenUrl, nowSeconds: now(), iat: now() - 300 - expiredFor, lifetime: 300 });
      expect((await exchange(await signed(30))).status).toBe(200);
      expect((await exchange(await signed(90))).body).toEqual({ error: 'invalid_grant' });
    } finally {
      await h.emu.stop();
      h = main;
      tokenUrl = `${h.hosts.suitetalk}${TOKEN_PATH}`;
    }
  });
});

describe('client credentials: scope must be within the record scopes', () => {
  test('suite_analytics not on the record → invalid_grant InvalidScope', async () => {
    expect((await exchange(await sign(ec, { scope: ['restlets', 'suite_analytics'] }))).body).toEqual({ error: 'invalid_grant' });
    expect(await lastAuditDetail()).toBe('InvalidScope');
  });
  test('missing scope claim → invalid_grant', async () => {
    expect((await exchange(await sign(ec, { scope: null }))).body).toEqual({ error: 'invalid_grant' });
  });
  test('empty array → invalid_grant', async () => {
    expect((await exchange(await sign(ec, { scope: [] }))).body).toEqual({ error: 'invalid_grant' });
  });
});

describe('client credentials: a public client may not use it unless its record allows it (Oracle note)', () => {
  test('public record without allowClientCredentialsForPublicClient → unauthorized_client', async () => {
    const pub = h.seed.integrations.find((i) => i.name === 'Public without CC flag')!.clientId;
    const res = await exchange(await sign(ec, { clientId: pub }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'unauthorized_client' });
  });
  test('a record without the client credentials grant → unauthorized_client', async () => {
    const rec = h.seed.integrations.find((i) => i.name === 'Auth code only')!.clientId;
    expect((await exchange(await sign(ec, { clientId: rec }))).body).toEqual({ error: 'unauthorized_client' });
  });
  test('the public record with the flag (default seed) works', async () => {
    const cert = await makeCertificate('EC-P256');
    const kid = await mapped(cert, { client: h.publicClient.clientId });
    const res = await exchange(await assertion({ privateKey: cert.privateKey, alg: cert.alg, kid, clientId: h.publicClient.clientId, aud: tokenUrl, nowSeconds: now() }));
    expect(res.status).toBe(200);
  });
});

describe('client credentials: the mapped entity must still hold the role, with ADMI_LOGIN_OAUTH2', () => {
  test('after the role is removed from the entity → invalid_grant EntityOrRoleDisabled', async () => {
    const cert = await makeCertificate('EC-P521');
    const kid = await mapped(cert, { role: 1001, entity: 8 });
    expect((await exchange(await sign({ ...cert, kid }))).status).toBe(200);
    h.services.directory.unassignRole('1234567', 8, 1001);
    try {
      expect((await exchange(await sign({ ...cert, kid }))).body).toEqual({ error: 'invalid_grant' });
      expect(await lastAuditDetail()).toBe('EntityOrRoleDisabled');
    } finally {
      h.services.directory.assignRole('1234567', 8, 1001);
    }
  });
});
