import type { TransportOptions } from '../account';
import { ConfigurationError, TransportError } from '../errors';
import { redact } from '../redact';
import type { ConcurrencySlots } from './accountSemaphore';
import { ConcurrencyLimiter, DEFAULT_ACCOUNT_CONCURRENCY } from './limiter';
import { monotonicClock, notify, type ClientObserver } from './observer';
import { OverLimitGate, type OverLimitOptions } from './overLimitGate';
import { defaultFetch } from './transport';
import {
  backoffDelay,
  classifyError,
  classifyResponse,
  isIdempotent,
  parseRetryAfter,
  type RetryOptions,
  type RetryReason,
} from './retryPolicy';
import { sleep as realSleep } from './sleep';
import type { Clock, FetchLike, HttpRequest, HttpResult } from './types';

/** NetSuite lets a RESTlet run 300 s; REST web services allow 15 min. Two minutes suits most calls. */
export const DEFAULT_TIMEOUT_MS = 120_000;

export interface NetSuiteHttpOptions extends TransportOptions {
  accountId: string;
  /** Per-attempt timeout. Default 120,000 ms (RESTlets may run 300 s; lower it for latency-bound callers). */
  timeoutMs?: number;
  /** In-flight requests allowed for this account. Default 5, the smallest NetSuite account limit. */
  concurrency?: number;
  /**
   * Share one limiter between several clients of the same account (see AccountLimiters), or across processes
   * and hosts with `new RedisAccountSemaphores({ redis }).forAccount(accountId, limit)`.
   */
  limiter?: ConcurrencySlots;
  retry?: RetryOptions;
  /**
   * After an over-limit answer (429, or a RESTlet's 400 SSS_REQUEST_LIMIT_EXCEEDED) the request is still retried,
   * and this process also lets fewer requests through for a while (halved per answer, back after 30 s without one).
   */
  overLimit?: OverLimitOptions;
  /** Metrics hooks: retries and the time each request waited for its concurrency slot. */
  observer?: ClientObserver;
  /** Measures slot waits for `observer` (default: a monotonic clock; tests inject one). */
  waitClock?: Clock;
}

/** Called before each retry; for logs and metrics. Never receives headers or bodies. */
export type RetryListener = (event: { url: string; method: string; attempt: number; reason: RetryReason; delayMs: number }) => void;

type Outcome = { kind: 'response'; result: HttpResult } | { kind: 'error'; error: unknown };

/**
 * The one place requests to an account leave the process: a concurrency slot per request,
 * a timeout per attempt, and retries with full-jitter backoff on the failures NetSuite tells us to retry.
 */
export class NetSuiteHttp {
  readonly accountId: string;
  readonly limiter: ConcurrencySlots;
  onRetry: RetryListener | undefined;
  private readonly overLimitGate: OverLimitGate;
  private readonly fetchImpl: FetchLike;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly observer: ClientObserver | undefined;
  private readonly waitClock: Clock;

  constructor(o: NetSuiteHttpOptions) {
    this.accountId = o.accountId;
    this.fetchImpl = o.fetch ?? defaultFetch;
    this.clock = o.clock ?? { now: () => Date.now() };
    this.timeoutMs = positive(o.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs');
    this.observer = o.observer;
    this.waitClock = o.waitClock ?? monotonicClock;
    this.limiter = o.limiter ?? new ConcurrencyLimiter(o.concurrency ?? DEFAULT_ACCOUNT_CONCURRENCY);
    this.overLimitGate = new OverLimitGate(() => this.limiter.max, this.clock, o.overLimit);
    this.retry = {
      maxRetries: nonNegativeInteger(o.retry?.maxRetries ?? 4, 'retry.maxRetries'),
      baseDelayMs: positive(o.retry?.baseDelayMs ?? 500, 'retry.baseDelayMs'),
      maxDelayMs: positive(o.retry?.maxDelayMs ?? 20_000, 'retry.maxDelayMs'),
      maxRetryAfterMs: positive(o.retry?.maxRetryAfterMs ?? 60_000, 'retry.maxRetryAfterMs'),
      retryNonIdempotent: o.retry?.retryNonIdempotent ?? false,
      random: o.retry?.random ?? Math.random,
      sleep: o.retry?.sleep ?? realSleep,
    };
  }

  /** Requests this process lets through now: the limiter's limit, less while NetSuite recently answered over-limit. */
  get effectiveLimit(): number {
    return Math.min(this.limiter.max, this.overLimitGate.limit);
  }

  /**
   * Sends the request and returns the final response, whatever its status (callers map errors).
   * Throws TransportError for network failures and timeouts once retries are spent.
   */
  async request(req: HttpRequest): Promise<HttpResult> {
    const mayRetry = isIdempotent(req.method) || (req.retryNonIdempotent ?? this.retry.retryNonIdempotent);
    for (let attempt = 1; ; attempt++) {
      const asked = this.waitClock.now();
      const queuedAtGate = await this.overLimitGate.enter(req.signal);
      let outcome: Outcome;
      try {
        outcome = await this.inSlot(() => this.attempt(req, attempt), asked, queuedAtGate, req.signal);
      } finally {
        this.overLimitGate.leave();
      }
      const reason = retryReason(outcome);
      if (reason === 'concurrency_limit' || reason === 'rate_limited') this.narrowAfterOverLimit();
      const canRetry = reason !== undefined && mayRetry && attempt <= this.retry.maxRetries;
      const delayMs = canRetry ? this.delayBeforeRetry(outcome, attempt) : undefined;
      if (delayMs === undefined || reason === undefined) return finish(outcome, req, attempt);
      this.onRetry?.({ url: req.url, method: req.method, attempt, reason, delayMs });
      notify(this.observer, 'retry', { url: req.url, method: req.method, attempt, reason, delayMs });
      await this.retry.sleep(delayMs, req.signal);
    }
  }

  /**
   * A limiter shared across processes (the Redis semaphore) narrows the limit for all of them, since every process
   * sent requests NetSuite could not take; a local limiter narrows this process. If Redis cannot record it, this
   * process narrows at least itself.
   */
  private narrowAfterOverLimit(): void {
    if (!this.limiter.shrinkShared) {
      this.overLimitGate.shrink();
      return;
    }
    this.limiter.shrinkShared(this.overLimitGate.policy).catch(() => this.overLimitGate.shrink());
  }

  /**
   * The limiter's slot, timed for the observer from the moment the request asked (before this process's over-limit
   * gate) to the moment the task starts. Straight through both (the gate's and the in-process limiter's free-slot
   * paths are synchronous) is a wait of exactly 0.
   */
  private inSlot<T>(task: () => Promise<T>, asked: number, queuedAtGate: boolean, signal?: AbortSignal): Promise<T> {
    if (!this.observer?.slotWait) return this.limiter.run(task, signal);
    let immediate = !queuedAtGate;
    const running = this.limiter.run(() => {
      const waitedMs = immediate ? 0 : Math.max(0, this.waitClock.now() - asked);
      notify(this.observer, 'slotWait', { accountId: this.accountId, waitedMs });
      return task();
    }, signal);
    immediate = false;
    return running;
  }

  private async attempt(req: HttpRequest, attempt: number): Promise<Outcome> {
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new TimeoutMarker(timeoutMs)), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout.signal]) : timeout.signal;
    try {
      const init: RequestInit = { method: req.method, signal, redirect: 'manual' };
      if (req.headers) init.headers = req.headers;
      if (req.body !== undefined) init.body = req.body;
      const response = await this.fetchImpl(req.url, init);
      const body = await response.text();
      return { kind: 'response', result: { status: response.status, headers: response.headers, body, attempts: attempt } };
    } catch (error) {
      if (timeout.signal.aborted && !req.signal?.aborted) return { kind: 'error', error: timeout.signal.reason };
      return { kind: 'error', error };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Undefined means: do not retry (a Retry-After beyond what we are willing to wait). */
  private delayBeforeRetry(outcome: Outcome, attempt: number): number | undefined {
    if (outcome.kind === 'response') {
      const retryAfter = parseRetryAfter(outcome.result.headers.get('retry-after'), this.clock.now());
      if (retryAfter !== undefined) return retryAfter <= this.retry.maxRetryAfterMs ? retryAfter : undefined;
    }
    return backoffDelay(attempt - 1, this.retry);
  }
}

class TimeoutMarker {
  constructor(readonly timeoutMs: number) {}
}

function retryReason(outcome: Outcome): RetryReason | undefined {
  if (outcome.kind === 'response') return classifyResponse(outcome.result.status, outcome.result.body);
  if (outcome.error instanceof TimeoutMarker) return undefined;
  return classifyError(outcome.error);
}

function finish(outcome: Outcome, req: HttpRequest, attempts: number): HttpResult {
  if (outcome.kind === 'response') return outcome.result;
  throw toTransportError(outcome.error, req, attempts);
}

function toTransportError(error: unknown, req: HttpRequest, attempts: number): unknown {
  const target = `${req.method} ${describeUrl(req.url)}`;
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  if (error instanceof TimeoutMarker) {
    return new TransportError('TIMEOUT', `${target} timed out after ${error.timeoutMs} ms (${tries})`, {
      remedy: 'Raise timeoutMs for slow RESTlets or queries, or check that the account host is reachable.',
    });
  }
  if (req.signal?.aborted) return req.signal.reason ?? error;
  const detail = redact(describeCause(error));
  return new TransportError('NETWORK_ERROR', `${target} failed after ${tries}: ${detail}`, {
    cause: error,
    remedy: 'Check network access to the NetSuite host (proxy, DNS, firewall); connection resets are retried automatically for safe requests.',
  });
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? `${error.message} (${code})` : error.message;
}

/** Origin and path only: query strings are not secret here, but keep messages short. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${field} must be a positive number, got ${String(value)}`, { field });
  }
  return value;
}

function nonNegativeInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${field} must be a non-negative integer, got ${String(value)}`, { field });
  }
  return value;
}
