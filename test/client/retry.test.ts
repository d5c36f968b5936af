import { backoffDelay, classifyError, classifyResponse, isIdempotent, parseRetryAfter } from '../../client/src/http/retryPolicy';
import { TransportError } from '../../client/src/errors';
import { toNetSuiteApiError } from '../../client/src/resources/apiErrors';
import { connectionReset, json, scriptedFetch, testHttp, text } from './_resourceFakes';

const URL_ = 'https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1';
const NOW = Date.UTC(2026, 10, 22, 10, 0, 0);
const limitBody = { error: { code: 'SSS_REQUEST_LIMIT_EXCEEDED', message: 'Limite de solicitudes excedido' } };

describe('retry policy', () => {
  it('classifies retryable statuses, the RESTlet 400 concurrency error and nothing else', () => {
    expect(classifyResponse(429, '')).toBe('rate_limited');
    expect(classifyResponse(502, '')).toBe('bad_gateway');
    expect(classifyResponse(503, '')).toBe('service_unavailable');
    expect(classifyResponse(504, '')).toBe('gateway_timeout');
    expect(classifyResponse(400, '{"error" : {"code" : "SSS_REQUEST_LIMIT_EXCEEDED", "message" : "x"}}')).toBe('concurrency_limit');
    expect(classifyResponse(400, '{"error":{"code":"SBR_INVALID_INPUT","message":"x"}}')).toBeUndefined();
    expect(classifyResponse(500, '')).toBeUndefined();
    expect(classifyResponse(401, '')).toBeUndefined();
    expect(classifyResponse(200, 'SSS_REQUEST_LIMIT_EXCEEDED')).toBeUndefined();
  });

  it('treats fetch TypeErrors and socket error codes as connection resets', () => {
    expect(classifyError(connectionReset())).toBe('connection_reset');
    expect(classifyError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('connection_reset');
    expect(classifyError(new Error('boom'))).toBeUndefined();
    expect(classifyError('x')).toBeUndefined();
  });

  it('marks POST and PATCH as non-idempotent', () => {
    expect(['GET', 'PUT', 'DELETE'].map((m) => isIdempotent(m as 'GET'))).toEqual([true, true, true]);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
  });

  it('draws full-jitter delays between 0 and a capped exponential', () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, { ...o, random: () => 0.999 })).toBe(99);
    expect(backoffDelay(3, { ...o, random: () => 0.5 })).toBe(400);
    expect(backoffDelay(10, { ...o, random: () => 0.5 })).toBe(500);
    expect(backoffDelay(2, { ...o, random: () => 0 })).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(new Date(NOW + 12_000).toUTCString(), NOW)).toBe(12_000);
    expect(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
  });
});

describe('NetSuiteHttp retries', () => {
  it.each([
    ['429', () => text(429, 'Too Many Requests')],
    ['RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED', () => json(400, limitBody)],
    ['502', () => text(502, 'bad gateway')],
    ['503', () => text(503, 'unavailable')],
    ['504', () => text(504, 'gateway timeout')],
    ['connection reset', () => connectionReset()],
  ])('retries a GET after %s and returns the success', async (_name, failure) => {
    const { fetch, calls } = scriptedFetch([failure(), failure(), json(200, { ok: true })]);
    const { http, waits } = testHttp(fetch);
    const result = await http.request({ method: 'GET', url: URL_ });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(3);
    expect(calls).toHaveLength(3);
    // random 0.5 of caps 500 and 1000
    expect(waits).toEqual([250, 500]);
  });

  it('does not retry a plain 400, 401, 404 or 500', async () => {
    for (const status of [400, 401, 404, 500]) {
      const { fetch, calls } = scriptedFetch([json(status, { error: { code: 'X', message: 'y' } })]);
      const { http, waits } = testHttp(fetch);
      expect((await http.request({ method: 'GET', url: URL_ })).status).toBe(status);
      expect(calls).toHaveLength(1);
      expect(waits).toEqual([]);
    }
  });

  it('gives up after maxRetries and returns the last response', async () => {
    const { fetch, calls } = scriptedFetch([text(503, 'a'), text(503, 'b'), text(503, 'c')]);
    const { http, waits } = testHttp(fetch, { retry: { maxRetries: 2 } });
    const result = await http.request({ method: 'GET', url: URL_ });
    expect(result).toMatchObject({ status: 503, body: 'c', attempts: 3 });
    expect(calls).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('throws a NETWORK_ERROR TransportError once resets outlast the retries', async () => {
    const { fetch } = scriptedFetch([connectionReset(), connectionReset()]);
    const { http } = testHttp(fetch, { retry: { maxRetries: 1 } });
    const err = await http.request({ method: 'GET', url: URL_ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((err as Error).message).toContain('2 attempts');
    expect((err as Error).message).toContain('ECONNRESET');
  });

  it('does not retry errors that are not network failures', async () => {
    const { fetch, calls } = scriptedFetch([new Error('programming bug')]);
    const { http } = testHttp(fetch);
    await expect(http.request({ method: 'GET', url: URL_ })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(calls).toHaveLength(1);
  });

  it('honours Retry-After in seconds instead of the jittered delay', async () => {
    const { fetch } = scriptedFetch([text(429, '', { 'retry-after': '3' }), json(200, {})]);
    const { http, waits } = testHttp(fetch);
    await http.request({ method: 'GET', url: URL_ });
    expect(waits).toEqual([3000]);
  });

  it('honours Retry-After as an HTTP date against the injected clock', async () => {
    const { fetch } = scriptedFetch([text(503, '', { 'retry-after': new Date(NOW + 8000).toUTCString() }), json(200, {})]);
    const { http, waits } = testHttp(fetch);
    await http.request({ method: 'GET', url: URL_ });
    expect(waits).toEqual([8000]);
  });

  it('says how long NetSuite asked to wait when it gives up on a long Retry-After', async () => {
    const { fetch } = scriptedFetch([text(429, 'Too Many Requests', { 'retry-after': '3600' })]);
    const result = await testHttp(fetch).http.request({ method: 'GET', url: URL_ });
    const err = toNetSuiteApiError(result, 'rest', 'Record GET');
    expect(err.message).toContain('retry after 3600 s');
    expect(err.remedy).toMatch(/concurrency/);
  });

  it('returns the response rather than wait for a Retry-After beyond maxRetryAfterMs', async () => {
    const { fetch, calls } = scriptedFetch([text(429, 'slow down', { 'retry-after': '3600' })]);
    const { http, waits } = testHttp(fetch, { retry: { maxRetryAfterMs: 60_000 } });
    expect((await http.request({ method: 'GET', url: URL_ })).status).toBe(429);
    expect(calls).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each(['POST', 'PATCH'] as const)('does not retry %s unless the caller opts in', async (method) => {
    const { fetch, calls } = scriptedFetch([json(400, limitBody)]);
    const { http } = testHttp(fetch);
    expect((await http.request({ method, url: URL_, body: '{}' })).status).toBe(400);
    expect(calls).toHaveLength(1);

    const optIn = scriptedFetch([json(400, limitBody), json(200, { done: 1 })]);
    const { http: http2 } = testHttp(optIn.fetch);
    expect((await http2.request({ method, url: URL_, body: '{}', retryNonIdempotent: true })).status).toBe(200);
    expect(optIn.calls).toHaveLength(2);
    expect(optIn.calls[1]?.body).toBe('{}');
  });

  it('does not retry a POST connection reset (it may have run) unless opted in client-wide', async () => {
    const plain = scriptedFetch([connectionReset()]);
    await expect(testHttp(plain.fetch).http.request({ method: 'POST', url: URL_ })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(plain.calls).toHaveLength(1);

    const optIn = scriptedFetch([connectionReset(), json(201, {})]);
    const { http } = testHttp(optIn.fetch, { retry: { retryNonIdempotent: true } });
    expect((await http.request({ method: 'POST', url: URL_ })).status).toBe(201);
  });

  it('retries PUT and DELETE (idempotent) without opting in', async () => {
    for (const method of ['PUT', 'DELETE'] as const) {
      const { fetch, calls } = scriptedFetch([text(502, ''), json(200, {})]);
      expect((await testHttp(fetch).http.request({ method, url: URL_ })).status).toBe(200);
      expect(calls).toHaveLength(2);
    }
  });

  it('reports each retry to onRetry without headers or bodies', async () => {
    const { fetch } = scriptedFetch([text(504, ''), json(200, {})]);
    const { http } = testHttp(fetch);
    const events: unknown[] = [];
    http.onRetry = (e) => events.push(e);
    await http.request({ method: 'GET', url: URL_, headers: { authorization: 'Bearer secret-token-value' } });
    expect(events).toEqual([{ url: URL_, method: 'GET', attempt: 1, reason: 'gateway_timeout', delayMs: 250 }]);
    expect(JSON.stringify(events)).not.toContain('secret');
  });

  it('stops retrying when the caller aborts during backoff', async () => {
    const controller = new AbortController();
    const { fetch, calls } = scriptedFetch([text(503, ''), json(200, {})]);
    const { http } = testHttp(fetch, {
      retry: {
        sleep: async (_ms, signal) => {
          controller.abort(new Error('caller gave up'));
          signal?.throwIfAborted();
        },
      },
    });
    await expect(http.request({ method: 'GET', url: URL_, signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(calls).toHaveLength(1);
  });

  it('rejects nonsense retry settings with a typed error', () => {
    const { fetch } = scriptedFetch([]);
    expect(() => testHttp(fetch, { retry: { maxRetries: -1 } })).toThrow(/retry.maxRetries/);
    expect(() => testHttp(fetch, { retry: { baseDelayMs: 0 } })).toThrow(/retry.baseDelayMs/);
    expect(() => testHttp(fetch, { timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});
