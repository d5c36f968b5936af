import { createHash } from 'node:crypto';
import type { Clock } from './clock';
import { systemClock } from './clock';
import type { TokenStore } from './store/types';

/** What `start()` remembers until the callback arrives; keyed by `state`. */
export interface PendingAuthorization {
  accountId: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
}

/** Where pending authorizations wait for their callback. `take` must be single use (remove what it returns). */
export interface PendingAuthorizationStore {
  put(state: string, entry: PendingAuthorization): Promise<void>;
  /** Returns and removes the entry; undefined when unknown, already taken or expired. */
  take(state: string): Promise<PendingAuthorization | undefined>;
}

export const DEFAULT_PENDING_TTL_MS = 10 * 60 * 1000;

/** Default: process memory. Fine for one process; use TokenStorePendingAuthorizationStore across processes. */
export class MemoryPendingAuthorizationStore implements PendingAuthorizationStore {
  private readonly entries = new Map<string, PendingAuthorization>();
  constructor(private readonly clock: Clock = systemClock) {}

  async put(state: string, entry: PendingAuthorization): Promise<void> {
    this.purgeExpired();
    this.entries.set(state, entry);
  }

  async take(state: string): Promise<PendingAuthorization | undefined> {
    const entry = this.entries.get(state);
    this.entries.delete(state);
    if (!entry || entry.expiresAt <= this.clock.now()) return undefined;
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  private purgeExpired(): void {
    const now = this.clock.now();
    for (const [state, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(state);
  }
}

const PENDING_PREFIX = 'suitebridge:pending:';
const CONSUMED = '{"consumed":true}';

/**
 * Persists pending authorizations in a TokenStore (encrypted when it is a SqliteTokenStore), so a callback may
 * land in another process. Single use is enforced with compare-and-swap: only one taker wins.
 */
export class TokenStorePendingAuthorizationStore implements PendingAuthorizationStore {
  constructor(
    private readonly store: TokenStore,
    private readonly clock: Clock = systemClock,
  ) {}

  async put(state: string, entry: PendingAuthorization): Promise<void> {
    const key = pendingKey(state);
    const current = await this.store.get(key);
    await this.store.compareAndSwap(key, current?.version ?? null, JSON.stringify(entry));
  }

  async take(state: string): Promise<PendingAuthorization | undefined> {
    const key = pendingKey(state);
    const current = await this.store.get(key);
    if (!current || current.value === CONSUMED) return undefined;
    const won = await this.store.compareAndSwap(key, current.version, CONSUMED);
    if (!won) return undefined;
    await this.store.delete(key);
    const entry = JSON.parse(current.value) as PendingAuthorization;
    return entry.expiresAt > this.clock.now() ? entry : undefined;
  }
}

function pendingKey(state: string): string {
  return PENDING_PREFIX + createHash('sha256').update(state).digest('base64url');
}
