import { constants, generateKeyPair, KeyObject, verify as cryptoVerify, webcrypto, type KeyPairKeyObjectResult } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { ClientCredentialsClient, createClientAssertion } from '../../client/src/clientCredentials';
import { ManualClock } from '../../client/src/clock';
import { ConfigurationError, TokenEndpointError } from '../../client/src/errors';
import { json, mockFetch, rejectionOf, rejectionSync, tokenResponse } from './support/coreFetchMock';

const gen = promisify(generateKeyPair) as (type: string, options: object) => Promise<KeyPairKeyObjectResult>;
const CLIENT_ID = 'd'.repeat(64);
const CERT_ID = 'NPMnRyPg-WDWxyz0123456789abcdefghijklmnopqrs';
const AUD = 'https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token';

let rsa3072: KeyPairKeyObjectResult;
let rsa4096: KeyPairKeyObjectResult;
let rsa2048: KeyPairKeyObjectResult;
let rsaPss: KeyPairKeyObjectResult;
let ec256: KeyPairKeyObjectResult;
let ec384: KeyPairKeyObjectResult;
let ec521: KeyPairKeyObjectResult;

beforeAll(async () => {
  [rsa3072, rsa4096, rsa2048, rsaPss, ec256, ec384, ec521] = await Promise.all([
    gen('rsa', { modulusLength: 3072 }),
    gen('rsa', { modulusLength: 4096 }),
    gen('rsa', { modulusLength: 2048 }),
    gen('rsa-pss', { modulusLength: 3072 }),
    gen('ec', { namedCurve: 'P-256' }),
    gen('ec', { namedCurve: 'P-384' }),
    gen('ec', { namedCurve: 'P-521' }),
  ]);
}, 120_000);

const pem = (pair: KeyPairKeyObjectResult, type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8') =>
  pair.privateKey.export({ type, format: 'pem' }) as string;

function baseOptions(privateKey: string | KeyObject | CryptoKey, clock = new ManualClock(Date.UTC(2026, 10, 22, 10, 0, 0) + 789)) {
  return { clientId: CLIENT_ID, certificateId: CERT_ID, privateKey, audience: AUD, scopes: ['restlets', 'rest_webservices'], clock };
}

async function verify(jwt: string, pair: KeyPairKeyObjectResult, alg: string) {
  if (pair.publicKey.asymmetricKeyType === 'rsa-pss') return verifyPssOid(jwt, pair, alg);
  const clockTolerance = 10 * 365 * 24 * 3600; // the manual clock is not "now"
  return jwtVerify(jwt, pair.publicKey, { algorithms: [alg], clockTolerance, audience: AUD, issuer: CLIENT_ID });
}

/** jose cannot import RSA-PSS-OID public keys on Node 20; verify those with node:crypto. */
function verifyPssOid(jwt: string, pair: KeyPairKeyObjectResult, alg: string) {
  const [h, p, sig] = jwt.split('.') as [string, string, string];
  const protectedHeader = JSON.parse(Buffer.from(h, 'base64url').toString());
  expect(protectedHeader.alg).toBe(alg);
  const bits = Number(alg.slice(2));
  const ok = cryptoVerify(`sha${bits}`, Buffer.from(`${h}.${p}`), {
    key: pair.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8,
  }, Buffer.from(sig, 'base64url'));
  expect(ok).toBe(true);
  return { payload: JSON.parse(Buffer.from(p, 'base64url').toString()), protectedHeader };
}

describe('createClientAssertion', () => {
  it('signs PS256 for RSA 3072 with the NetSuite claims', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 22, 10, 0, 0) + 789);
    const jwt = await createClientAssertion(baseOptions(pem(rsa3072), clock));
    const { payload, protectedHeader } = await verify(jwt, rsa3072, 'PS256');
    expect(protectedHeader).toEqual({ alg: 'PS256', typ: 'JWT', kid: CERT_ID });
    const iat = Math.floor(clock.now() / 1000);
    expect(payload).toEqual({
      iss: CLIENT_ID, aud: AUD, scope: ['restlets', 'rest_webservices'], iat, exp: iat + 300, jti: expect.any(String),
    });
    expect(Number.isInteger(payload.iat)).toBe(true);
  });

  it('uses a unique jti per assertion', async () => {
    const a = await createClientAssertion(baseOptions(pem(ec256)));
    const b = await createClientAssertion(baseOptions(pem(ec256)));
    const jti = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).jti;
    expect(jti(a)).not.toBe(jti(b));
  });

  it('adds sub only when includeSubject is true, and honours the lifetime', async () => {
    expect((await verify(await createClientAssertion(baseOptions(pem(ec256))), ec256, 'ES256')).payload.sub).toBeUndefined();
    const jwt = await createClientAssertion({ ...baseOptions(pem(ec256)), includeSubject: true, lifetimeSeconds: 3599 });
    const { payload } = await verify(jwt, ec256, 'ES256');
    expect(payload.sub).toBe(CLIENT_ID);
    expect(payload.exp! - payload.iat!).toBe(3599);
  });

  it.each([3600, 0, 12.5, -1])('refuses lifetimeSeconds %p', async (lifetimeSeconds) => {
    const err = await rejectionOf(createClientAssertion({ ...baseOptions(pem(ec256)), lifetimeSeconds }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(/3600/);
  });

  it('picks PS256 by default for RSA 4096 and PS384/PS512 on request', async () => {
    expect(decodeProtectedHeader(await createClientAssertion(baseOptions(pem(rsa4096)))).alg).toBe('PS256');
    const ps384 = await createClientAssertion({ ...baseOptions(pem(rsa4096)), algorithm: 'PS384' });
    await verify(ps384, rsa4096, 'PS384');
    const ps512 = await createClientAssertion({ ...baseOptions(pem(rsa3072)), algorithm: 'PS512' });
    await verify(ps512, rsa3072, 'PS512');
  });

  it('never signs RS256', async () => {
    const err = await rejectionOf(createClientAssertion({ ...baseOptions(pem(rsa3072)), algorithm: 'RS256' as 'PS256' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(/RS256/);
  });

  it.each([
    ['P-256', () => ec256, 'ES256'],
    ['P-384', () => ec384, 'ES384'],
    ['P-521', () => ec521, 'ES512'],
  ])('picks the ES algorithm from the curve (%s)', async (_curve, pair, alg) => {
    const jwt = await createClientAssertion(baseOptions(pem(pair())));
    expect(decodeProtectedHeader(jwt).alg).toBe(alg);
    await verify(jwt, pair(), alg);
  });

  it('refuses an algorithm option for EC keys', async () => {
    expect((await rejectionOf(createClientAssertion({ ...baseOptions(pem(ec256)), algorithm: 'PS256' }))).message).toMatch(/EC key/);
  });

  it('reads PKCS#1 and SEC1 PEMs, KeyObjects and RSA-PSS-OID keys', async () => {
    await verify(await createClientAssertion(baseOptions(pem(rsa3072, 'pkcs1'))), rsa3072, 'PS256');
    await verify(await createClientAssertion(baseOptions(pem(ec384, 'sec1'))), ec384, 'ES384');
    await verify(await createClientAssertion(baseOptions(rsa3072.privateKey)), rsa3072, 'PS256');
    await verify(await createClientAssertion(baseOptions(pem(rsaPss))), rsaPss, 'PS256');
    await verify(await createClientAssertion({ ...baseOptions(pem(rsaPss)), algorithm: 'PS384' }), rsaPss, 'PS384');
  });

  it('accepts WebCrypto keys: RSA-PSS, ECDSA and extractable RSASSA keys', async () => {
    const der = rsa3072.privateKey.export({ type: 'pkcs8', format: 'der' });
    const pss = await webcrypto.subtle.importKey('pkcs8', der, { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['sign']);
    await verify(await createClientAssertion(baseOptions(pss as CryptoKey)), rsa3072, 'PS384');
    const ecdsa = await webcrypto.subtle.importKey('pkcs8', ec256.privateKey.export({ type: 'pkcs8', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    await verify(await createClientAssertion(baseOptions(ecdsa as CryptoKey)), ec256, 'ES256');
    const pkcs1v15 = await webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
    await verify(await createClientAssertion(baseOptions(pkcs1v15 as CryptoKey)), rsa3072, 'PS256');
    const locked = await webcrypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    const err = await rejectionOf(createClientAssertion(baseOptions(locked as CryptoKey)));
    expect(err.code).toBe('CERTIFICATE_ERROR');
    expect(err.message).toMatch(/RS256/);
    const mismatch = await rejectionOf(createClientAssertion({ ...baseOptions(pss as CryptoKey), algorithm: 'PS256' }));
    expect(mismatch.message).toMatch(/hash/);
  });

  it('refuses RSA keys below 3072 bits and names the size rule', async () => {
    const err = await rejectionOf(createClientAssertion(baseOptions(pem(rsa2048))));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.code).toBe('CERTIFICATE_ERROR');
    expect(err.message).toMatch(/2048 bits/);
    expect(err.message).toMatch(/3072 or 4096/);
    expect(err.remedy).toMatch(/cert new/);
  });

  it('refuses unsupported curves and key types', async () => {
    const k1 = await gen('ec', { namedCurve: 'secp256k1' });
    expect((await rejectionOf(createClientAssertion(baseOptions(pem(k1))))).message).toMatch(/secp256k1/);
    const ed = await gen('ed25519', {});
    expect((await rejectionOf(createClientAssertion(baseOptions(pem(ed))))).code).toBe('CERTIFICATE_ERROR');
    expect((await rejectionOf(createClientAssertion(baseOptions(ec256.publicKey)))).message).toMatch(/public key/);
  });

  it('explains a certificate, an encrypted key or garbage passed as the private key without echoing it', async () => {
    const certLike = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    expect((await rejectionOf(createClientAssertion(baseOptions(certLike)))).message).toMatch(/certificate, not a private key/);
    const encrypted = rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    expect((await rejectionOf(createClientAssertion(baseOptions(encrypted)))).message).toMatch(/passphrase/);
    const broken = pem(ec256).replace(/[A-Za-z]{10}/, 'AAAAAAAAAA');
    const err = await rejectionOf(createClientAssertion(baseOptions(broken)));
    expect(err.code).toBe('CERTIFICATE_ERROR');
    expect(err.message).not.toContain('PRIVATE KEY-----\n');
    expect((await rejectionOf(createClientAssertion(baseOptions('')))).message).toMatch(/empty/);
  });

  it('validates identifiers and scopes', async () => {
    expect((await rejectionOf(createClientAssertion({ ...baseOptions(pem(ec256)), certificateId: '' }))).field).toBe('certificateId');
    expect((await rejectionOf(createClientAssertion({ ...baseOptions(pem(ec256)), scopes: ['restlets,rest_webservices'] }))).field).toBe('scopes');
  });
});

describe('ClientCredentialsClient', () => {
  function client(fetchImpl: typeof fetch, extra: Partial<ConstructorParameters<typeof ClientCredentialsClient>[0]> = {}) {
    return new ClientCredentialsClient({
      accountId: '1234567_SB1', clientId: CLIENT_ID, certificateId: CERT_ID, privateKey: pem(ec256),
      scopes: ['restlets', 'rest_webservices'], fetch: fetchImpl, clock: new ManualClock(), ...extra,
    });
  }

  it('posts the client_credentials form to the account token URL, without Basic or client_id', async () => {
    const mock = mockFetch(() => json(200, { access_token: 'at-1', expires_in: '3600', token_type: 'Bearer' }));
    const c = client(mock.fetch);
    const tokens = await c.requestToken();
    const call = mock.calls[0]!;
    const sandboxToken = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token';
    expect(call.url).toBe(sandboxToken);
    expect(call.headers['authorization']).toBeUndefined();
    expect([...call.form.keys()].sort()).toEqual(['client_assertion', 'client_assertion_type', 'grant_type']);
    expect(call.form.get('grant_type')).toBe('client_credentials');
    expect(call.form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const { payload } = await jwtVerify(call.form.get('client_assertion')!, ec256.publicKey, { clockTolerance: 1e9 });
    expect(payload.aud).toBe(sandboxToken);
    expect(tokens).toEqual({ accessToken: 'at-1', expiresAt: new ManualClock().now() + 3_600_000, scopes: ['restlets', 'rest_webservices'], tokenType: 'Bearer' });
  });

  it('ignores a refresh token a non-conformant server might send', async () => {
    const tokens = await client(mockFetch(() => tokenResponse({ refresh_token: 'nope' })).fetch).requestToken();
    expect(tokens.refreshToken).toBeUndefined();
  });

  it('uses tokenUrl as endpoint and audience, and baseUrl for the emulator', async () => {
    const mock = mockFetch(() => tokenResponse());
    await client(mock.fetch, { tokenUrl: 'https://idp.example.com/oauth2/token' }).requestToken();
    expect(mock.calls[0]!.url).toBe('https://idp.example.com/oauth2/token');
    const { payload } = await jwtVerify(mock.calls[0]!.form.get('client_assertion')!, ec256.publicKey, { clockTolerance: 1e9 });
    expect(payload.aud).toBe('https://idp.example.com/oauth2/token');
    const emu = mockFetch(() => tokenResponse());
    await client(emu.fetch, { baseUrl: 'http://127.0.0.1:4010', dangerouslyAllowInsecureHttp: true }).requestToken();
    expect(emu.calls[0]!.url).toBe('http://1234567-sb1.suitetalk.localhost:4010/services/rest/auth/oauth2/v1/token');
    expect(rejectionSync(() => client(emu.fetch, { tokenUrl: 'http://idp.example.com/token' })).code).toBe('INSECURE_URL');
  });

  it('exposes the assertion it would send and respects includeSubject', async () => {
    const c = client(mockFetch(() => tokenResponse()).fetch, { includeSubject: false, assertionLifetimeSeconds: 900 });
    const { payload } = await jwtVerify(await c.createAssertion(), ec256.publicKey, { clockTolerance: 1e9 });
    expect(payload.sub).toBeUndefined();
    expect(payload.exp! - payload.iat!).toBe(900);
  });

  it('reports a bad key from requestToken, not as an unhandled rejection', async () => {
    const c = client(mockFetch(() => tokenResponse()).fetch, { privateKey: pem(rsa2048) });
    expect((await rejectionOf(c.requestToken())).code).toBe('CERTIFICATE_ERROR');
  });

  it('refuses a long assertion lifetime at construction', () => {
    expect(rejectionSync(() => client(mockFetch(() => tokenResponse()).fetch, { assertionLifetimeSeconds: 3600 })).code).toBe('INVALID_ARGUMENT');
  });

  it('maps invalid_grant to the M2M causes and never echoes the assertion', async () => {
    const mock = mockFetch(() => json(400, { error: 'invalid_grant', error_description: 'Invalid login attempt.' }));
    const err = await rejectionOf(client(mock.fetch).requestToken());
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err.grant).toBe('client_credentials');
    const assertion = mock.calls[0]!.form.get('client_assertion')!;
    expect(err.message).not.toContain(assertion);
    expect(err.message).not.toContain(assertion.split('.')[2]);
    expect(JSON.stringify(err.likelyCauses)).not.toContain(assertion.split('.')[1]);
    expect(err.likelyCauses.join('\n')).toMatch(/kid/);
    expect(err.errorDescription).toBe('Invalid login attempt.');
  });
});
