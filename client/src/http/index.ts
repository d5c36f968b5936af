export { NetSuiteHttp, DEFAULT_TIMEOUT_MS, type NetSuiteHttpOptions, type RetryListener } from './netsuiteHttp';
export { ConcurrencyLimiter, AccountLimiters, DEFAULT_ACCOUNT_CONCURRENCY } from './limiter';
export { classifyResponse, classifyError, parseRetryAfter, backoffDelay, type RetryOptions, type RetryReason } from './retryPolicy';
export type { FetchLike, HttpMethod, HttpRequest, HttpResult } from './types';
export { RedisAccountSemaphores, RedisAccountSemaphore, usableConcurrency, type ConcurrencySlots, type RedisAccountSemaphoresOptions } from './accountSemaphore';
export { type ClientObserver } from './observer';
