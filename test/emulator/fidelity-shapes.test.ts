/**
 * Wire shapes NetSuite does not document: each has the most likely default and a setting (`shapes.*`), and the
 * emulator sends nothing it invented (no extra certificate fields, no made-up governanceLimits names).
 */
import { makeCertificate } from './support/certificates';
import { listCertificates, revokeCertificate, uploadCertificate } from './support/certApi';
import type { EmulatorConfig } from '../../emulator/src/index';
import { adminAccessToken, hostFetch, startHarness, type Harness } from './support/emulator';

jest.setTimeout(30_000);

async function withHarness(config: EmulatorConfig, run: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startHarness(config);
  try {
    await run(h);
  } finally {
    await h.emu.stop();
  }
}

describe('certificate API, default shape "nested" (reference §0: what a working client decodes)', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => { h = await startHarness(); admin = await adminAccessToken(h); });
  afterAll(async () => { await h.emu.stop(); });

  test('create and list items carry exactly certificate_id, algorithm, valid_from, valid_until, created, revoked, application, entity, role', async () => {
    const created = await uploadCertificate(h, admin, h.confidentialClient.clientId, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
    expect(created.status).toBe(200);
    const item = {
      certificate_id: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), algorithm: 'EC',
      valid_from: '2026-11-22', valid_until: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), created: '2026-11-22T10:00:00.000Z', revoked: false,
      application: { id: expect.stringMatching(/^\d+$/), name: 'SuiteBridge (confidential)', url: expect.stringContaining('/app/common/integration/integrapp.nl?id='), application_id: expect.stringMatching(/^[0-9A-F-]{36}$/) },
      entity: { id: '7', name: 'Ada Admin', url: expect.stringContaining('/app/common/entity/employee.nl?id=7') },
      role: { id: '3', name: 'Administrator', url: expect.stringContaining('/app/setup/role.nl?id=3') },
    };
    expect(created.body).toEqual(item);
    const list = await listCertificates(h, admin, h.confidentialClient.clientId);
    expect(list.body).toEqual([{ ...item, certificate_id: created.body.certificate_id }]);
  });
  test('errors are plain text with the error status', async () => {
    const res = await uploadCertificate(h, admin, h.confidentialClient.clientId, { fileContent: (await makeCertificate('RSA-2048')).pem, role: 3, entity: 7 });
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/3072 or 4096/);
    const unknown = await revokeCertificate(h, admin, h.confidentialClient.clientId, 'A'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/^text\/plain/);
  });
});

describe('certificate API, shapes.certificateApi "flat" (netsuite-cli\'s mocks)', () => {
  test('list items {certificate_id, algorithm, valid_until, revoked}, create {…, invalidated}, problem-JSON errors', async () => {
    await withHarness({ shapes: { certificateApi: 'flat' } }, async (h) => {
      const admin = await adminAccessToken(h);
      const created = await uploadCertificate(h, admin, h.confidentialClient.clientId, { fileContent: (await makeCertificate('EC-P256')).pem, role: 3, entity: 7 });
      expect(Object.keys(created.body).sort()).toEqual(['algorithm', 'certificate_id', 'invalidated', 'valid_until']);
      const list = await listCertificates(h, admin, h.confidentialClient.clientId);
      expect(Object.keys(list.body[0]).sort()).toEqual(['algorithm', 'certificate_id', 'revoked', 'valid_until']);
      const bad = await uploadCertificate(h, admin, h.confidentialClient.clientId, { fileContent: 'nope', role: 3, entity: 7 });
      expect(bad.status).toBe(400);
      expect(bad.body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_CONTENT');
    });
  });
});

describe('REST web services over the concurrency limit → 429 (body UNCERTAIN)', () => {
  const suiteql = (h: Harness, token: string) => hostFetch(new URL('/services/rest/query/v1/suiteql', h.hosts.suitetalk), {
    method: 'POST', headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' }, body: JSON.stringify({ q: 'SELECT 1 AS one' }),
  });
  test('default: problem JSON with o:errorCode CONCURRENCY_LIMIT_EXCEEDED and no Retry-After (none is documented)', async () => {
    await withHarness({ faults: { concurrencyRejects: 1 } }, async (h) => {
      const res = await suiteql(h, await adminAccessToken(h));
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeNull();
      expect((await res.json())['o:errorDetails'][0]['o:errorCode']).toBe('CONCURRENCY_LIMIT_EXCEEDED');
    });
  });
  test('shapes.restConcurrencyErrorCode and shapes.restConcurrencyRetryAfterSeconds change them', async () => {
    await withHarness({ faults: { concurrencyRejects: 1 }, shapes: { restConcurrencyErrorCode: 'REQUEST_LIMIT_EXCEEDED', restConcurrencyRetryAfterSeconds: 2 } }, async (h) => {
      const res = await suiteql(h, await adminAccessToken(h));
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('2');
      expect((await res.json())['o:errorDetails'][0]['o:errorCode']).toBe('REQUEST_LIMIT_EXCEEDED');
    });
  });
});

describe('RESTlet authentication failure code (reference §7: INVALID_LOGIN_ATTEMPT, UNCERTAIN)', () => {
  const call = (h: Harness) => hostFetch(new URL('/app/site/hosting/restlet.nl?script=1&deploy=1', h.hosts.restlets));
  test('default INVALID_LOGIN_ATTEMPT', async () => {
    await withHarness({}, async (h) => {
      const res = await call(h);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('INVALID_LOGIN_ATTEMPT');
    });
  });
  test('shapes.restletAuthFailureCode INVALID_LOGIN_CREDENTIALS', async () => {
    await withHarness({ shapes: { restletAuthFailureCode: 'INVALID_LOGIN_CREDENTIALS' } }, async (h) => {
      expect((await (await call(h)).json()).error.code).toBe('INVALID_LOGIN_CREDENTIALS');
    });
  });
});

describe('governanceLimits field names (UNCERTAIN; Oracle documents the meaning, not the names)', () => {
  const limits = async (h: Harness) => (await hostFetch(new URL('/services/rest/system/v1/governanceLimits', h.hosts.suitetalk), {
    headers: { authorization: `Bearer ${await adminAccessToken(h)}` },
  })).json();
  test('default "netsuite-cli": accountConcurrencyLimit, accountUnallocatedConcurrencyLimit, limitType', async () => {
    await withHarness({}, async (h) => {
      expect(await limits(h)).toEqual({ accountConcurrencyLimit: 5, accountUnallocatedConcurrencyLimit: 5, limitType: 'accountLimit' });
    });
  });
  test('"soap": SOAP\'s unallocatedConcurrencyLimit', async () => {
    await withHarness({ shapes: { governanceLimitsFields: 'soap' } }, async (h) => {
      expect(await limits(h)).toEqual({ accountConcurrencyLimit: 5, unallocatedConcurrencyLimit: 5, limitType: 'accountLimit' });
    });
  });
});

describe('userinfo claims (UNCERTAIN; NetSuite documents none)', () => {
  const userinfo = async (h: Harness) => (await hostFetch(new URL('/services/rest/auth/oauth2/v1/userinfo', h.hosts.suitetalk), {
    headers: { authorization: `Bearer ${await adminAccessToken(h)}` },
  })).json();
  test('default "oidc": OIDC core claims only', async () => {
    await withHarness({}, async (h) => {
      expect(Object.keys(await userinfo(h)).sort()).toEqual(['email', 'family_name', 'given_name', 'name', 'sub']);
    });
  });
  test('"extended" adds account, role and roleName', async () => {
    await withHarness({ shapes: { userinfoClaims: 'extended' } }, async (h) => {
      expect(await userinfo(h)).toMatchObject({ sub: '7', account: '1234567', role: 3, roleName: 'Administrator' });
    });
  });
});
