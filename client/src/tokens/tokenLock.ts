import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import { ConfigurationError, ErrorCode } from '../errors';
import type { TokenStore } from '../store/types';

/**
 * A lock shared by every process that serves the same tenants: the one holding it may request a token for a
 * tenant; the others wait and read the result from the store. A holder that dies loses the lock after its lease.
 */
export interface TokenLock {
  /** Tries once; a held lock, or undefined when another process holds it. Throws when the backend is unreachable. */
  tryAcquire(name: string): Promise<HeldTokenLock | undefined>;
  /** How long a crashed holder keeps the lock. */
  readonly leaseMs: number;
}

export interface HeldTokenLock {
  /** Best effort: an unreachable backend leaves the lock to expire with its lease. */
  release(): Promise<void>;
}

export const DEFAULT_LOCK_LEASE_MS = 15_000;
export const LOCK_KEY_PREFIX = 'suitebridge:lock:';

interface LockRecord {
  owner: string;
  /** Local clock of the writer: hosts sharing a store must agree on time within a fraction of the lease. */
  until: number;
}

export interface StoreTokenLockOptions {
  /** Default 15000 ms; the holder extends it every leaseMs / 3 while it works. */
  leaseMs?: number;
  clock?: Clock;
}

/**
 * The lock as a row of the token store, taken and extended with compare-and-swap (works on every store:
 * SQLite, PostgreSQL, Redis, memory). The row holds the owner and the end of its lease.
 */
export class StoreTokenLock implements TokenLock {
  readonly leaseMs: number;
  private readonly clock: Clock;

  constructor(private readonly store: TokenStore, options: StoreTokenLockOptions = {}) {
    this.leaseMs = checkLease(options.leaseMs ?? DEFAULT_LOCK_LEASE_MS);
    this.clock = options.clock ?? systemClock;
  }

  async tryAcquire(name: string): Promise<HeldTokenLock | undefined> {
    const key = LOCK_KEY_PREFIX + name;
    const owner = randomUUID();
    const row = await this.store.get(key);
    const current = row ? parseRecord(row.value) : undefined;
    if (current && current.until > this.clock.now()) return undefined;
    const taken = await this.store.compareAndSwap(key, row?.version ?? null, this.record(owner));
    if (!taken) return undefined;
    let version = (row?.version ?? 0) + 1;
    let released = false;
    const extend = async (): Promise<void> => {
      if (released) return;
      const ok = await this.store.compareAndSwap(key, version, this.record(owner)).catch(() => false);
      if (ok) version++;
    };
    const timer = setInterval(() => void extend(), Math.max(1, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return {
      release: async () => {
        released = true;
        clearInterval(timer);
        // Only our own lease is ended; a lost swap means someone took over after our lease ran out.
        await this.store.compareAndSwap(key, version, JSON.stringify({ owner: '', until: 0 } satisfies LockRecord)).catch(() => false);
      },
    };
  }

  private record(owner: string): string {
    return JSON.stringify({ owner, until: this.clock.now() + this.leaseMs } satisfies LockRecord);
  }
}

function parseRecord(value: string): LockRecord | undefined {
  try {
    const parsed = JSON.parse(value) as LockRecord;
    return typeof parsed.until === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function checkLease(leaseMs: number): number {
  if (!Number.isFinite(leaseMs) || leaseMs < 10) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `leaseMs must be a number of milliseconds of at least 10, got ${String(leaseMs)}.`, {
      field: 'leaseMs',
      remedy: 'Use a lease longer than a token request takes, e.g. 15000.',
    });
  }
  return leaseMs;
}
