import { resolveEndpoints } from '../../client/src/account';
import { NetSuiteApiError } from '../../client/src/errors';
import { GovernanceClient } from '../../client/src/resources/governance';
import { RecordClient } from '../../client/src/resources/records';
import { countingTokens, json, scriptedFetch, testHttp, type Reply } from './_resourceFakes';

const endpoints = resolveEndpoints('1234567');

function client(replies: Reply[]) {
  const { fetch, calls } = scriptedFetch(replies);
  const auth = countingTokens();
  return { records: new RecordClient({ endpoints, http: testHttp(fetch).http, auth }), calls, auth };
}

const problem = (status: number, code: string, detail: string, path?: string) =>
  json(status, {
    type: 'https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1',
    title: status === 401 ? 'Unauthorized' : 'Bad Request',
    status,
    'o:errorDetails': [{ detail, 'o:errorCode': code, ...(path ? { 'o:errorPath': path } : {}) }],
  });

describe('RecordClient', () => {
  it('GETs a record from the suitetalk host', async () => {
    const { records, calls } = client([json(200, { id: '42', companyName: 'Acme', links: [] })]);
    const customer = await records.get<{ companyName: string }>('customer', 42, { fields: ['companyName', 'email'], expandSubResources: true });
    expect(customer.companyName).toBe('Acme');
    const url = new URL(calls[0]!.url);
    expect(`${url.origin}${url.pathname}`).toBe('https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42');
    expect(url.searchParams.get('fields')).toBe('companyName,email');
    expect(url.searchParams.get('expandSubResources')).toBe('true');
    expect(calls[0]!.headers.authorization).toBe('Bearer token-1');
  });

  it('accepts external IDs', async () => {
    const { records, calls } = client([json(200, { id: '1' })]);
    await records.get('customer', 'eid:ACME-1');
    expect(calls[0]!.url).toContain('/customer/eid%3AACME-1');
  });

  it('maps REST problem JSON to NetSuiteApiError with code, detail and errorPath', async () => {
    const { records } = client([problem(400, 'INVALID_CONTENT', 'Invalid field value.', 'companyName')]);
    const err = (await records.get('customer', 1).catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toBeInstanceOf(NetSuiteApiError);
    expect(err).toMatchObject({ status: 400, netsuiteCode: 'INVALID_CONTENT', errorPath: 'companyName', kind: 'rest' });
    expect(err.message).toContain('Invalid field value.');
    expect(err.message).toContain('at companyName');
  });

  it('maps a problem without details by its title', async () => {
    const { records } = client([json(404, { title: 'Not Found', status: 404 })]);
    await expect(records.get('customer', 999)).rejects.toMatchObject({ status: 404, netsuiteCode: 'UNKNOWN', message: expect.stringContaining('Not Found') });
  });

  it('retries once on 401 INVALID_LOGIN with a fresh token', async () => {
    const { records, auth, calls } = client([problem(401, 'INVALID_LOGIN', 'Invalid login attempt.'), json(200, { id: '1' })]);
    expect(await records.get('customer', 1)).toEqual({ id: '1' });
    expect(auth.invalidated).toBe(1);
    expect(calls[1]!.headers.authorization).toBe('Bearer token-2');
  });

  it('explains a 403 as a role permission problem', async () => {
    const { records } = client([problem(403, 'INSUFFICIENT_PERMISSION', 'Permission Violation')]);
    const err = (await records.get('customer', 1).catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err.remedy).toMatch(/permission/);
  });

  it('rejects record types and IDs that are not identifiers', async () => {
    const { records, calls } = client([]);
    await expect(records.get('customer/../x', 1)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'type' });
    await expect(records.get('customer', '1?x=y')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'id' });
    expect(calls).toHaveLength(0);
  });
});

describe('GovernanceClient', () => {
  function governance(replies: Reply[]) {
    const { fetch, calls } = scriptedFetch(replies);
    return { gov: new GovernanceClient({ endpoints, http: testHttp(fetch).http, auth: countingTokens() }), calls };
  }

  it('reads the account and unallocated concurrency limits', async () => {
    const { gov, calls } = governance([json(200, { accountConcurrencyLimit: 15, accountUnallocatedConcurrencyLimit: 10, limitType: 'ACCOUNT' })]);
    expect(await gov.limits()).toEqual({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 10, limitType: 'ACCOUNT' });
    expect(calls[0]!.url).toBe('https://1234567.suitetalk.api.netsuite.com/services/rest/system/v1/governanceLimits');
  });

  it('accepts string numbers and reports an answer without a limit', async () => {
    expect((await governance([json(200, { accountLimit: '20' })]).gov.limits()).accountConcurrencyLimit).toBe(20);
    await expect(governance([json(200, { limitType: 'ACCOUNT' })]).gov.limits()).rejects.toThrow(/no account concurrency limit/);
  });

  it('maps the non-administrator 403', async () => {
    const { gov } = governance([problem(403, 'INSUFFICIENT_PERMISSION', 'Only administrators can read the account governance limits.')]);
    await expect(gov.limits()).rejects.toMatchObject({ status: 403, netsuiteCode: 'INSUFFICIENT_PERMISSION' });
  });
});
