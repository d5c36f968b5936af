export type { TokenSet, TokenKey, TokenGrant, TokenSource, AccessTokenProvider } from './types';
export { TokenManager, type TokenManagerOptions } from './manager';
export { authorizationStoreKey, type StoredAuthorization } from './storedAuthorization';
export { diagnose, type Diagnosis } from './likelyCauses';
export { parseTokenResponse, tokenEndpointError } from './tokenEndpoint';
export { validateScopes, scopeKey } from './scopes';
export { resolveTokenRetry, type TokenRetryOptions, type TokenRetryEvent } from './tokenRetry';
export { ClockOffset, type ClockOffsetOptions } from './clockOffset';
export { isOutcomeUnknown, type DateObservation } from './tokenEndpoint';
export { StoreTokenLock, DEFAULT_LOCK_LEASE_MS, type TokenLock, type HeldTokenLock, type StoreTokenLockOptions } from './tokenLock';
// RedisTokenLock (redis-semaphore, ioredis) is exported from the package entry lazily, like the other Redis classes.
export type { RedisTokenLockOptions } from './redisTokenLock';
export { sharedTokenStoreKey, SHARED_TOKEN_KEY_PREFIX } from './sharedAccessToken';
