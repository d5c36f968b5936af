import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';
import { TransportError } from '../../client/src/errors';
import { json, scriptedFetch, testHttp } from './_resourceFakes';

const URL_ = 'https://1234567.suitetalk.api.netsuite.com/services/rest/record/v1/customer/1';

/** A fetch that never answers until its signal aborts, like a hung server. */
function hangingFetch(): { fetch: typeof fetch; signals: AbortSignal[] } {
  const signals: AbortSignal[] = [];
  const fake = (_input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    new Promise((_resolve, reject) => {
      const signal = init?.signal as AbortSignal;
      signals.push(signal);
      if (signal.aborted) reject(new DOMException('aborted', 'AbortError'));
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  return { fetch: fake as typeof fetch, signals };
}

describe('NetSuiteHttp', () => {
  it('passes method, headers and body to the injected fetch and returns status, headers and text', async () => {
    const { fetch, calls } = scriptedFetch([json(201, { id: 5 }, { 'x-emulator-governance-units': '10' })]);
    const { http } = testHttp(fetch);
    const result = await http.request({ method: 'PUT', url: URL_, headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(result.status).toBe(201);
    expect(JSON.parse(result.body)).toEqual({ id: 5 });
    expect(result.headers.get('x-emulator-governance-units')).toBe('10');
    expect(result.attempts).toBe(1);
    expect(calls[0]).toMatchObject({ url: URL_, method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  });

  it('gives every request an abort signal and does not follow redirects (tokens stay on the NetSuite host)', async () => {
    const seen: RequestInit[] = [];
    const fake = (async (_input: string, init: RequestInit) => {
      seen.push(init);
      return new Response(null, { status: 302, headers: { location: 'https://other.example/' } });
    }) as unknown as typeof fetch;
    const result = await testHttp(fake).http.request({ method: 'GET', url: URL_ });
    expect(result.status).toBe(302);
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(seen[0]?.redirect).toBe('manual');
  });

  it('times out a hung request with a TIMEOUT TransportError and does not retry it', async () => {
    const { fetch, signals } = hangingFetch();
    const { http, waits } = testHttp(fetch, { timeoutMs: 5 });
    const err = await http.request({ method: 'GET', url: URL_ }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
    expect((err as Error).message).toContain('timed out after 5 ms');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(waits).toEqual([]);
  });

  it('lets one request override the timeout', async () => {
    const { fetch } = hangingFetch();
    const { http } = testHttp(fetch, { timeoutMs: 60_000 });
    await expect(http.request({ method: 'GET', url: URL_, timeoutMs: 3 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('rethrows the caller\'s abort reason rather than a timeout', async () => {
    const { fetch } = hangingFetch();
    const { http } = testHttp(fetch);
    const controller = new AbortController();
    const pending = http.request({ method: 'GET', url: URL_, signal: controller.signal });
    controller.abort(new Error('shutdown'));
    await expect(pending).rejects.toThrow('shutdown');
  });

  it('keeps tokens out of network error messages', async () => {
    const { fetch } = scriptedFetch([new Error('proxy said Bearer abcdefghijklmnopqrstuvwxyz')]);
    const err = await testHttp(fetch).http.request({ method: 'GET', url: URL_ }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('proxy said Bearer [REDACTED]');
    expect((err as Error).message).not.toContain('abcdefghijklmnop');
  });

  it('uses the global fetch when none is injected', () => {
    const http = new NetSuiteHttp({ accountId: '1234567' });
    expect(http.limiter.max).toBe(5);
  });

  it('rejects a non-positive timeout', () => {
    expect(() => new NetSuiteHttp({ accountId: '1234567', timeoutMs: 0 })).toThrow(/timeoutMs must be a positive number/);
  });
});
