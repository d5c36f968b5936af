import { ConfigurationError } from '../errors';

/** NetSuite's smallest account concurrency limit (Standard tier, developer accounts). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 5;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
  /** Set when the caller gave up (aborted): skipped when its turn comes, so removal costs nothing. */
  cancelled: boolean;
}

/**
 * A FIFO whose push and shift are O(1): a head index instead of Array.shift (which moves every element), with
 * the consumed prefix dropped once it is half the array.
 */
class WaiterQueue {
  private items: Waiter[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(waiter: Waiter): void {
    this.items.push(waiter);
  }

  shift(): Waiter | undefined {
    if (this.head >= this.items.length) return undefined;
    const waiter = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as Waiter;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }
}

/** A FIFO semaphore: at most `max` tasks run at once; the rest wait in order. */
export class ConcurrencyLimiter {
  readonly max: number;
  private running = 0;
  private readonly queue = new WaiterQueue();
  private cancelled = 0;

  constructor(max: number = DEFAULT_ACCOUNT_CONCURRENCY) {
    if (!Number.isInteger(max) || max < 1) {
      throw new ConfigurationError('INVALID_ARGUMENT', `concurrency must be a positive integer, got ${String(max)}`, {
        field: 'concurrency',
        remedy: 'Use the account limit from Setup > Integration > Integration Governance (5 for Standard tier).',
      });
    }
    this.max = max;
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length - this.cancelled;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    // Fast path: a free slot is taken synchronously, without a queue entry or an extra await.
    if (this.running < this.max) this.running++;
    else await this.waitForSlot(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private waitForSlot(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
        cancelled: false,
      };
      const onAbort = (): void => {
        waiter.cancelled = true;
        this.cancelled++;
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private release(): void {
    let next = this.queue.shift();
    while (next?.cancelled) {
      this.cancelled--;
      next = this.queue.shift();
    }
    // The slot passes straight to the next waiter, so `running` stays the same.
    if (next) next.resolve();
    else this.running--;
  }
}

/** One limiter per account, for processes that create several clients for the same account. */
export class AccountLimiters {
  private readonly limiters = new Map<string, ConcurrencyLimiter>();
  constructor(private readonly defaultMax: number = DEFAULT_ACCOUNT_CONCURRENCY) {}

  forAccount(accountId: string, max: number = this.defaultMax): ConcurrencyLimiter {
    const key = accountId.toUpperCase();
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(max);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
