import type { AuthorizationCodeClient } from '../authcode';
import { systemClock, type Clock } from '../clock';
import { AuthorizationError, ConfigurationError, ErrorCode, StoreError, TokenEndpointError, TransportError } from '../errors';
import { MemoryTokenStore } from '../store/memory';
import type { TokenStore } from '../store/types';
import { scopeKey, validateScopes } from './scopes';
import {
  authorizationStoreKey,
  parseStoredAuthorization,
  storedFromTokens,
  tokensFromStored,
  type StoredAuthorization,
} from './storedAuthorization';
import type { AccessTokenProvider, TokenKey, TokenSet, TokenSource } from './types';

export interface TokenManagerOptions {
  /** Holds authorization-code refresh tokens (rotated with compare-and-swap). Default: in memory. */
  store?: TokenStore;
  /** Refresh this long before expiry. Default 300 s. */
  refreshMarginSeconds?: number;
  /** Allowance for a local clock that runs behind NetSuite's. Default 60 s. */
  clockSkewSeconds?: number;
  clock?: Clock;
  /**
   * After `invalid_grant` on a refresh, how many times to re-read the store waiting for another process's
   * rotation to land before giving up (default 5, delays 50 ms doubling).
   */
  staleReadRetries?: number;
  staleReadDelayMs?: number;
  /** Upper bound on read-refresh-swap rounds when other processes keep winning (default 10). */
  maxRotationAttempts?: number;
  /** Test seam for the stale-read wait. */
  sleep?: (ms: number) => Promise<void>;
}

interface CacheEntry {
  tokens: TokenSet;
  /** Refresh-ahead point: after it, callers trigger a new token request. */
  refreshAt: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Token cache for many tenants: one entry per (tenant, grant, sorted scopes), refreshed ahead of expiry, with
 * single flight so any number of concurrent callers cause one token request. Authorization-code refresh tokens
 * live in the TokenStore; a rotated refresh token is persisted before the new access token is handed out.
 */
export class TokenManager {
  private readonly store: TokenStore;
  private readonly clock: Clock;
  private readonly refreshAheadMs: number;
  private readonly skewMs: number;
  private readonly staleReadRetries: number;
  private readonly staleReadDelayMs: number;
  private readonly maxRotationAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private requests = 0;

  constructor(options: TokenManagerOptions | null = {}) {
    options ??= {};
    this.store = options.store === undefined ? new MemoryTokenStore() : checkStore(options.store);
    this.clock = options.clock ?? systemClock;
    const margin = nonNegative(options.refreshMarginSeconds ?? 300, 'refreshMarginSeconds');
    const skew = nonNegative(options.clockSkewSeconds ?? 60, 'clockSkewSeconds');
    this.refreshAheadMs = (margin + skew) * 1000;
    this.skewMs = skew * 1000;
    this.staleReadRetries = nonNegative(options.staleReadRetries ?? 5, 'staleReadRetries');
    this.staleReadDelayMs = nonNegative(options.staleReadDelayMs ?? 50, 'staleReadDelayMs');
    this.maxRotationAttempts = Math.max(1, options.maxRotationAttempts ?? 10);
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Token endpoint requests made so far (client credentials + refreshes). */
  get tokenRequestCount(): number {
    return this.requests;
  }

  async getAccessToken(key: TokenKey, source: TokenSource): Promise<string> {
    return (await this.getTokenSet(key, source)).accessToken;
  }

  /** Like getAccessToken, with expiry and scopes. */
  async getTokenSet(key: TokenKey, source: TokenSource): Promise<TokenSet> {
    const id = cacheId(key, source);
    const cached = this.cache.get(id);
    const now = this.clock.now();
    if (cached && now < cached.refreshAt) return cached.tokens;
    try {
      return (await this.singleFlight(id, key, source)).tokens;
    } catch (err) {
      // Refresh-ahead failed for a passing reason while the old token is still good: keep serving it.
      if (cached && isTransient(err) && this.clock.now() < cached.tokens.expiresAt - this.skewMs) return cached.tokens;
      throw err;
    }
  }

  /**
   * Forgets the cached token. With `failedAccessToken`, only when it is still the cached one, so a burst of
   * 401s for the same token causes one refresh.
   */
  async invalidate(key: TokenKey, failedAccessToken?: string): Promise<void> {
    const id = cacheId(key);
    const cached = this.cache.get(id);
    if (cached && (failedAccessToken === undefined || cached.tokens.accessToken === failedAccessToken)) this.cache.delete(id);
    if (key.grant === 'authorization_code') await this.invalidateStored(key, failedAccessToken);
  }

  /** Runs `call` with a token; on a 401 (thrown with `status: 401` or a returned 401 Response) invalidates and retries once. */
  async withToken<T>(key: TokenKey, source: TokenSource, call: (accessToken: string) => Promise<T>): Promise<T> {
    const first = await this.getAccessToken(key, source);
    try {
      const result = await call(first);
      if (!isUnauthorizedResponse(result)) return result;
      await drain(result);
    } catch (err) {
      if (!isUnauthorizedError(err)) throw err;
    }
    await this.invalidate(key, first);
    return call(await this.getAccessToken(key, source));
  }

  /** An AccessTokenProvider bound to one key, for RestletClient, SuiteQLClient, CertificateApi... */
  provider(key: TokenKey, source: TokenSource): AccessTokenProvider {
    return {
      getAccessToken: () => this.getAccessToken(key, source),
      invalidate: (failedAccessToken?: string) => this.invalidate(key, failedAccessToken),
    };
  }

  /** Stores the tokens from AuthorizationCodeClient.handleCallback() so the manager can refresh them. */
  async saveAuthorization(key: TokenKey, tokens: TokenSet, identity?: StoredAuthorization['identity']): Promise<void> {
    assertKey(key, 'authorization_code');
    const storeKey = authorizationStoreKey(key);
    const record = JSON.stringify(storedFromTokens(tokens, this.clock.now(), undefined, identity));
    for (let attempt = 0; attempt < this.maxRotationAttempts; attempt++) {
      const current = await this.store.get(storeKey);
      if (await this.store.compareAndSwap(storeKey, current?.version ?? null, record)) {
        this.cache.delete(cacheId(key));
        return;
      }
    }
    throw conflict(storeKey);
  }

  /** The stored authorization (refresh token included) or undefined. */
  async loadAuthorization(key: TokenKey): Promise<StoredAuthorization | undefined> {
    assertKey(key, 'authorization_code');
    const storeKey = authorizationStoreKey(key);
    const row = await this.store.get(storeKey);
    return row ? parseStoredAuthorization(storeKey, row.value) : undefined;
  }

  /** Revokes the stored refresh token at NetSuite (best effort with `force`) and deletes it. */
  async revokeAuthorization(key: TokenKey, client: AuthorizationCodeClient, options: { force?: boolean } = {}): Promise<void> {
    const stored = await this.loadAuthorization(key);
    if (stored) {
      try {
        await client.revoke(stored.refreshToken);
      } catch (err) {
        if (!options.force) throw err;
      }
    }
    await this.store.delete(authorizationStoreKey(key));
    this.cache.delete(cacheId(key));
  }

  private singleFlight(id: string, key: TokenKey, source: TokenSource): Promise<CacheEntry> {
    const running = this.inflight.get(id);
    if (running) return running;
    const started = this.fetchEntry(key, source)
      .then((entry) => {
        this.cache.set(id, entry);
        return entry;
      })
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, started);
    return started;
  }

  private async fetchEntry(key: TokenKey, source: TokenSource): Promise<CacheEntry> {
    if (source.kind === 'client_credentials') {
      const sentAt = this.clock.now();
      this.requests++;
      return this.entry(await source.client.requestToken(), sentAt);
    }
    return this.refreshFromStore(key, source.client);
  }

  private entry(tokens: TokenSet, issuedAt: number): CacheEntry {
    const lifetime = Math.max(0, tokens.expiresAt - issuedAt);
    // Short-lived tokens would otherwise be "due" on arrival: never refresh before half the lifetime.
    return { tokens, refreshAt: tokens.expiresAt - Math.min(this.refreshAheadMs, lifetime / 2) };
  }

  /**
   * Read → (use the shared access token if fresh) → refresh → compare-and-swap. A lost swap or an
   * `invalid_grant` caused by another process's rotation re-reads the store and uses the newer token.
   */
  private async refreshFromStore(key: TokenKey, client: AuthorizationCodeClient): Promise<CacheEntry> {
    const storeKey = authorizationStoreKey(key);
    for (let attempt = 0; attempt < this.maxRotationAttempts; attempt++) {
      const row = await this.store.get(storeKey);
      if (!row) throw authorizationRequired(key);
      const stored = parseStoredAuthorization(storeKey, row.value);
      const shared = tokensFromStored(stored);
      if (shared) {
        const entry = this.entry(shared, stored.issuedAt ?? this.clock.now());
        if (this.clock.now() < entry.refreshAt) return entry;
      }
      const sentAt = this.clock.now();
      let tokens: TokenSet;
      try {
        this.requests++;
        tokens = await client.refresh(stored.refreshToken);
      } catch (err) {
        if (isInvalidGrant(err) && (await this.waitForNewerVersion(storeKey, row.version))) continue;
        throw err;
      }
      const next = storedFromTokens(tokens, sentAt, stored);
      if (await this.persistRotation(storeKey, row.version, stored.refreshToken, next)) return this.entry(tokens, sentAt);
      // Someone else rotated in between; our pair is not persisted. Loop: the newer record wins.
    }
    throw conflict(storeKey);
  }

  /**
   * Swaps in the rotated record. A conflict caused by a write that kept the refresh token we just consumed
   * (an invalidation, an identical save) is retried on top of it; a newer refresh token means we lost.
   */
  private async persistRotation(storeKey: string, version: number, consumed: string, next: StoredAuthorization): Promise<boolean> {
    let expected = version;
    for (let attempt = 0; attempt < this.maxRotationAttempts; attempt++) {
      if (await this.store.compareAndSwap(storeKey, expected, JSON.stringify(next))) return true;
      const current = await this.store.get(storeKey);
      if (!current) return false;
      if (parseStoredAuthorization(storeKey, current.value).refreshToken !== consumed) return false;
      expected = current.version;
    }
    throw conflict(storeKey);
  }

  private async waitForNewerVersion(storeKey: string, version: number): Promise<boolean> {
    for (let attempt = 0; attempt <= this.staleReadRetries; attempt++) {
      const row = await this.store.get(storeKey);
      if (row && row.version !== version) return true;
      if (attempt < this.staleReadRetries) await this.sleep(this.staleReadDelayMs * 2 ** attempt);
    }
    return false;
  }

  private async invalidateStored(key: TokenKey, failedAccessToken: string | undefined): Promise<void> {
    const storeKey = authorizationStoreKey(key);
    const row = await this.store.get(storeKey);
    if (!row) return;
    const stored = parseStoredAuthorization(storeKey, row.value);
    if (stored.accessToken === undefined) return;
    if (failedAccessToken !== undefined && stored.accessToken !== failedAccessToken) return;
    const { accessToken: _dropped, expiresAt: _expiry, ...rest } = stored;
    // A lost swap means someone wrote a newer record, which is what invalidation wants anyway.
    await this.store.compareAndSwap(storeKey, row.version, JSON.stringify(rest));
  }
}

function cacheId(key: TokenKey, source?: TokenSource): string {
  assertKey(key, source?.kind);
  const scopes = scopeKey(key.scopes);
  if (source && scopeKey(source.client.scopes) !== scopes) {
    // Otherwise a token with the client's scopes would be cached under a key that claims other scopes.
    throw new ConfigurationError(
      ErrorCode.INVALID_ARGUMENT,
      `TokenKey.scopes (${scopes}) differ from the client's scopes (${scopeKey(source.client.scopes)}).`,
      { field: 'scopes', remedy: 'Use the same scopes in the key and in the client that obtains the token.' },
    );
  }
  return JSON.stringify([key.tenant, key.grant, scopes]);
}

function assertKey(key: TokenKey, expectedGrant?: TokenKey['grant']): void {
  if (!key || typeof key.tenant !== 'string' || key.tenant === '') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'TokenKey.tenant must be a non-empty string.', { field: 'tenant' });
  }
  if (key.grant !== 'client_credentials' && key.grant !== 'authorization_code') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'TokenKey.grant must be client_credentials or authorization_code.', {
      field: 'grant',
    });
  }
  if (expectedGrant !== undefined && key.grant !== expectedGrant) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `TokenKey.grant is ${key.grant} but the token source is ${expectedGrant}.`, {
      field: 'grant',
    });
  }
  validateScopes(key.scopes);
}

function nonNegative(value: number, field: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must be a non-negative number.`, { field });
  }
  return value;
}

function isInvalidGrant(err: unknown): boolean {
  return err instanceof TokenEndpointError && err.error === 'invalid_grant';
}

function isTransient(err: unknown): boolean {
  return err instanceof TransportError || (err instanceof TokenEndpointError && (err.status >= 500 || err.status === 429));
}

function isUnauthorizedError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const candidate = err as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  return candidate.status === 401 || candidate.statusCode === 401 || candidate.response?.status === 401;
}

function isUnauthorizedResponse(value: unknown): value is Response {
  return typeof Response !== 'undefined' && value instanceof Response && value.status === 401;
}

async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

function authorizationRequired(key: TokenKey): AuthorizationError {
  return new AuthorizationError(
    ErrorCode.AUTHORIZATION_REQUIRED,
    `No stored authorization for tenant "${key.tenant}" (scopes ${scopeKey(key.scopes)}).`,
    { remedy: 'Run the authorization code flow, then call tokenManager.saveAuthorization(key, result.tokens).' },
  );
}

function conflict(storeKey: string): StoreError {
  return new StoreError(ErrorCode.STORE_CONFLICT, `Too many concurrent writers on "${storeKey}"; gave up.`, {
    remedy: 'Retry; if it persists, fewer processes should refresh the same tenant at once.',
  });
}

const STORE_METHODS = ['get', 'compareAndSwap', 'delete'] as const;

function checkStore(store: TokenStore): TokenStore {
  const missing = STORE_METHODS.filter((m) => typeof (store as unknown as Record<string, unknown> | null)?.[m] !== 'function');
  if (missing.length > 0) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `store is not a TokenStore (no ${missing.join(', ')} method).`, {
      field: 'store',
      remedy: 'Pass a MemoryTokenStore, SqliteTokenStore or RedisTokenStore, or an object implementing the TokenStore interface.',
    });
  }
  return store;
}
