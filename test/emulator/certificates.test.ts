import { assertion, makeCertificate } from './support/certificates';
import { certificatesPath, listCertificates, revokeCertificate, uploadCertificate } from './support/certApi';
import { bothGrantsConfig } from './support/records';
import { CALLBACK, TOKEN_PATH, adminAccessToken, authorizeInBrowser, hostFetch, pkcePair, startHarness, tokenRequest, type Harness } from './support/emulator';

// RSA 3072/4096 key generation is slow on a loaded machine; no assertion depends on time.
jest.setTimeout(30_000);

let h: Harness;
let admin: string;
const cc = () => h.confidentialClient.clientId;

async function userToken(email: string, password: string, scope = 'restlets rest_webservices'): Promise<string> {
  const pkce = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge, email, password, scope });
  const res = await tokenRequest(h, { grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code')!, redirect_uri: CALLBACK, code_verifier: pkce.verifier });
  return res.body.access_token as string;
}

beforeAll(async () => {
  h = await startHarness({
    accounts: [{
      accountId: '1234567', customers: 0,
      roles: [
        { internalId: 1001, scriptId: 'customrole_sbr_integration', name: 'SuiteBridge Integration', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', ADMI_RESTWEBSERVICES: 'FULL', ADMI_MANAGE_OWN_OAUTH2_CERTS: 'FULL' } },
        { internalId: 1002, scriptId: 'customrole_plain', name: 'Plain OAuth', permissions: { ADMI_LOGIN_OAUTH2: 'FULL', ADMI_RESTWEBSERVICES: 'FULL' } },
        { internalId: 1003, scriptId: 'customrole_nologin', name: 'No login', permissions: { ADMI_RESTWEBSERVICES: 'FULL' } },
      ],
      employees: [
        { entityId: 7, name: 'Ada Admin', email: 'admin@example.com', password: 'pw', roles: [3, 1003] },
        { entityId: 8, name: 'Ivy Integration', email: 'ivy@example.com', password: 'pw8', roles: [1001] },
        { entityId: 9, name: 'Pat Plain', email: 'pat@example.com', password: 'pw9', roles: [1002] },
      ],
    }],
    integrations: [
      { name: 'SuiteBridge (public)', accountId: '1234567', publicClient: true, allowClientCredentialsForPublicClient: true, consentPolicy: 'NEVER_ASK' },
      { name: 'SuiteBridge (confidential)', accountId: '1234567', clientSecret: 'a'.repeat(64) },
      { name: 'Limited', accountId: '1234567', clientSecret: 'b'.repeat(64) },
      { name: 'No CC', accountId: '1234567', clientSecret: 'c'.repeat(64), grants: ['authorization_code'] },
    ],
    limits: { activeCertificatesPerIntegration: 50 },
    // This file checks netsuite-cli's flat shape and problem-JSON errors; fidelity-shapes covers the default (nested).
    shapes: { certificateApi: 'flat' },
  });
  admin = await adminAccessToken(h);
}, 60_000);
afterAll(async () => { await h.emu.stop(); });

describe('certificate API create: returns a 43-character base64url certificate ID', () => {
  test('EC P-256 certificate → 200 object with certificate_id, algorithm, valid_until, revoked', async () => {
    const cert = await makeCertificate('EC-P256');
    const res = await uploadCertificate(h, admin, cc(), { fileContent: cert.pem, role: 3, entity: 7 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ certificate_id: expect.any(String), algorithm: 'EC', valid_until: expect.any(String), invalidated: false });
    expect(res.body.certificate_id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.body.valid_until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
  test('role and entity given as numeric strings are accepted (Oracle example mixes them)', async () => {
    const cert = await makeCertificate('RSA-4096');
    const res = await uploadCertificate(h, admin, cc(), { fileContent: cert.pem, role: '3', entity: '7' });
    expect(res.status).toBe(200);
    expect(res.body.algorithm).toBe('RSA');
  });
});

describe('certificate API: X.509 PEM with RSA 3072/4096 or EC P-256/384/521 only', () => {
  test('RSA 2048 → 400 problem JSON naming the key size', async () => {
    const cert = await makeCertificate('RSA-2048');
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/application\/vnd\.oracle\.resource\+json; type=error/);
    expect(res.body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_CONTENT');
    expect(res.body['o:errorDetails'][0].detail).toMatch(/3072 or 4096/);
    expect(res.body['o:errorDetails'][0]['o:errorPath']).toBe('fileContent');
  });
  test('not a PEM certificate → 400', async () => {
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: 'hello', role: 3, entity: 7 });
    expect(res.status).toBe(400);
  });
  test('a corrupted PEM body → 400', async () => {
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', role: 3, entity: 7 });
    expect(res.status).toBe(400);
  });
  test('a private key is refused and never echoed', async () => {
    const cert = await makeCertificate('EC-P256');
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: `${cert.pem}\n${cert.privateKeyPem}`, role: 3, entity: 7 });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain(cert.privateKeyPem.split('\n')[1]);
  });
  test.each(['EC-P384', 'EC-P521', 'RSA-3072'] as const)('%s is accepted', async (spec) => {
    const cert = await makeCertificate(spec);
    expect((await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 })).status).toBe(200);
  });
});

describe('certificate API: validity is capped to 2 years', () => {
  test('a 5-year certificate gets valid_until = upload date + 730 days', async () => {
    const cert = await makeCertificate('EC-P256', { days: 5 * 365 });
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 });
    expect(res.body.valid_until).toBe(new Date(h.clock.now() + 730 * 86400_000).toISOString().slice(0, 10));
  });
  test('a 1-year certificate keeps its own notAfter', async () => {
    const notBefore = new Date(Date.UTC(2026, 10, 1));
    const cert = await makeCertificate('EC-P256', { notBefore, days: 365 });
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 });
    expect(res.body.valid_until).toBe(new Date(notBefore.getTime() + 365 * 86400_000).toISOString().slice(0, 10));
  });
  test('an already expired certificate → 400', async () => {
    const cert = await makeCertificate('EC-P256', { notBefore: new Date(Date.UTC(2024, 0, 1)), days: 30 });
    expect((await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 })).status).toBe(400);
  });
});

describe('certificate API: one certificate per (client, role, entity)', () => {
  test('the same certificate for another role/entity or client → 400', async () => {
    const cert = await makeCertificate('EC-P256');
    expect((await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 7 })).status).toBe(200);
    const again = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 1001, entity: 8 });
    expect(again.status).toBe(400);
    expect(again.body['o:errorDetails'][0].detail).toMatch(/only one combination/);
    expect((await uploadCertificate(h, admin, cc(), { fileContent: cert.pem, role: 3, entity: 7 })).status).toBe(400);
  });
});

describe('certificate API: the entity must hold the role (and the role allow OAuth 2.0 login)', () => {
  test('entity 8 does not hold Administrator → 400', async () => {
    const cert = await makeCertificate('EC-P256');
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 8 });
    expect(res.status).toBe(400);
    expect(res.body['o:errorDetails'][0].detail).toMatch(/does not hold role 3/);
  });
  test('unknown entity → 400', async () => {
    const cert = await makeCertificate('EC-P256');
    expect((await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 3, entity: 4242 })).status).toBe(400);
  });
  test('a role without ADMI_LOGIN_OAUTH2 → 400', async () => {
    const cert = await makeCertificate('EC-P256');
    const res = await uploadCertificate(h, admin, h.publicClient.clientId, { fileContent: cert.pem, role: 1003, entity: 7 });
    expect(res.status).toBe(400);
    expect(res.body['o:errorDetails'][0].detail).toMatch(/ADMI_LOGIN_OAUTH2/);
  });
  test('a record without the client credentials grant → 400', async () => {
    const noCc = h.seed.integrations.find((i) => i.name === 'No CC')!.clientId;
    const cert = await makeCertificate('EC-P256');
    expect((await uploadCertificate(h, admin, noCc, { fileContent: cert.pem, role: 3, entity: 7 })).status).toBe(400);
  });
});

describe('certificate API: active-certificate limit per integration record (UNCERTAIN; default 5, configured 2 here)', () => {
  test('the third active certificate → 400; after a revoke there is room again', async () => {
    const main = h;
    h = await startHarness(bothGrantsConfig({ limits: { activeCertificatesPerIntegration: 2 }, shapes: { certificateApi: 'flat' } }));
    const admin = await adminAccessToken(h);
    const limited = h.confidentialClient.clientId;
    try {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await uploadCertificate(h, admin, limited, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
      expect(res.status).toBe(200);
      ids.push(res.body.certificate_id);
    }
    const third = await uploadCertificate(h, admin, limited, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    expect(third.status).toBe(400);
    expect(third.body['o:errorDetails'][0].detail).toMatch(/limit 2/);
    await revokeCertificate(h, admin, limited, ids[0]!);
    expect((await uploadCertificate(h, admin, limited, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 })).status).toBe(200);
    } finally {
      await h.emu.stop();
      h = main;
    }
  });
});

describe('certificate API list and revoke shapes (UNCERTAIN)', () => {
  test('flat list returns [{certificate_id, algorithm, valid_until, revoked}]; revoke returns text "Successfully revoked"', async () => {
    const cert = await makeCertificate('EC-P256');
    const created = await uploadCertificate(h, admin, cc(), { fileContent: cert.pem, role: 3, entity: 7 });
    const id = created.body.certificate_id as string;
    const list = await listCertificates(h, admin, cc());
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body)).toBe(true);
    expect(list.body.find((c: { certificate_id: string }) => c.certificate_id === id)).toEqual({
      certificate_id: id, algorithm: 'EC', valid_until: created.body.valid_until, revoked: false,
    });
    const revoked = await revokeCertificate(h, admin, cc(), id);
    expect(revoked.status).toBe(200);
    expect(revoked.text).toBe('Successfully revoked');
    expect(revoked.contentType).toMatch(/text\/plain/);
    const after = await listCertificates(h, admin, cc());
    expect(after.body.find((c: { certificate_id: string }) => c.certificate_id === id).revoked).toBe(true);
  });
  test('revoking an unknown certificate → 404 problem JSON', async () => {
    const res = await revokeCertificate(h, admin, cc(), 'Z'.repeat(43));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)['o:errorDetails'][0]['o:errorCode']).toBe('NONEXISTENT_ID');
  });
  test('an unknown client ID → 404', async () => {
    expect((await listCertificates(h, admin, '9'.repeat(64))).status).toBe(404);
  });
  test('the list URL with Oracle\'s empty ?c= query is the same list', async () => {
    const res = await hostFetch(new URL(`${certificatesPath(cc())}?c=`, h.hosts.restlets), { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual((await listCertificates(h, admin, cc())).body);
  });
});

describe('certificate API accepts a client-credentials (M2M) token with rest_webservices, not only auth-code tokens', () => {
  async function machineToken(scope: string[]): Promise<string> {
    const cert = await makeCertificate('EC-P256');
    const created = await uploadCertificate(h, admin, cc(), { fileContent: cert.pem, role: 1001, entity: 8 });
    const jwt = await assertion({ privateKey: cert.privateKey, alg: cert.alg, kid: created.body.certificate_id, clientId: cc(),
      aud: `${h.hosts.suitetalk}${TOKEN_PATH}`, nowSeconds: Math.floor(h.clock.now() / 1000), scope });
    const res = await tokenRequest(h, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });
    if (res.status !== 200) throw new Error(`client credentials failed ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token as string;
  }
  test('the mapped role (manage-own) lists and uploads its own certificates with its M2M token', async () => {
    const token = await machineToken(['rest_webservices']);
    const adminCert = await uploadCertificate(h, admin, cc(), { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    const list = await listCertificates(h, token, cc());
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect(list.body.some((c: { certificate_id: string }) => c.certificate_id === adminCert.body.certificate_id)).toBe(false);
    const next = await uploadCertificate(h, token, cc(), { fileContent: (await makeCertificate('EC-P256')).pem, role: 1001, entity: 8 });
    expect(next.status).toBe(200);
  });
  test('an M2M token without rest_webservices → 401', async () => {
    const token = await machineToken(['restlets']);
    expect((await listCertificates(h, token, cc())).status).toBe(401);
  });
});

describe('certificate API needs a rest_webservices token and the manage-own permission', () => {
  test('no token → 401 INVALID_LOGIN problem JSON', async () => {
    const res = await hostFetch(new URL(certificatesPath(cc()), h.hosts.restlets));
    expect(res.status).toBe(401);
    expect((await res.json())['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_LOGIN');
  });
  test('a token with only the restlets scope → 401', async () => {
    const token = await adminAccessToken(h, 'restlets');
    expect((await listCertificates(h, token, cc())).status).toBe(401);
  });
  test('a role without the manage-own permission → 403 INSUFFICIENT_PERMISSION', async () => {
    const token = await userToken('pat@example.com', 'pw9');
    const res = await listCertificates(h, token, cc());
    expect(res.status).toBe(403);
    expect(res.body['o:errorDetails'][0]['o:errorCode']).toBe('INSUFFICIENT_PERMISSION');
  });
  test('manage-own: may create for its own role+entity, not for others; sees and revokes only its own', async () => {
    const token = await userToken('ivy@example.com', 'pw8');
    const own = await uploadCertificate(h, token, cc(), { fileContent: (await makeCertificate('EC-P256')).pem, role: 1001, entity: 8 });
    expect(own.status).toBe(200);
    const other = await uploadCertificate(h, token, cc(), { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    expect(other.status).toBe(403);
    const adminCert = await uploadCertificate(h, admin, cc(), { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    const list = await listCertificates(h, token, cc());
    expect(list.body.some((c: { certificate_id: string }) => c.certificate_id === adminCert.body.certificate_id)).toBe(false);
    expect(list.body.some((c: { certificate_id: string }) => c.certificate_id === own.body.certificate_id)).toBe(true);
    expect((await revokeCertificate(h, token, cc(), adminCert.body.certificate_id)).status).toBe(403);
    expect((await revokeCertificate(h, token, cc(), own.body.certificate_id)).status).toBe(200);
  });
  test('a JSON body that is not JSON → 400 INVALID_CONTENT', async () => {
    const res = await hostFetch(new URL(certificatesPath(cc()), h.hosts.restlets), { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(400);
  });
});
