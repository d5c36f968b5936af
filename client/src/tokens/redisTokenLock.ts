import type Redis from 'ioredis';
import { Mutex } from 'redis-semaphore';
import { ConfigurationError, ErrorCode } from '../errors';
import { checkLease, DEFAULT_LOCK_LEASE_MS, type HeldTokenLock, type TokenLock } from './tokenLock';

export interface RedisTokenLockOptions {
  /** An ioredis client you own (not closed here): the lock uses Redis server-side expiry, not host clocks. */
  redis: Redis;
  /** Default 15000 ms; refreshed every leaseMs / 3 while held. */
  leaseMs?: number;
  /** Prefix of the lock keys. Default `suitebridge:`. */
  namespace?: string;
}

/** The lock on Redis: redis-semaphore's Mutex (SET NX PX with a refreshed lease), one try per call. */
export class RedisTokenLock implements TokenLock {
  readonly leaseMs: number;
  private readonly redis: Redis;
  private readonly namespace: string;

  constructor(options: RedisTokenLockOptions) {
    if (!options || typeof options.redis?.eval !== 'function') {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'RedisTokenLock needs an ioredis client in `redis`.', {
        field: 'redis',
        remedy: 'Pass `new Redis(url)` from ioredis; the lock does not close it.',
      });
    }
    this.redis = options.redis;
    this.leaseMs = checkLease(options.leaseMs ?? DEFAULT_LOCK_LEASE_MS);
    this.namespace = options.namespace ?? 'suitebridge:';
  }

  async tryAcquire(name: string): Promise<HeldTokenLock | undefined> {
    const mutex = new TokenMutex(this.redis, `${this.namespace}lock:${name}`, {
      lockTimeout: this.leaseMs,
      refreshInterval: Math.max(1, Math.floor(this.leaseMs / 3)),
      acquireAttemptsLimit: 1,
      // A lost lease only means another process may mint too; nothing to undo here.
      onLockLost: () => undefined,
    });
    if (!(await mutex.tryAcquire())) return undefined;
    return { release: () => mutex.release().catch(() => undefined) };
  }
}

/**
 * redis-semaphore refreshes a held lock from a timer and does not catch a failed refresh: with Redis unreachable at
 * that moment the rejection went unhandled (and could end the process). A refresh that fails this way keeps the lock
 * until its lease would have run out, like the account semaphore's slots.
 */
class TokenMutex extends Mutex {
  private refreshedAt = Date.now();

  protected override async _refresh(): Promise<boolean> {
    try {
      const kept = await super._refresh();
      if (kept) this.refreshedAt = Date.now();
      return kept;
    } catch {
      return Date.now() - this.refreshedAt < this._acquireOptions.lockTimeout;
    }
  }
}
