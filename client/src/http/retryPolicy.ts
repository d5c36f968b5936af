import type { HttpMethod } from './types';

export interface RetryOptions {
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Backoff base: the cap of attempt n is baseDelayMs * 2^n. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff cap. Default 20,000. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for; the response is returned as is. Default 60,000. */
  maxRetryAfterMs?: number;
  /** Default for every request: retry POST and PATCH too. Default false. */
  retryNonIdempotent?: boolean;
  /** Injected for tests: a number in [0, 1). Default Math.random. */
  random?: () => number;
  /** Injected for tests: waits ms (or rejects when the signal aborts). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type RetryReason =
  | 'rate_limited'
  | 'concurrency_limit'
  | 'bad_gateway'
  | 'service_unavailable'
  | 'gateway_timeout'
  | 'connection_reset';

const RETRYABLE_STATUS: ReadonlyMap<number, RetryReason> = new Map([
  [429, 'rate_limited'],
  [502, 'bad_gateway'],
  [503, 'service_unavailable'],
  [504, 'gateway_timeout'],
]);

const CONNECTION_ERROR_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** RESTlets answer an exceeded account concurrency limit with 400, not 429, so the body decides. */
export function classifyResponse(status: number, body: string): RetryReason | undefined {
  const byStatus = RETRYABLE_STATUS.get(status);
  if (byStatus) return byStatus;
  if (status === 400 && body.includes('SSS_REQUEST_LIMIT_EXCEEDED')) return 'concurrency_limit';
  return undefined;
}

/** undici reports every network failure as `TypeError: fetch failed` with the socket error as `cause`. */
export function classifyError(err: unknown): RetryReason | undefined {
  if (err instanceof TypeError) return 'connection_reset';
  const code = errorCode(err) ?? errorCode((err as { cause?: unknown } | undefined)?.cause);
  return code !== undefined && CONNECTION_ERROR_CODES.has(code) ? 'connection_reset' : undefined;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isIdempotent(method: HttpMethod): boolean {
  return method !== 'POST' && method !== 'PATCH';
}

/** "Full jitter": a uniform delay between 0 and the exponential cap. */
export function backoffDelay(retryIndex: number, o: { baseDelayMs: number; maxDelayMs: number; random: () => number }): number {
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** retryIndex);
  return Math.floor(o.random() * cap);
}

/** Retry-After is either delta-seconds or an HTTP date. Returns ms to wait, or undefined when absent/invalid. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
