import { resolveEndpoints } from '../../client/src/account';
import { NetSuiteApiError } from '../../client/src/errors';
import { generateCertificate } from '../../client/src/certificates/generate';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { RestletClient } from '../../client/src/resources/restlet';
import { TokenManager } from '../../client/src/tokens/manager';
import { countingTokens, json, scriptedFetch, testHttp, text, type Reply } from './_resourceFakes';

const endpoints = resolveEndpoints('1234567_SB1');
const RESTLET = 'https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl';

function client(replies: Reply[]) {
  const { fetch, calls } = scriptedFetch(replies);
  const { http, waits } = testHttp(fetch);
  const auth = countingTokens();
  return { restlet: new RestletClient({ endpoints, http, auth }), calls, auth, waits };
}

describe('RestletClient', () => {
  it('GETs by script and deployment with params, a bearer token and JSON accept', async () => {
    const { restlet, calls } = client([json(200, { accountId: '1234567_SB1' })]);
    const health = await restlet.get<{ accountId: string }>('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health', { bundleId: 512345, verbose: true });
    expect(health.accountId).toBe('1234567_SB1');
    const url = new URL(calls[0]!.url);
    expect(`${url.origin}${url.pathname}`).toBe(RESTLET);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      script: 'customscript_sbr_rl_health', deploy: 'customdeploy_sbr_rl_health', bundleId: '512345', verbose: 'true',
    });
    expect(calls[0]).toMatchObject({ method: 'GET', body: undefined, headers: { authorization: 'Bearer token-1', accept: 'application/json' } });
    expect(calls[0]!.headers['content-type']).toBeUndefined();
  });

  it.each([
    ['post', 'POST'],
    ['put', 'PUT'],
  ] as const)('%s sends a JSON body', async (fn, method) => {
    const { restlet, calls } = client([json(200, { created: ['k'] })]);
    const out = await restlet[fn]('customscript_sbr_rl_config', 'customdeploy_sbr_rl_config', { entries: { k: 'v' } });
    expect(out).toEqual({ created: ['k'] });
    expect(calls[0]).toMatchObject({ method, body: '{"entries":{"k":"v"}}', headers: { 'content-type': 'application/json' } });
  });

  it('DELETE sends params and no body, and returns undefined for an empty reply', async () => {
    const { restlet, calls } = client([new Response(null, { status: 204 })]);
    expect(await restlet.delete('12', '1', { key: 'a' })).toBeUndefined();
    expect(calls[0]!.method).toBe('DELETE');
    expect(new URL(calls[0]!.url).searchParams.get('key')).toBe('a');
  });

  it('returns plain text when a RESTlet answers text', async () => {
    const { restlet } = client([text(200, 'pong')]);
    expect(await restlet.get('1', '1')).toBe('pong');
  });

  it('maps a RESTlet error body to NetSuiteApiError with code, message and status', async () => {
    const { restlet } = client([text(400, '{"error" : {"code" : "SBR_INVALID_INPUT", "message" : "key must match ^[a-z]"}}')]);
    const err = (await restlet.put('customscript_sbr_rl_config', 'customdeploy_sbr_rl_config', {}).catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toBeInstanceOf(NetSuiteApiError);
    expect(err).toMatchObject({ code: 'NETSUITE_ERROR', netsuiteCode: 'SBR_INVALID_INPUT', status: 400, kind: 'restlet' });
    expect(err.message).toContain('key must match ^[a-z]');
    expect(err.message).toContain('HTTP 400');
  });

  it('invalidates the token on 401 and retries once with a fresh one', async () => {
    const { restlet, calls, auth } = client([
      json(401, { error: { code: 'INVALID_LOGIN_ATTEMPT', message: 'Invalid login attempt.' } }),
      json(200, { ok: true }),
    ]);
    expect(await restlet.post('1', '1', { a: 1 })).toEqual({ ok: true });
    expect(auth.invalidated).toBe(1);
    expect(auth.failedTokens).toEqual(['token-1']);
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(calls[1]!.body).toBe('{"a":1}');
  });

  it('gives up after one 401 retry with an error naming the likely cause', async () => {
    const unauthorized = () => json(401, { error: { code: 'INVALID_LOGIN_ATTEMPT', message: 'Invalid login attempt.' } });
    const { restlet, calls, auth } = client([unauthorized(), unauthorized()]);
    const err = (await restlet.get('1', '1').catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toMatchObject({ status: 401, netsuiteCode: 'INVALID_LOGIN_ATTEMPT' });
    expect(err.remedy).toMatch(/Login Audit Trail/);
    expect(calls).toHaveLength(2);
    expect(auth.invalidated).toBe(1);
  });

  it('retries SSS_REQUEST_LIMIT_EXCEEDED for GET, and surfaces it after the retries with a remedy', async () => {
    const limit = () => text(400, '{"error" : {"code" : "SSS_REQUEST_LIMIT_EXCEEDED", "message" : "Límite excedido"}}');
    const ok = client([limit(), json(200, { n: 1 })]);
    expect(await ok.restlet.get('1', '1')).toEqual({ n: 1 });
    expect(ok.waits).toHaveLength(1);

    const fail = client([limit(), limit(), limit(), limit(), limit()]);
    const err = (await fail.restlet.get('1', '1').catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toMatchObject({ netsuiteCode: 'SSS_REQUEST_LIMIT_EXCEEDED', status: 400 });
    expect(err.remedy).toMatch(/concurrency/);
    expect(fail.calls).toHaveLength(5);
  });

  it('retries POST only when asked to', async () => {
    const limit = () => json(400, { error: { code: 'SSS_REQUEST_LIMIT_EXCEEDED', message: 'x' } });
    const plain = client([limit()]);
    await expect(plain.restlet.post('1', '1', {})).rejects.toMatchObject({ netsuiteCode: 'SSS_REQUEST_LIMIT_EXCEEDED' });
    expect(plain.calls).toHaveLength(1);
    const optIn = client([limit(), json(200, 'done')]);
    expect(await optIn.restlet.post('1', '1', {}, { retryNonIdempotent: true })).toBe('done');
  });

  it('explains a redirect (wrong data center or host) without following it', async () => {
    const { restlet } = client([new Response(null, { status: 302, headers: { location: 'https://1234567-sb1.app.netsuite.com/x' } })]);
    const err = (await restlet.get('1', '1').catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toMatchObject({ status: 302, netsuiteCode: 'HTTP_302' });
    expect(err.message).toContain('redirected to 1234567-sb1.app.netsuite.com');
    expect(err.remedy).toMatch(/restlets\.api/);
  });

  it('echoes at most a short, redacted snippet of a non-JSON error body', async () => {
    const { restlet } = client([text(500, `<html>Bearer eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiIzOzcifQ.c2lnbmF0dXJl ${'x'.repeat(1000)}</html>`)]);
    const err = (await restlet.get('1', '1').catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err.netsuiteCode).toBe('HTTP_500');
    expect(err.message).not.toContain('eyJ');
    expect(err.message.length).toBeLessThan(450);
  });

  it('rejects IDs and params that could change the URL', async () => {
    const { restlet, calls } = client([]);
    await expect(restlet.get('1&deploy=2', '1')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'scriptId' });
    await expect(restlet.get('1', '')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'deployId' });
    await expect(restlet.get('1', '1', { deploy: 'x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'params' });
    expect(calls).toHaveLength(0);
  });
});

describe('RestletClient with the TokenManager', () => {
  it('1,000 concurrent calls on a cold cache across 3 tenants cause one token request per tenant', async () => {
    const cert = await generateCertificate({ keyType: 'EC-P256' });
    const tokenRequests = new Map<string, number>();
    const fake = (async (input: string | URL | Request) => {
      const url = new URL(String(input));
      if (url.pathname.endsWith('/token')) {
        tokenRequests.set(url.host, (tokenRequests.get(url.host) ?? 0) + 1);
        await new Promise((r) => setImmediate(r));
        return json(200, { access_token: `at-${url.host}`, expires_in: '3600', token_type: 'Bearer' });
      }
      return json(200, { host: url.host });
    }) as typeof fetch;
    const manager = new TokenManager();
    const scopes = ['restlets'];
    const clients = ['1234567', '1234567_SB1', '7654321'].map((accountId) => {
      const client = new ClientCredentialsClient({ accountId, clientId: 'c'.repeat(64), certificateId: 'kid', privateKey: cert.privateKeyPem, scopes, fetch: fake });
      const auth = manager.provider({ tenant: accountId, grant: 'client_credentials', scopes }, { kind: 'client_credentials', client });
      return new RestletClient({ endpoints: resolveEndpoints(accountId), http: testHttp(fake, { accountId }).http, auth });
    });
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => clients[i % 3]!.get<{ host: string }>('1', '1')));
    expect(results).toHaveLength(1000);
    expect([...tokenRequests.values()]).toEqual([1, 1, 1]);
  });
});
