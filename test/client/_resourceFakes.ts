import { NetSuiteHttp, type NetSuiteHttpOptions } from '../../client/src/http/netsuiteHttp';
import type { RetryOptions } from '../../client/src/http/retryPolicy';
import type { AccessTokenProvider } from '../../client/src/resources/types';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  signal: AbortSignal | undefined;
}

export type Reply = Response | Error | ((call: RecordedCall) => Response | Promise<Response>);

/** A fetch that answers from a script, in order, and records what it was sent. */
export function scriptedFetch(replies: Reply[]): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const queue = [...replies];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const call: RecordedCall = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: typeof init?.body === 'string' ? init.body : undefined,
      signal: init?.signal ?? undefined,
    };
    calls.push(call);
    const next = queue.shift();
    if (next === undefined) throw new Error(`unexpected request #${calls.length}: ${call.method} ${call.url}`);
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(call) : next;
  };
  return { fetch: fake as typeof fetch, calls };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain', ...headers } });
}

/** undici's shape for a reset socket. */
export function connectionReset(): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
}

/** Records backoff waits instead of sleeping. */
export function recordingSleep(): { sleep: NonNullable<RetryOptions['sleep']>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

export function testHttp(fetchImpl: typeof fetch, o: Partial<NetSuiteHttpOptions> & { retry?: RetryOptions } = {}): {
  http: NetSuiteHttp;
  waits: number[];
} {
  const { sleep, waits } = recordingSleep();
  const http = new NetSuiteHttp({
    accountId: '1234567',
    fetch: fetchImpl,
    clock: { now: () => Date.UTC(2026, 10, 22, 10, 0, 0) },
    ...o,
    retry: { random: () => 0.5, sleep, ...o.retry },
  });
  return { http, waits };
}

/** Hands out token-1, token-2, … and counts invalidations. */
export function countingTokens(): AccessTokenProvider & { issued: number; invalidated: number; failedTokens: Array<string | undefined> } {
  const state = {
    issued: 0,
    invalidated: 0,
    failedTokens: [] as Array<string | undefined>,
    current: undefined as string | undefined,
    async getAccessToken(): Promise<string> {
      if (state.current === undefined) {
        state.issued++;
        state.current = `token-${state.issued}`;
      }
      return state.current;
    },
    async invalidate(failedAccessToken?: string): Promise<void> {
      state.invalidated++;
      state.failedTokens.push(failedAccessToken);
      state.current = undefined;
    },
  };
  return state;
}
