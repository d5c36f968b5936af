import { ConfigurationError } from '../errors';

/** NetSuite's smallest account concurrency limit (Standard tier, developer accounts). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 5;

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A FIFO semaphore: at most `max` tasks run at once; the rest wait in order. */
export class ConcurrencyLimiter {
  readonly max: number;
  private running = 0;
  private readonly queue: Waiter[] = [];

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
    return this.queue.length;
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
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private release(): void {
    const next = this.queue.shift();
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
