/**
 * Client-credentials assertions: what Oracle's documentation does not allow is refused by default; each leniency is
 * an explicit opt-in setting (`leniency.*`, `limits.*`).
 */
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import type { EmulatorConfig } from '../../emulator/src/index';
import { makeCertificate, type TestCertificate } from './support/certificates';
import { uploadCertificate } from './support/certApi';
import { TOKEN_PATH, adminAccessToken, loginAudit, startHarness, tokenRequest, type Harness } from './support/emulator';
import { bothGrantsConfig } from './support/records';

jest.setTimeout(30_000);

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface Env { h: Harness; cert: TestCertificate; kid: string; tokenUrl: string }

async function start(config: EmulatorConfig = {}): Promise<Env> {
  const h = await startHarness(bothGrantsConfig(config));
  const cert = await makeCertificate('EC-P256');
  const upload = await uploadCertificate(h, await adminAccessToken(h), h.confidentialClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 });
  if (upload.status !== 200) throw new Error(`upload failed: ${upload.status}`);
  return { h, cert, kid: upload.body.certificate_id as string, tokenUrl: `${h.hosts.suitetalk}${TOKEN_PATH}` };
}

/** Signs exactly the claims given (no helper defaults), so one rule at a time can be broken. */
function signed(e: Env, claims: Record<string, unknown>): Promise<string> {
  const iat = Math.floor(e.h.clock.now() / 1000);
  return new SignJWT({ iss: e.h.confidentialClient.clientId, aud: e.tokenUrl, scope: ['restlets', 'rest_webservices'], iat, exp: iat + 300, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: e.cert.alg, typ: 'JWT', kid: e.kid })
    .sign(e.cert.privateKey);
}

const exchange = (e: Env, jwt: string, extra: Record<string, string> = {}) =>
  tokenRequest(e.h, { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: jwt, ...extra });

async function refusedWith(e: Env, res: { status: number; body: Record<string, unknown> }, error: string, reason: string): Promise<void> {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error });
  expect((await loginAudit(e.h)).at(-1)?.detail).toBe(reason);
}

describe('strict by default', () => {
  let e: Env;
  let now: number;
  beforeAll(async () => { e = await start(); });
  beforeEach(() => { now = Math.floor(e.h.clock.now() / 1000); });
  afterAll(async () => { await e.h.emu.stop(); });

  test('the control assertion works', async () => {
    expect((await exchange(e, await signed(e, {}))).status).toBe(200);
  });
  test('iat one day in the future → invalid_grant AssertionIssuedInTheFuture', async () => {
    await refusedWith(e, await exchange(e, await signed(e, { iat: now + 86400, exp: now + 86400 + 300 })), 'invalid_grant', 'AssertionIssuedInTheFuture');
  });
  test('iat 30 s in the future (no clock tolerance by default) → invalid_grant', async () => {
    await refusedWith(e, await exchange(e, await signed(e, { iat: now + 30, exp: now + 330 })), 'invalid_grant', 'AssertionIssuedInTheFuture');
  });
  test('fractional iat/exp (Date.now() / 1000) → invalid_grant NonIntegerTimeClaim', async () => {
    await refusedWith(e, await exchange(e, await signed(e, { iat: now + 0.25, exp: now + 300.25 })), 'invalid_grant', 'NonIntegerTimeClaim');
  });
  test('an extra client_id form field → invalid_request', async () => {
    await refusedWith(e, await exchange(e, await signed(e, {}), { client_id: e.h.confidentialClient.clientId }), 'invalid_request', 'UnexpectedParameter:client_id');
  });
  test('aud as an array holding the token URL → invalid_grant', async () => {
    await refusedWith(e, await exchange(e, await signed(e, { aud: [e.tokenUrl] })), 'invalid_grant', 'AudienceMustBeTheTokenUrlString');
  });
  test('a sub claim → invalid_grant UnexpectedSubClaim', async () => {
    await refusedWith(e, await exchange(e, await signed(e, { sub: e.h.confidentialClient.clientId })), 'invalid_grant', 'UnexpectedSubClaim');
  });
  test('scope: the documented forms, an array and a comma-separated string, are accepted', async () => {
    expect((await exchange(e, await signed(e, { scope: ['restlets'] }))).status).toBe(200);
    expect((await exchange(e, await signed(e, { scope: 'restlets,rest_webservices' }))).status).toBe(200);
  });
  test('scope as a space-separated string (not a documented form) → invalid_grant InvalidScope', async () => {
    await refusedWith(e, await exchange(e, await signed(e, { scope: 'restlets rest_webservices' })), 'invalid_grant', 'InvalidScope');
  });
});

describe('each leniency is an explicit opt-in', () => {
  let e: Env;
  let now: number;
  beforeAll(async () => {
    e = await start({
      leniency: { assertionFractionalTimes: true, assertionClientIdField: true, assertionAudienceArray: true, assertionSubClaim: true },
      limits: { assertionClockToleranceSeconds: 60 },
    });
  });
  beforeEach(() => { now = Math.floor(e.h.clock.now() / 1000); });
  afterAll(async () => { await e.h.emu.stop(); });

  test('leniency.assertionFractionalTimes', async () => {
    expect((await exchange(e, await signed(e, { iat: now + 0.25, exp: now + 300.25 }))).status).toBe(200);
  });
  test('leniency.assertionClientIdField (it must still equal iss)', async () => {
    expect((await exchange(e, await signed(e, {}), { client_id: e.h.confidentialClient.clientId })).status).toBe(200);
    expect((await exchange(e, await signed(e, {}), { client_id: 'f'.repeat(64) })).body).toEqual({ error: 'invalid_request' });
  });
  test('leniency.assertionAudienceArray', async () => {
    expect((await exchange(e, await signed(e, { aud: [e.tokenUrl] }))).status).toBe(200);
  });
  test('leniency.assertionSubClaim', async () => {
    expect((await exchange(e, await signed(e, { sub: 'anything' }))).status).toBe(200);
  });
  test('limits.assertionClockToleranceSeconds: 30 s ahead passes, one day ahead still fails', async () => {
    expect((await exchange(e, await signed(e, { iat: now + 30, exp: now + 330 }))).status).toBe(200);
    expect((await exchange(e, await signed(e, { iat: now + 86400, exp: now + 86700 }))).body).toEqual({ error: 'invalid_grant' });
  });
});

describe('limits.certificatePropagationSeconds (UNCERTAIN; default 0 = usable at once)', () => {
  let e: Env;
  beforeAll(async () => { e = await start({ limits: { certificatePropagationSeconds: 120 } }); });
  afterAll(async () => { await e.h.emu.stop(); });

  test('a new mapping is refused until the propagation delay has passed', async () => {
    await refusedWith(e, await exchange(e, await signed(e, {})), 'invalid_grant', 'CertificateNotYetActive');
    e.h.clock.advance(120);
    expect((await exchange(e, await signed(e, {}))).status).toBe(200);
  });
});
