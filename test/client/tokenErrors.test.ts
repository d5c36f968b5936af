import { ManualClock } from '../../client/src/clock';
import { TokenEndpointError, TransportError } from '../../client/src/errors';
import { diagnose } from '../../client/src/tokens/likelyCauses';
import { parseTokenResponse, requestTokens, tokenEndpointError, type TokenEndpointCall } from '../../client/src/tokens/tokenEndpoint';
import { resolveTokenRetry } from '../../client/src/tokens/tokenRetry';
import { json, mockFetch, rejectionOf } from './support/coreFetchMock';

const URL_ = 'https://1234567.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token';

function call(fetchImpl: typeof fetch, grant: TokenEndpointCall['grant'] = 'client_credentials', timeoutMs?: number): TokenEndpointCall {
  return {
    fetch: fetchImpl, clock: new ManualClock(), url: URL_, grant,
    form: { grant_type: 'client_credentials', client_assertion: 'eyJhbGciOiJQUzI1NiJ9.eyJpc3MiOiJ4In0.sig' },
    // One attempt: these tests look at how a single answer is mapped (retries: reliability-token-faults.test.ts).
    retry: resolveTokenRetry({ maxRetries: 0 }),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}

async function errorFor(response: Response, grant: TokenEndpointCall['grant']): Promise<TokenEndpointError> {
  return rejectionOf(requestTokens(call(mockFetch(() => response).fetch, grant), ['restlets']));
}

describe('token endpoint error mapping', () => {
  it('client_credentials invalid_grant lists every M2M cause the Login Audit Trail could show', async () => {
    const err = await errorFor(json(400, { error: 'invalid_grant' }), 'client_credentials');
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err.code).toBe('TOKEN_REQUEST_FAILED');
    expect(err.status).toBe(400);
    expect(err.error).toBe('invalid_grant');
    const causes = err.likelyCauses.join('\n');
    for (const expected of [/wrong kid/, /revoked/, /expired/, /unsupported alg/, /exp - iat/, /aud is not the exact token URL/, /InvalidScope/, /EntityOrRoleDisabled/, /sandbox refresh/]) {
      expect(causes).toMatch(expected);
    }
    expect(err.remedy).toMatch(/Login Audit Trail/);
    expect(err.message).toMatch(/^Token request \(client_credentials\) failed: HTTP 400 invalid_grant\. Likely causes: /);
  });

  it('refresh invalid_grant names RefreshTokenExpired, revocation, reuse and the rotation window', async () => {
    const err = await errorFor(json(400, { error: 'invalid_grant' }), 'refresh_token');
    expect(err.likelyCauses[0]).toMatch(/^RefreshTokenExpired/);
    expect(err.likelyCauses.join('\n')).toMatch(/already used/);
    expect(err.likelyCauses.join('\n')).toMatch(/Maximum Time for Token Rotation/);
  });

  it('invalid_client names ClientAuthenticationFailed for both grants', async () => {
    const ac = await errorFor(json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="1234567"' }), 'authorization_code');
    expect(ac.status).toBe(401);
    expect(ac.likelyCauses[0]).toMatch(/^ClientAuthenticationFailed/);
    const cc = await errorFor(json(401, { error: 'invalid_client' }), 'client_credentials');
    expect(cc.likelyCauses[0]).toMatch(/^ClientAuthenticationFailed: the client assertion signature/);
  });

  it.each([
    ['invalid_scope', /InvalidScope/],
    ['invalid_request', /more than one client authentication method/],
    ['unauthorized_client', /does not allow this grant/],
    ['unsupported_grant_type', /not enabled/],
    ['temporarily_unavailable', /no specific explanation/],
  ])('%s has causes and a remedy', async (error, cause) => {
    const err = await errorFor(json(400, { error }), 'refresh_token');
    expect(err.error).toBe(error);
    expect(err.likelyCauses.join('\n')).toMatch(cause);
    expect(err.remedy).toBeTruthy();
  });

  it('an HTML 503 becomes http_503 with outage causes', async () => {
    const err = await errorFor(new Response('<html><body>Service Unavailable</body></html>', { status: 503, headers: { 'content-type': 'text/html' } }), 'client_credentials');
    expect(err.error).toBe('http_503');
    expect(err.status).toBe(503);
    expect(err.likelyCauses.join('\n')).toMatch(/maintenance/);
    expect(err.message).not.toContain('<html>');
  });

  it('a non-OAuth 404 and a 429 get their own explanations', async () => {
    expect((await errorFor(new Response('Not found', { status: 404 }), 'client_credentials')).likelyCauses.join()).toMatch(/wrong host form/);
    expect((await errorFor(json(429, { message: 'slow down' }), 'client_credentials')).error).toBe('http_429');
    expect((await errorFor(json(429, {}), 'client_credentials')).likelyCauses.join()).toMatch(/concurrent/);
  });

  it('ignores a weird error value and redacts error_description', async () => {
    const weird = await errorFor(json(400, { error: '<script>'.repeat(20) }), 'refresh_token');
    expect(weird.error).toBe('http_400');
    const jwt = 'eyJhbGciOiJQUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlc2ln';
    const err = await errorFor(json(400, { error: 'invalid_grant', error_description: `bad token ${jwt} refresh_token=abcdef` }), 'refresh_token');
    expect(err.message).not.toContain(jwt);
    expect(err.message).not.toContain('abcdef');
    expect(err.errorDescription).toContain('[REDACTED JWT]');
  });

  it('never puts the request form (assertion) into the message', async () => {
    const mock = mockFetch(() => json(400, { error: 'invalid_request' }));
    const err: TokenEndpointError = await rejectionOf(requestTokens(call(mock.fetch), ['restlets']));
    expect(err.message).not.toContain('eyJhbGciOiJQUzI1NiJ9');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('eyJpc3MiOiJ4In0');
  });

  it('diagnose falls back for unknown grants and codes', () => {
    expect(diagnose('revoke', 'invalid_grant', 400).likelyCauses[0]).toMatch(/unknown, already revoked/);
    expect(diagnose('revoke', 'http_502', 502).remedy).toMatch(/status.netsuite.com/);
  });

  it('tokenEndpointError works on a body that cannot be read', async () => {
    const broken = { status: 500, text: () => Promise.reject(new Error('boom')) } as unknown as Response;
    const err = await tokenEndpointError(broken, 'authorization_code');
    expect(err.error).toBe('http_500');
  });
});

describe('transport failures', () => {
  it('a connection failure becomes NETWORK_ERROR naming the URL only', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }) as unknown as typeof fetch;
    const err = await rejectionOf(requestTokens(call(failing), ['restlets']));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.message).toContain(URL_);
    expect(err.message).toContain('ECONNRESET');
    expect(err.message).not.toContain('eyJ');
  });

  it('no answer within timeoutMs becomes TIMEOUT', async () => {
    const hanging = ((_url: string, init: RequestInit) =>
      new Promise((_resolve, reject) => {
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
      })) as unknown as typeof fetch;
    const err = await rejectionOf(requestTokens(call(hanging, 'client_credentials', 5), ['restlets']));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toMatch(/within 5 ms/);
  });
});

describe('parseTokenResponse', () => {
  it('accepts expires_in as a string or number, bearer in any case, and defaults a missing expires_in to 3600', () => {
    expect(parseTokenResponse({ access_token: 'a', expires_in: '3600', token_type: 'bearer' }, 1000, ['x']).expiresAt).toBe(1000 + 3_600_000);
    expect(parseTokenResponse({ access_token: 'a', expires_in: 60, token_type: 'BEARER' }, 0, ['x']).expiresAt).toBe(60_000);
    expect(parseTokenResponse({ access_token: 'a' }, 0, ['x']).expiresAt).toBe(3_600_000);
    expect(parseTokenResponse({ access_token: 'a', scope: 'restlets,rest_webservices' }, 0, []).scopes).toEqual(['restlets', 'rest_webservices']);
  });
});
