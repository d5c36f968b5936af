import { ConfigurationError, ErrorCode } from '../errors';
import { backoffDelay, parseRetryAfter } from '../http/retryPolicy';

/**
 * Retries of token-endpoint requests: the RESTlet policy (bounded, full jitter, Retry-After honoured) applied to
 * the token and revoke endpoints. An OAuth refusal (`invalid_grant`, `invalid_client`, any 400/401) is final.
 */
export interface TokenRetryOptions {
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** The cap of retry n is baseDelayMs * 2^n. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff cap. Default 8,000. */
  maxDelayMs?: number;
  /** A longer Retry-After is not waited for: the failure is reported. Default 60,000. */
  maxRetryAfterMs?: number;
  /** Injected for tests: a number in [0, 1). Default Math.random. */
  random?: () => number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry; never receives a form, header or body. */
  onRetry?: (event: TokenRetryEvent) => void;
}

export interface TokenRetryEvent {
  grant: string;
  attempt: number;
  /** `http_503`, `ECONNRESET`, `cut_body`, `timeout`, ... */
  reason: string;
  delayMs: number;
}

export type ResolvedTokenRetry = Required<Omit<TokenRetryOptions, 'onRetry'>> & Pick<TokenRetryOptions, 'onRetry'>;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function resolveTokenRetry(options: TokenRetryOptions = {}): ResolvedTokenRetry {
  const resolved: ResolvedTokenRetry = {
    maxRetries: check(options.maxRetries ?? 3, 'tokenRetry.maxRetries', true),
    baseDelayMs: check(options.baseDelayMs ?? 500, 'tokenRetry.baseDelayMs'),
    maxDelayMs: check(options.maxDelayMs ?? 8_000, 'tokenRetry.maxDelayMs'),
    maxRetryAfterMs: check(options.maxRetryAfterMs ?? 60_000, 'tokenRetry.maxRetryAfterMs'),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? defaultSleep,
  };
  if (options.onRetry !== undefined) resolved.onRetry = options.onRetry;
  return resolved;
}

/** Delay before retry number `retryIndex` (0-based), or undefined when a Retry-After asks for longer than allowed. */
export function tokenRetryDelay(retry: ResolvedTokenRetry, retryIndex: number, retryAfter: string | null, nowMs: number): number | undefined {
  const asked = parseRetryAfter(retryAfter, nowMs);
  if (asked !== undefined) return asked <= retry.maxRetryAfterMs ? asked : undefined;
  return backoffDelay(retryIndex, retry);
}

function check(value: number, field: string, integer = false): number {
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must be a non-negative ${integer ? 'whole ' : ''}number.`, { field });
  }
  return value;
}
