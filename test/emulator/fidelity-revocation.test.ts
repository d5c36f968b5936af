/**
 * Revocation as the documentation reads: a revoke takes the whole grant (rotation chain) with it, a replayed
 * authorization code revokes what it issued (RFC 6749 §4.1.2), and certificates are one-way (no re-mapping a revoked
 * certificate, no second revoke).
 */
import { makeCertificate } from './support/certificates';
import { revokeCertificate, uploadCertificate } from './support/certApi';
import { CALLBACK, adminAccessToken, authorizeInBrowser, form, hostFetch, loginAudit, pkcePair, startHarness, tokenRequest, type Harness } from './support/emulator';

jest.setTimeout(30_000);

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emu.stop(); });

const REVOKE_PATH = '/services/rest/auth/oauth2/v1/revoke';

async function codeAndVerifier(): Promise<{ code: string; verifier: string }> {
  const pkce = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge });
  return { code: params.get('code')!, verifier: pkce.verifier };
}
const exchangeCode = (c: { code: string; verifier: string }) =>
  tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: c.code, redirect_uri: CALLBACK, code_verifier: c.verifier });
const refresh = (token: string) => tokenRequest(h, { grant_type: 'refresh_token', client_id: h.publicClient.clientId, refresh_token: token });
const revoke = (token: string) => hostFetch(new URL(REVOKE_PATH, h.hosts.suitetalk), {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ token, client_id: h.publicClient.clientId }),
});
const recordStatus = async (accessToken: string) =>
  (await hostFetch(new URL('/services/rest/record/v1/employee/7', h.hosts.suitetalk), { headers: { authorization: `Bearer ${accessToken}` } })).status;

describe('revoking one refresh token of a rotation chain revokes the whole chain', () => {
  test('earlier access tokens and refresh tokens of the chain stop working too', async () => {
    const first = (await exchangeCode(await codeAndVerifier())).body as { access_token: string; refresh_token: string };
    const second = (await refresh(first.refresh_token)).body as { access_token: string; refresh_token: string };
    const third = (await refresh(second.refresh_token)).body as { access_token: string; refresh_token: string };
    for (const t of [first, second, third]) expect(await recordStatus(t.access_token)).toBe(200);
    const res = await revoke(third.refresh_token);
    expect(res.status).toBe(200);
    for (const t of [first, second, third]) expect(await recordStatus(t.access_token)).toBe(401);
    expect((await refresh(third.refresh_token)).body).toEqual({ error: 'invalid_grant' });
  });
  test('another chain of the same user and client is untouched', async () => {
    const a = (await exchangeCode(await codeAndVerifier())).body as { access_token: string; refresh_token: string };
    const b = (await exchangeCode(await codeAndVerifier())).body as { access_token: string; refresh_token: string };
    await revoke(a.refresh_token);
    expect(await recordStatus(a.access_token)).toBe(401);
    expect(await recordStatus(b.access_token)).toBe(200);
  });
});

describe('replaying an authorization code revokes what it issued (RFC 6749 §4.1.2)', () => {
  test('the replay is invalid_grant and the first exchange\'s tokens, and their rotations, are revoked', async () => {
    const c = await codeAndVerifier();
    const first = (await exchangeCode(c)).body as { access_token: string; refresh_token: string };
    const rotated = (await refresh(first.refresh_token)).body as { access_token: string; refresh_token: string };
    expect(await recordStatus(rotated.access_token)).toBe(200);
    const replay = await exchangeCode(c);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: 'invalid_grant' });
    expect((await loginAudit(h)).at(-1)?.detail).toBe('AuthorizationCodeAlreadyUsed');
    expect(await recordStatus(first.access_token)).toBe(401);
    expect(await recordStatus(rotated.access_token)).toBe(401);
    expect((await refresh(rotated.refresh_token)).body).toEqual({ error: 'invalid_grant' });
  });
});

describe('revoke endpoint answers (UNCERTAIN: undocumented; RFC 7009 §2.2 followed)', () => {
  test('an unknown token → 200 with an empty body, recorded as UnknownToken', async () => {
    const res = await revoke('not.a.token');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await loginAudit(h)).at(-1)).toMatchObject({ action: 'revoke', status: 'Success', detail: 'UnknownToken' });
  });
});

describe('certificates: a revoked certificate stays revoked', () => {
  let admin: string;
  beforeAll(async () => { admin = await adminAccessToken(h); });
  const client = () => h.confidentialClient.clientId;

  test('mapping a revoked certificate again → 400 naming the fix', async () => {
    const cert = await makeCertificate('EC-P256');
    const created = await uploadCertificate(h, admin, client(), { fileContent: cert.pem, role: 3, entity: 7 });
    expect(created.status).toBe(200);
    expect((await revokeCertificate(h, admin, client(), created.body.certificate_id)).status).toBe(200);
    const again = await uploadCertificate(h, admin, client(), { fileContent: cert.pem, role: 3, entity: 7 });
    expect(again.status).toBe(400);
    expect(again.body).toMatch(/revoked certificate cannot be mapped again\. Generate a new key pair/);
  });
  test('revoking twice → the second answers 400 "already revoked"', async () => {
    const created = await uploadCertificate(h, admin, client(), { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    expect((await revokeCertificate(h, admin, client(), created.body.certificate_id)).status).toBe(200);
    const second = await revokeCertificate(h, admin, client(), created.body.certificate_id);
    expect(second.status).toBe(400);
    expect(second.text).toBe('This certificate is already revoked.');
  });
});
