/**
 * The client copes with every answer shape the emulator's settings describe (NetSuite documents none of them
 * exactly): certificate API nested and flat bodies and plain-text errors, governanceLimits field spellings, and the
 * RESTlet / REST error codes for refused logins and permissions.
 */
import { resolveEndpoints } from '../../client/src/account';
import { CertificateApi } from '../../client/src/certificates/api';
import { generateCertificate } from '../../client/src/certificates/generate';
import { NetSuiteApiError } from '../../client/src/errors';
import { toNetSuiteApiError } from '../../client/src/resources/apiErrors';
import { GovernanceClient } from '../../client/src/resources/governance';
import { countingTokens, json, scriptedFetch, testHttp, text, type Reply } from './_resourceFakes';

const clock = { now: () => Date.UTC(2026, 10, 22, 10) };
const endpoints = resolveEndpoints('1234567');

function certificates(replies: Reply[]) {
  const { fetch, calls } = scriptedFetch(replies);
  return { certs: new CertificateApi({ endpoints, clientId: 'a'.repeat(64), http: testHttp(fetch).http, auth: countingTokens() }), calls };
}

const NESTED = {
  certificate_id: 'NPMnRyPg-WDW1', algorithm: 'EC', valid_from: '2026-11-22', valid_until: '2028-11-21', created: '2026-11-22T10:00:00.000Z', revoked: false,
  application: { id: '812', name: 'SuiteBridge (confidential)', url: 'https://1234567.app.netsuite.com/app/common/integration/integrapp.nl?id=812', application_id: 'B6B7B420-4D44-B5FF-A30A-37A51CC007B1' },
  entity: { id: '8', name: 'Ivy Integration', url: 'https://1234567.app.netsuite.com/app/common/entity/employee.nl?id=8' },
  role: { id: '1001', name: 'SuiteBridge Integration', url: 'https://1234567.app.netsuite.com/app/setup/role.nl?id=1001' },
};

describe('CertificateApi: both answer shapes', () => {
  it('nested list items keep validity, creation and the mapped application, entity and role', async () => {
    const { certs } = certificates([json(200, [NESTED])]);
    expect(await certs.list()).toEqual([{
      certificateId: 'NPMnRyPg-WDW1', algorithm: 'EC', validUntil: '2028-11-21', revoked: false, validFrom: '2026-11-22', created: '2026-11-22T10:00:00.000Z',
      application: { id: '812', name: 'SuiteBridge (confidential)', applicationId: 'B6B7B420-4D44-B5FF-A30A-37A51CC007B1' },
      entity: { id: '8', name: 'Ivy Integration' }, role: { id: '1001', name: 'SuiteBridge Integration' },
    }]);
  });
  it('a nested upload answer is read like a list item', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    const { certs } = certificates([json(200, { ...NESTED, certificate_id: 'NEW-2' })]);
    expect(await certs.upload({ certificatePem: ec.certificatePem, role: 1001, entity: 8 })).toMatchObject({ certificateId: 'NEW-2', role: { id: '1001' }, entity: { id: '8' } });
  });
  it('flat items (no nested objects) and the flat create answer (invalidated) still work', async () => {
    const { certs } = certificates([json(200, [{ certificate_id: 'F1', algorithm: 'RSA', valid_until: '2027-01-01', revoked: true }])]);
    expect(await certs.list()).toEqual([{ certificateId: 'F1', algorithm: 'RSA', validUntil: '2027-01-01', revoked: true }]);
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    const created = certificates([json(200, { certificate_id: 'F2', algorithm: 'EC', valid_until: '2028-11-21', invalidated: true })]);
    expect((await created.certs.upload({ certificatePem: ec.certificatePem, role: 3, entity: 7 })).revoked).toBe(true);
  });
});

describe('CertificateApi: plain-text errors', () => {
  it('a plain-text 400 becomes a NetSuiteApiError carrying the text and the status', async () => {
    const ec = await generateCertificate({ keyType: 'EC-P256', clock });
    const { certs } = certificates([text(400, 'The certificate key must be RSA 3072 or 4096 bits, or EC P-256, P-384 or P-521.')]);
    const err = (await certs.upload({ certificatePem: ec.certificatePem, role: 3, entity: 7 }).catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toBeInstanceOf(NetSuiteApiError);
    expect(err).toMatchObject({ status: 400, netsuiteCode: 'HTTP_400', kind: 'rest' });
    expect(err.message).toContain('RSA 3072 or 4096 bits');
  });
  it('a plain-text 403 keeps the text that names the permission', async () => {
    const { certs } = certificates([text(403, 'The role needs the "Manage own OAuth 2.0 Client Credentials certificates" permission.')]);
    const err = (await certs.list().catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toMatchObject({ status: 403, netsuiteCode: 'HTTP_403' });
    expect(err.message).toContain('Manage own OAuth 2.0 Client Credentials certificates');
  });
  it('revoking a certificate that is already revoked (a lost first answer) counts as done', async () => {
    await expect(certificates([text(400, 'This certificate is already revoked.')]).certs.revoke('abc')).resolves.toBeUndefined();
  });
  it('other revoke failures still throw', async () => {
    await expect(certificates([text(404, 'No certificate with this ID exists for this client.')]).certs.revoke('abc')).rejects.toMatchObject({ status: 404 });
  });
});

describe('GovernanceClient: field spellings', () => {
  function limits(body: unknown) {
    const { fetch } = scriptedFetch([json(200, body)]);
    return new GovernanceClient({ endpoints, http: testHttp(fetch).http, auth: countingTokens() }).limits();
  }
  it('netsuite-cli names', async () => {
    expect(await limits({ accountConcurrencyLimit: 15, accountUnallocatedConcurrencyLimit: 10, limitType: 'accountLimit' }))
      .toEqual({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 10, limitType: 'accountLimit' });
  });
  it('SOAP names, an integration-specific limit and SOAP\'s "_" enum prefix', async () => {
    expect(await limits({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 3, integrationConcurrencyLimit: 2, limitType: '_integrationSpecific' }))
      .toEqual({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 3, integrationConcurrencyLimit: 2, limitType: 'integrationSpecific' });
  });
  it('an unallocated limit of 0 (everything reserved) is reported, not dropped', async () => {
    expect((await limits({ accountConcurrencyLimit: 5, accountUnallocatedConcurrencyLimit: 0 })).unallocatedConcurrencyLimit).toBe(0);
  });
  it('an answer that is not an object is reported', async () => {
    await expect(limits([1, 2])).rejects.toThrow(/not a JSON object/);
  });
});

describe('error codes for refused logins and permissions', () => {
  const result = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, body, headers: new Headers(headers), attempts: 1 });
  const restletError = (code: string) => `{"error" : {"code" : "${code}", "message" : "Invalid login attempt."}}`;

  it.each(['INVALID_LOGIN_ATTEMPT', 'INVALID_LOGIN_CREDENTIALS'])('RESTlet 401 %s is a NetSuiteApiError with that code', (code) => {
    expect(toNetSuiteApiError(result(401, restletError(code)), 'restlet', 'Calling the RESTlet')).toMatchObject({ status: 401, netsuiteCode: code, kind: 'restlet' });
  });
  it('INVALID_LOGIN_CREDENTIALS on a RESTlet explains the Web Services Only role', () => {
    expect(toNetSuiteApiError(result(401, restletError('INVALID_LOGIN_CREDENTIALS')), 'restlet', 'Calling the RESTlet').remedy).toMatch(/Web Services Only/);
  });
  it('a REST 403 names the REST Web Services and SuiteAnalytics Workbook permissions', () => {
    const body = JSON.stringify({ title: 'Forbidden', status: 403, 'o:errorDetails': [{ detail: 'The role needs REPO_ANALYTICS.', 'o:errorCode': 'INSUFFICIENT_PERMISSION' }] });
    expect(toNetSuiteApiError(result(403, body), 'rest', 'Running SuiteQL').remedy).toMatch(/REST Web Services.*SuiteAnalytics Workbook/);
  });
  it.each([
    ['CONCURRENCY_LIMIT_EXCEEDED without Retry-After', {}, 'CONCURRENCY_LIMIT_EXCEEDED'],
    ['another code with Retry-After', { 'retry-after': '2' }, 'REQUEST_LIMIT_EXCEEDED'],
  ])('a REST 429 (%s) keeps its code and the concurrency remedy', (_label, headers, code) => {
    const body = JSON.stringify({ title: 'Too Many Requests', status: 429, 'o:errorDetails': [{ detail: 'Concurrent request limit exceeded.', 'o:errorCode': code }] });
    const err = toNetSuiteApiError(result(429, body, headers), 'rest', 'Running SuiteQL');
    expect(err).toMatchObject({ status: 429, netsuiteCode: code });
    expect(err.remedy).toMatch(/concurrency limit/);
  });
});
