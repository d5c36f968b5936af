/**
 * SuiteBridge client library: NetSuite OAuth 2.0 (authorization code + PKCE, client credentials), a token
 * manager with encrypted stores, certificates and rotation, RESTlet / SuiteQL / record clients.
 */
import { lazyClass, withDriver } from './lazyExport';
import type * as AccountSemaphoreModule from './http/accountSemaphore';
import type * as RedisTokenLockModule from './tokens/redisTokenLock';

export * from './errors';
export { redact } from './redact';
export { systemClock, ManualClock, type Clock } from './clock';

// Accounts and endpoints
export {
  normalizeAccountId,
  accountHostId,
  resolveEndpoints,
  isLoopbackHost,
  type NetSuiteEndpoints,
  type AccountOrigins,
  type TransportOptions,
  type EndpointOptions,
} from './account';
export { defaultFetch } from './http/transport';

// Authorization code + PKCE
export {
  AuthorizationCodeClient,
  type AuthorizationCodeClientOptions,
  type AuthorizationCallbackResult,
  type AuthorizationPrompt,
} from './authcode';
export {
  MemoryPendingAuthorizationStore,
  TokenStorePendingAuthorizationStore,
  DEFAULT_PENDING_TTL_MS,
  type PendingAuthorization,
  type PendingAuthorizationStore,
} from './authcodePending';

// Client credentials (M2M)
export {
  ClientCredentialsClient,
  createClientAssertion,
  CLIENT_ASSERTION_TYPE,
  DEFAULT_ASSERTION_LIFETIME_SECONDS,
  MAX_ASSERTION_LIFETIME_SECONDS,
  type ClientAssertionOptions,
  type ClientCredentialsClientOptions,
  type AssertionAlgorithm,
  type RsaAssertionAlgorithm,
  type PrivateKeyInput,
} from './clientCredentials';

// Tokens
export * from './tokens';

// Stores
export * from './store';

// HTTP. The Redis account semaphore loads ioredis and redis-semaphore on first use only (see ./lazyExport).
export { NetSuiteHttp, DEFAULT_TIMEOUT_MS, type NetSuiteHttpOptions, type RetryListener } from './http/netsuiteHttp';
export { ConcurrencyLimiter, AccountLimiters, DEFAULT_ACCOUNT_CONCURRENCY } from './http/limiter';
export { classifyResponse, classifyError, parseRetryAfter, backoffDelay, type RetryOptions, type RetryReason } from './http/retryPolicy';
export type { FetchLike, HttpMethod, HttpRequest, HttpResult } from './http/types';
export type { ConcurrencySlots, RedisAccountSemaphoresOptions } from './http/accountSemaphore';
export const RedisAccountSemaphores = lazyClass(withDriver('RedisAccountSemaphores', ['ioredis', 'redis-semaphore'], () => (require('./http/accountSemaphore') as typeof AccountSemaphoreModule).RedisAccountSemaphores));
export type RedisAccountSemaphores = AccountSemaphoreModule.RedisAccountSemaphores;
export const RedisAccountSemaphore = lazyClass(withDriver('RedisAccountSemaphore', ['ioredis', 'redis-semaphore'], () => (require('./http/accountSemaphore') as typeof AccountSemaphoreModule).RedisAccountSemaphore));
export type RedisAccountSemaphore = AccountSemaphoreModule.RedisAccountSemaphore;
export const RedisTokenLock = lazyClass(withDriver('RedisTokenLock', ['ioredis', 'redis-semaphore'], () => (require('./tokens/redisTokenLock') as typeof RedisTokenLockModule).RedisTokenLock));
export type RedisTokenLock = RedisTokenLockModule.RedisTokenLock;
export { usableConcurrency } from './http/usableConcurrency';

// Resources, certificates, onboarding (other modules of the package)
export * from './resources';
export * from './certificates';
export * from './onboarding';
