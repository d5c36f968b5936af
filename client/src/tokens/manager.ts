import type { AuthorizationCodeClient } from '../authcode';
import { systemClock, type Clock } from '../clock';
import { AuthorizationError, ConfigurationError, ErrorCode, StoreError, TokenEndpointError, TransportError } from '../errors';
import { MemoryTokenStore } from '../store/memory';
import type { TokenStore } from '../store/types';
import { scopeKey, validateScopes } from './scopes';
import { isOutcomeUnknown } from './tokenEndpoint';
import { RefreshJournal, refreshInterrupted } from './refreshJournal';
import { resolveTokenRetry, tokenRetryDelay, type ResolvedTokenRetry, type TokenRetryOptions } from './tokenRetry';
import { parseSharedToken, serializeSharedToken, sharedTokenStoreKey } from './sharedAccessToken';
import { StoreTokenLock, type HeldTokenLock, type TokenLock } from './tokenLock';
import {
  authorizationStoreKey,
  parseStoredAuthorization,
  storedFromTokens,
  tokensFromStored,
  type StoredAuthorization,
} from './storedAuthorization';
import type { AccessTokenProvider, TokenKey, TokenSet, TokenSource } from './types';
import { notify, type ClientObserver } from '../http/observer';

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
  /** Test seam for the stale-read wait, the refresh retries and the save retries. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Refreshes whose outcome is unknown (502, 504, reset, timeout, cut body: NetSuite may have rotated) are tried
   * again after re-reading the store, at most this often (default 2, backoff from `refreshRetry`).
   */
  refreshRetry?: TokenRetryOptions;
  /**
   * When the store refuses a rotated refresh token, the pair is kept in memory and the save is retried this many
   * times (default 6) with backoff from `saveRetryDelayMs` (default 250 ms, doubling, capped at 30 s).
   */
  saveRetries?: number;
  saveRetryDelayMs?: number;
  /** Called once when a rotated refresh token still cannot be saved after `saveRetries` (see needsAttention()). */
  onNeedsAttention?: (key: TokenKey, error: StoreError) => void;
  /**
   * Keep client-credentials access tokens in the store (encrypted, one row per tenant and scopes) so every process
   * uses the same token. Default: true when `store` is given.
   */
  shareClientCredentialsTokens?: boolean;
  /**
   * The cross-process lock taken before any token request (client credentials and refreshes), so N processes
   * with a cold cache cause one request and a one-time refresh token is sent once. Default: a StoreTokenLock on
   * `store` when one is given (compare-and-swap on a lock row with a lease); pass a RedisTokenLock to keep lock
   * traffic in Redis, or false for none.
   */
  lock?: TokenLock | false;
  /** How often a process waiting for another's token request re-checks the lock and the store. Default 25 ms. */
  lockPollMs?: number;
  /** Longest wait for another process's token request before requesting anyway. Default 3 x the lock's lease. */
  lockWaitMs?: number;
  /** Each entry's refresh point is moved earlier by a random share of this, so tenants minted together do not all refresh together. Default 60 s. */
  refreshJitterSeconds?: number;
  /** Tokens are refreshed in the background after their refresh point while callers keep the valid one. Default true. */
  backgroundRefresh?: boolean;
  /** At most this many cached tokens; the least recently used go first. Default 10,000. */
  cacheMaxEntries?: number;
  /**
   * At most this many background refreshes run at once; the rest wait their turn (still serving the valid token),
   * so a thousand tenants reaching their refresh point together do not crowd out the calls. Default 8.
   */
  backgroundRefreshConcurrency?: number;
  /** Tokens not used for this long are dropped from memory (the store keeps what it holds). Default 3600 s. */
  cacheIdleSeconds?: number;
  /** Test seam for the jitter. Default Math.random. */
  random?: () => number;
  /** Metrics hook: each getTokenSet() is a cache `hit` (served from memory) or a `miss` (store or token endpoint). */
  observer?: ClientObserver;
}

/** A rotated pair the store refused: served from memory while the save is retried. */
interface UnsavedRotation {
  key: TokenKey;
  record: StoredAuthorization;
  /** The refresh token the store still holds (consumed at NetSuite). */
  storedRefreshToken: string;
  cause: unknown;
  saving: Promise<void> | undefined;
  attention: StoreError | undefined;
}

interface CacheEntry {
  tokens: TokenSet;
  /** Refresh-ahead point: after it, a background refresh starts while callers keep this token. */
  refreshAt: number;
  /** Clock of the last use, for idle eviction. */
  usedAt: number;
  /** When the token was requested (its lifetime is measured from here). */
  issuedAt: number;
}

/** Lock answer: the lock to release, or the token another process obtained while we waited, or neither (go on without). */
interface LockOutcome {
  held?: HeldTokenLock;
  entry?: CacheEntry;
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
  private readonly journal: RefreshJournal;
  private readonly refreshRetry: ResolvedTokenRetry;
  private readonly saveRetries: number;
  private readonly saveRetryDelayMs: number;
  private readonly onNeedsAttention: ((key: TokenKey, error: StoreError) => void) | undefined;
  private readonly unsaved = new Map<string, UnsavedRotation>();
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private readonly shareM2m: boolean;
  private readonly lock: TokenLock | undefined;
  private readonly lockPollMs: number;
  private readonly lockWaitMs: number;
  private readonly jitterMs: number;
  private readonly backgroundRefresh: boolean;
  private readonly cacheMax: number;
  private readonly idleMs: number;
  private readonly random: () => number;
  private readonly observer: ClientObserver | undefined;
  private nextSweepAt = 0;
  private readonly backgroundMax: number;
  private backgroundRunning = 0;
  /** Background refreshes waiting for a turn, by cache id (a Map keeps arrival order and drops duplicates). */
  private readonly backgroundQueue = new Map<string, () => void>();
  private requests = 0;

  constructor(options: TokenManagerOptions | null = {}) {
    options ??= {};
    this.store = options.store === undefined ? new MemoryTokenStore() : checkStore(options.store);
    this.clock = options.clock ?? systemClock;
    this.journal = new RefreshJournal(this.store, () => this.clock.now());
    const margin = nonNegative(options.refreshMarginSeconds ?? 300, 'refreshMarginSeconds');
    const skew = nonNegative(options.clockSkewSeconds ?? 60, 'clockSkewSeconds');
    this.refreshAheadMs = (margin + skew) * 1000;
    this.skewMs = skew * 1000;
    this.staleReadRetries = nonNegative(options.staleReadRetries ?? 5, 'staleReadRetries');
    this.staleReadDelayMs = nonNegative(options.staleReadDelayMs ?? 50, 'staleReadDelayMs');
    this.maxRotationAttempts = Math.max(1, options.maxRotationAttempts ?? 10);
    this.sleep = options.sleep ?? defaultSleep;
    this.refreshRetry = resolveTokenRetry({ maxRetries: 2, sleep: this.sleep, ...options.refreshRetry });
    this.saveRetries = Math.max(1, Math.floor(nonNegative(options.saveRetries ?? 6, 'saveRetries')));
    this.saveRetryDelayMs = nonNegative(options.saveRetryDelayMs ?? 250, 'saveRetryDelayMs');
    this.onNeedsAttention = options.onNeedsAttention;
    const shared = options.store !== undefined;
    this.shareM2m = options.shareClientCredentialsTokens ?? shared;
    this.lock = options.lock === false ? undefined : options.lock ?? (shared ? new StoreTokenLock(this.store) : undefined);
    this.lockPollMs = Math.max(1, nonNegative(options.lockPollMs ?? 25, 'lockPollMs'));
    this.lockWaitMs = nonNegative(options.lockWaitMs ?? 3 * (this.lock?.leaseMs ?? 0), 'lockWaitMs');
    this.jitterMs = nonNegative(options.refreshJitterSeconds ?? 60, 'refreshJitterSeconds') * 1000;
    this.backgroundRefresh = options.backgroundRefresh ?? true;
    this.cacheMax = Math.max(1, Math.floor(nonNegative(options.cacheMaxEntries ?? 10_000, 'cacheMaxEntries')));
    this.idleMs = nonNegative(options.cacheIdleSeconds ?? 3600, 'cacheIdleSeconds') * 1000;
    this.random = options.random ?? Math.random;
    this.backgroundMax = Math.max(1, Math.floor(nonNegative(options.backgroundRefreshConcurrency ?? 8, 'backgroundRefreshConcurrency')));
    this.observer = options.observer;
  }

  /** Resolves once every token request under way (background refreshes included) has finished, whatever its outcome. */
  async settled(): Promise<void> {
    while (this.inflight.size > 0 || this.backgroundQueue.size > 0) {
      if (this.inflight.size === 0) this.nextBackground();
      await Promise.allSettled([...this.inflight.values()]);
      // Let the refreshes' own completion handlers (which start the next queued ones) run first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Tokens held in memory now (bounded by cacheMaxEntries and cacheIdleSeconds). */
  get cachedTokenCount(): number {
    return this.cache.size;
  }

  /**
   * Tenants whose rotated refresh token the store has not accepted after every retry. Calls are still served from
   * memory; if the process stops first, the tenant must authorize again.
   */
  needsAttention(): Array<{ key: TokenKey; error: StoreError }> {
    return [...this.unsaved.values()].filter((u) => u.attention).map((u) => ({ key: u.key, error: u.attention! }));
  }

  /**
   * Tries once more to save every rotated pair held only in memory; rejects with AUTHORIZATION_NOT_SAVED when one
   * still cannot be saved. Call it before a process exits.
   */
  async flush(): Promise<void> {
    await Promise.all([...this.unsaved.values()].map((u) => u.saving));
    for (const [storeKey, pending] of this.unsaved) {
      await this.saveOnce(storeKey, pending).catch((err: unknown) => (pending.cause = err));
    }
    const left = [...this.unsaved.values()][0];
    if (left) throw notSaved(left);
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
    if (now >= this.nextSweepAt) this.sweep(now);
    if (cached) this.touch(id, cached, now);
    if (cached && now < cached.refreshAt) return this.served(key, 'hit', cached.tokens);
    if (cached && this.backgroundRefresh && now < cached.tokens.expiresAt - this.skewMs) {
      // Still valid: the caller keeps it while one refresh runs in the background (its failure is retried by the next caller).
      this.refreshInBackground(id, key, source);
      return this.served(key, 'hit', cached.tokens);
    }
    notify(this.observer, 'tokenCache', { grant: key.grant, outcome: 'miss' });
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
    else if (this.shareM2m) await this.dropSharedToken(key, failedAccessToken);
  }

  /** A refused client-credentials token leaves the store too, or cold processes would pick it up again. */
  private async dropSharedToken(key: TokenKey, failedAccessToken: string | undefined): Promise<void> {
    const storeKey = sharedTokenStoreKey(key);
    try {
      const row = await this.store.get(storeKey);
      const shared = row ? parseSharedToken(row.value) : undefined;
      if (row && (failedAccessToken === undefined || shared?.tokens.accessToken === failedAccessToken)) await this.store.delete(storeKey);
    } catch {
      // An unreachable store must not fail the call's retry; the stored token expires on its own.
    }
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
        this.unsaved.delete(storeKey); // a new consent replaces a pair that could not be saved
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

  private refreshInBackground(id: string, key: TokenKey, source: TokenSource): void {
    if (this.inflight.has(id) || this.backgroundQueue.has(id)) return;
    const run = (): void => {
      // Refreshed meanwhile (a caller that had to wait, another process through the store): nothing to do.
      const current = this.cache.get(id);
      if (this.inflight.has(id) || (current && this.clock.now() < current.refreshAt)) return this.nextBackground();
      this.backgroundRunning++;
      this.singleFlight(id, key, source)
        .catch(() => undefined)
        .finally(() => {
          this.backgroundRunning--;
          this.nextBackground();
        });
    };
    if (this.backgroundRunning < this.backgroundMax) run();
    else this.backgroundQueue.set(id, run);
  }

  private nextBackground(): void {
    while (this.backgroundRunning < this.backgroundMax && this.backgroundQueue.size > 0) {
      const [id, run] = this.backgroundQueue.entries().next().value as [string, () => void];
      this.backgroundQueue.delete(id);
      run();
    }
  }

  private served(key: TokenKey, outcome: 'hit', tokens: TokenSet): TokenSet {
    notify(this.observer, 'tokenCache', { grant: key.grant, outcome });
    return tokens;
  }

  private singleFlight(id: string, key: TokenKey, source: TokenSource): Promise<CacheEntry> {
    const running = this.inflight.get(id);
    if (running) return running;
    const started = this.fetchEntry(key, source)
      .then((entry) => {
        this.remember(id, entry);
        return entry;
      })
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, started);
    return started;
  }

  private async fetchEntry(key: TokenKey, source: TokenSource): Promise<CacheEntry> {
    if (source.kind === 'client_credentials') {
      const client = source.client;
      if (!this.shareM2m) return this.mint(client);
      const storeKey = sharedTokenStoreKey(key);
      const check = () => this.readSharedToken(storeKey);
      const stored = await check();
      if (stored) return stored;
      const outcome = await this.takeLock(`m2m:${storeKey}`, check);
      if (outcome.entry) return outcome.entry;
      try {
        // The previous holder may have stored a token just before we took the lock.
        const landed = outcome.held ? await check() : undefined;
        if (landed) return landed;
        const entry = await this.mint(client);
        await this.writeSharedToken(storeKey, entry.tokens, entry);
        return entry;
      } finally {
        await outcome.held?.release();
      }
    }
    const storeKey = authorizationStoreKey(key);
    if (!this.lock || this.unsaved.has(storeKey)) return this.refreshFromStore(key, source.client);
    const outcome = await this.takeLock(`refresh:${storeKey}`, () => this.readFreshAuthorization(storeKey));
    if (outcome.entry) return outcome.entry;
    try {
      return await this.refreshFromStore(key, source.client);
    } finally {
      await outcome.held?.release();
    }
  }

  private async mint(client: Extract<TokenSource, { kind: 'client_credentials' }>['client']): Promise<CacheEntry> {
    const sentAt = this.clock.now();
    this.requests++;
    return this.entry(await client.requestToken(), sentAt);
  }

  /**
   * Takes the cross-process lock, or waits while another process holds it and uses what that process stores.
   * An unreachable lock backend or a holder that keeps it past lockWaitMs lets the caller go on without it:
   * for client credentials that costs one extra token, for refreshes compare-and-swap still decides.
   */
  private async takeLock(name: string, check: () => Promise<CacheEntry | undefined>): Promise<LockOutcome> {
    if (!this.lock) return {};
    const started = this.clock.now();
    // Bounded by polls too, so a clock that stands still (tests, a suspended VM) cannot make the wait endless.
    const maxPolls = Math.ceil(this.lockWaitMs / this.lockPollMs);
    for (let poll = 0; ; poll++) {
      let held: HeldTokenLock | undefined;
      try {
        held = await this.lock.tryAcquire(name);
      } catch {
        return {};
      }
      if (held) return { held };
      const entry = await check();
      if (entry) return { entry };
      if (poll >= maxPolls || this.clock.now() - started >= this.lockWaitMs) return {};
      await this.sleep(this.lockPollMs);
    }
  }

  /** A shared client-credentials token that is not yet due, or undefined (none, due, unreadable, store down). */
  private async readSharedToken(storeKey: string): Promise<CacheEntry | undefined> {
    try {
      const row = await this.store.get(storeKey);
      const shared = row ? parseSharedToken(row.value) : undefined;
      if (!shared) return undefined;
      const entry = this.entry(shared.tokens, shared.issuedAt);
      return this.clock.now() < entry.refreshAt ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /** Best effort: a store that refuses the write costs other processes a token of their own, never this call. */
  private async writeSharedToken(storeKey: string, tokens: TokenSet, entry: CacheEntry): Promise<void> {
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const row = await this.store.get(storeKey);
        const current = row ? parseSharedToken(row.value) : undefined;
        if (current && current.tokens.expiresAt >= tokens.expiresAt) return; // a newer token is already shared
        if (await this.store.compareAndSwap(storeKey, row?.version ?? null, serializeSharedToken(tokens, entry.issuedAt))) return;
      }
    } catch {
      // The token is still served from this process's memory.
    }
  }

  /** The stored authorization's access token when it is not yet due (another process refreshed), else undefined. */
  private async readFreshAuthorization(storeKey: string): Promise<CacheEntry | undefined> {
    try {
      const row = await this.store.get(storeKey);
      if (!row) return undefined;
      const stored = parseStoredAuthorization(storeKey, row.value);
      const shared = tokensFromStored(stored);
      if (!shared) return undefined;
      const entry = this.entry(shared, stored.issuedAt ?? this.clock.now());
      return this.clock.now() < entry.refreshAt ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  private entry(tokens: TokenSet, issuedAt: number): CacheEntry {
    const lifetime = Math.max(0, tokens.expiresAt - issuedAt);
    // Short-lived tokens would otherwise be "due" on arrival: never refresh before half the lifetime.
    const ahead = Math.min(this.refreshAheadMs, lifetime / 2);
    // Jitter spreads tenants minted together over a window, but never eats into the first half of the lifetime.
    const jitter = Math.min(this.jitterMs, Math.max(0, lifetime / 2 - ahead)) * this.random();
    return { tokens, refreshAt: tokens.expiresAt - ahead - jitter, usedAt: this.clock.now(), issuedAt };
  }

  /** Least recently used last: a hit moves the entry to the end (at most once per second, to keep hits cheap). */
  private touch(id: string, entry: CacheEntry, now: number): void {
    if (now - entry.usedAt < 1000) return;
    entry.usedAt = now;
    this.cache.delete(id);
    this.cache.set(id, entry);
  }

  private remember(id: string, entry: CacheEntry): void {
    entry.usedAt = this.clock.now();
    this.cache.delete(id);
    this.cache.set(id, entry);
    while (this.cache.size > this.cacheMax) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Drops entries idle for longer than cacheIdleSeconds; runs at most every idle period / 4. */
  private sweep(now: number): void {
    this.nextSweepAt = now + Math.max(1000, this.idleMs / 4);
    for (const [id, entry] of this.cache) {
      if (now - entry.usedAt < this.idleMs) break; // the rest were used more recently
      if (!this.inflight.has(id)) this.cache.delete(id);
    }
  }

  /**
   * Read → (use the shared access token if fresh) → refresh → compare-and-swap. A lost swap or an
   * `invalid_grant` caused by another process's rotation re-reads the store and uses the newer token. A pair the
   * store refused is used from memory (its refresh token is the only live one) until a save succeeds.
   *
   * A refresh whose outcome is unknown (502/504, reset, timeout, cut body) may have rotated the token at NetSuite:
   * the store is re-read first (another process may hold a newer pair) and only then is the same refresh token
   * sent again. If NetSuite did rotate, the new token never reached anyone, so sending the old one again loses
   * nothing more; NetSuite answers invalid_grant and the error says the earlier answer was lost.
   */
  private async refreshFromStore(key: TokenKey, client: AuthorizationCodeClient): Promise<CacheEntry> {
    const storeKey = authorizationStoreKey(key);
    let unknownOutcomes = 0;
    let lostAnswer: unknown;
    for (let attempt = 0; attempt < this.maxRotationAttempts + unknownOutcomes; attempt++) {
      const pending = this.unsaved.get(storeKey);
      const row = pending ? undefined : await this.store.get(storeKey);
      if (!pending && !row) throw authorizationRequired(key);
      const stored = pending ? pending.record : parseStoredAuthorization(storeKey, row!.value);
      const shared = tokensFromStored(stored);
      if (shared) {
        const entry = this.entry(shared, stored.issuedAt ?? this.clock.now());
        if (this.clock.now() < entry.refreshAt) return entry;
      }
      const sentAt = this.clock.now();
      const interrupted = await this.journal.begin(storeKey, stored.refreshToken);
      let tokens: TokenSet;
      try {
        this.requests++;
        tokens = await client.refresh(stored.refreshToken);
      } catch (err) {
        if (isOutcomeUnknown(err) && unknownOutcomes < this.refreshRetry.maxRetries) {
          lostAnswer = err;
          await this.refreshRetry.sleep(tokenRetryDelay(this.refreshRetry, unknownOutcomes, null, this.clock.now()) ?? 0);
          unknownOutcomes++;
          continue;
        }
        // NetSuite answered: nothing was rotated by this attempt (an unknown outcome keeps the journal as evidence).
        if (!isOutcomeUnknown(err)) await this.journal.end(storeKey);
        if (isInvalidGrant(err) && row && (await this.waitForNewerVersion(storeKey, row.version))) continue;
        if (isInvalidGrant(err) && lostAnswer !== undefined) throw rotatedInTransit(err as TokenEndpointError, lostAnswer);
        if (isInvalidGrant(err) && interrupted) throw refreshInterrupted(err as TokenEndpointError, interrupted);
        throw err;
      }
      const next = storedFromTokens(tokens, sentAt, stored);
      if (pending) {
        pending.record = next;
        this.startSaving(storeKey, pending);
        return this.entry(tokens, sentAt);
      }
      try {
        if (await this.persistRotation(storeKey, row!.version, stored.refreshToken, next)) {
          await this.journal.end(storeKey);
          return this.entry(tokens, sentAt);
        }
      } catch (err) {
        if (!(err instanceof StoreError) || err.code === ErrorCode.DECRYPTION_FAILED) throw err;
        this.keepUnsaved(storeKey, key, stored.refreshToken, next, err);
        return this.entry(tokens, sentAt);
      }
      // Someone else rotated in between; our pair is not persisted. Loop: the newer record wins.
    }
    throw conflict(storeKey);
  }

  private keepUnsaved(storeKey: string, key: TokenKey, storedRefreshToken: string, record: StoredAuthorization, cause: unknown): void {
    const pending: UnsavedRotation = { key, record, storedRefreshToken, cause, saving: undefined, attention: undefined };
    this.unsaved.set(storeKey, pending);
    this.startSaving(storeKey, pending);
  }

  /** Retries the save with backoff; after `saveRetries` failures the tenant needs attention (the pair stays in memory). */
  private startSaving(storeKey: string, pending: UnsavedRotation): void {
    if (pending.saving) return;
    pending.saving = (async () => {
      for (let attempt = 0; attempt < this.saveRetries; attempt++) {
        if (attempt > 0) await this.sleep(Math.min(30_000, this.saveRetryDelayMs * 2 ** (attempt - 1)));
        if (this.unsaved.get(storeKey) !== pending) return;
        try {
          if (await this.saveOnce(storeKey, pending)) return;
        } catch (err) {
          pending.cause = err;
        }
      }
      if (this.unsaved.get(storeKey) !== pending) return;
      const first = pending.attention === undefined;
      pending.attention = notSaved(pending);
      if (first) this.onNeedsAttention?.(pending.key, pending.attention);
    })().finally(() => (pending.saving = undefined));
  }

  /** One save attempt. True when nothing is left in memory for this key. */
  private async saveOnce(storeKey: string, pending: UnsavedRotation): Promise<boolean> {
    const current = await this.store.get(storeKey);
    const currentRefresh = current ? parseStoredAuthorization(storeKey, current.value).refreshToken : undefined;
    // Deleted (revoked) or replaced by a new consent meanwhile: ours is obsolete.
    if (!current || (currentRefresh !== pending.storedRefreshToken && currentRefresh !== pending.record.refreshToken)) {
      this.dropUnsaved(storeKey, pending);
      return true;
    }
    const record = pending.record;
    if (!(await this.store.compareAndSwap(storeKey, current.version, JSON.stringify(record)))) return false;
    pending.storedRefreshToken = record.refreshToken;
    if (pending.record !== record) return false; // rotated again while saving: save the newer pair too
    this.dropUnsaved(storeKey, pending);
    await this.journal.end(storeKey);
    return true;
  }

  private dropUnsaved(storeKey: string, pending: UnsavedRotation): void {
    if (this.unsaved.get(storeKey) === pending) this.unsaved.delete(storeKey);
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
    try {
      await this.dropSharedAccessToken(key, failedAccessToken);
    } catch (err) {
      // The cached token is already forgotten; an unreachable or read-only store must not fail the call's retry.
      if (!(err instanceof StoreError)) throw err;
    }
  }

  private async dropSharedAccessToken(key: TokenKey, failedAccessToken: string | undefined): Promise<void> {
    const storeKey = authorizationStoreKey(key);
    const pending = this.unsaved.get(storeKey);
    if (pending) {
      if (failedAccessToken === undefined || pending.record.accessToken === failedAccessToken) {
        const { accessToken: _a, expiresAt: _e, ...rest } = pending.record;
        pending.record = rest;
      }
      return;
    }
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
  return (
    err instanceof TransportError ||
    (err instanceof TokenEndpointError && (err.status >= 500 || err.status === 429)) ||
    (err instanceof StoreError && err.code === ErrorCode.STORE_ERROR)
  );
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

function notSaved(pending: UnsavedRotation): StoreError {
  const cause = pending.cause instanceof Error ? pending.cause.message : 'the store refused the write';
  return new StoreError(
    ErrorCode.AUTHORIZATION_NOT_SAVED,
    `Tenant "${pending.key.tenant}" needs attention: NetSuite rotated its refresh token but the token store did not accept the new one ` +
      `(${cause}). It exists only in this process's memory and calls are served from it; if this process stops before ` +
      'the store accepts it, the old stored token is dead and the tenant must authorize again.',
    {
      cause: pending.cause,
      remedy:
        'Bring the token store back (Redis reachable, SQLite file writable and not locked) and keep this process running: ' +
        'the save is retried on every refresh and on tokenManager.flush().',
    },
  );
}

function rotatedInTransit(err: TokenEndpointError, lostAnswer: unknown): TokenEndpointError {
  const how = lostAnswer instanceof Error ? lostAnswer.message : 'the answer was lost';
  return new TokenEndpointError(
    `NetSuite refused the refresh token after an earlier refresh attempt lost its answer (${how}): NetSuite most likely ` +
      `rotated the token then, and the new one never arrived. ${err.message}`,
    { status: err.status, error: err.error, grant: err.grant, likelyCauses: err.likelyCauses, ...(err.errorDescription !== undefined ? { errorDescription: err.errorDescription } : {}) },
    { cause: err, remedy: 'Run the authorization code flow again for this tenant.' },
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
