import type { Clock } from '../clock';
import { ConfigurationError, ErrorCode } from '../errors';

export interface OverLimitOptions {
  /** How long the shrunken view lasts after the last over-limit answer. Default 30000 ms. */
  cooldownMs?: number;
  /** Each over-limit answer multiplies the local view by this (at least 1 slot stays). Default 0.5. */
  factor?: number;
}

interface Waiter {
  resolve: () => void;
  cancelled: boolean;
}

/**
 * NetSuite is the authority on the account limit: when it answers over-limit (429, or a RESTlet's 400
 * SSS_REQUEST_LIMIT_EXCEEDED) although our limiter allowed the request, someone else uses slots we counted as
 * free (another integration, a process without the shared semaphore). This gate then lets fewer requests of this
 * process through, halving per answer, and returns to the full limit once `cooldownMs` passes without one.
 * It sits in front of the shared limiter and costs one comparison while nothing is over the limit.
 */
export class OverLimitGate {
  private readonly cooldownMs: number;
  private readonly factor: number;
  private view: number;
  private shrunkUntil = 0;
  private running = 0;
  private queue: Waiter[] = [];
  private head = 0;

  constructor(private readonly fullLimit: () => number, private readonly clock: Clock, options: OverLimitOptions = {}) {
    this.cooldownMs = checkNumber(options.cooldownMs ?? 30_000, 'overLimit.cooldownMs', 0, Infinity);
    this.factor = checkNumber(options.factor ?? 0.5, 'overLimit.factor', 0, 1);
    this.view = fullLimit();
  }

  /** How an over-limit answer narrows the limit: the same policy applies when a shared limiter narrows it for every process. */
  get policy(): { factor: number; cooldownMs: number } {
    return { factor: this.factor, cooldownMs: this.cooldownMs };
  }

  /** The requests this process lets through now (the full limit unless NetSuite recently said over-limit). */
  get limit(): number {
    if (this.shrunkUntil !== 0 && this.clock.now() >= this.shrunkUntil) {
      this.shrunkUntil = 0;
      this.view = this.fullLimit();
      this.wake();
    }
    return this.shrunkUntil === 0 ? this.fullLimit() : this.view;
  }

  /** Called for every over-limit answer. */
  shrink(): void {
    const current = this.limit;
    this.view = Math.max(1, Math.floor(current * this.factor));
    this.shrunkUntil = this.clock.now() + this.cooldownMs;
  }

  /** Resolves true when the request had to queue (metrics time the wait), false when it went straight through. */
  async enter(signal?: AbortSignal): Promise<boolean> {
    if (this.running < this.limit && this.head === this.queue.length) {
      this.running++;
      return false;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, cancelled: false };
      signal?.addEventListener('abort', () => {
        waiter.cancelled = true;
        reject(signal.reason);
      }, { once: true });
      this.queue.push(waiter);
      // The cooldown may end while nobody leaves: re-check then.
      if (this.shrunkUntil !== 0) setTimeout(() => void this.limit, Math.max(0, this.shrunkUntil - this.clock.now()) + 1).unref();
    });
    return true;
  }

  leave(): void {
    this.running--;
    this.wake();
  }

  private wake(): void {
    while (this.head < this.queue.length && this.running < (this.shrunkUntil === 0 ? this.fullLimit() : this.view)) {
      const next = this.queue[this.head++]!;
      if (next.cancelled) continue;
      this.running++;
      next.resolve();
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    }
  }
}

function checkNumber(value: number, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max) || (field.endsWith('factor') && value === 0)) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} is out of range: ${String(value)}.`, {
      field,
      remedy: field.endsWith('factor') ? 'Use a fraction above 0 and at most 1, e.g. 0.5.' : 'Use a number of milliseconds, e.g. 30000.',
    });
  }
  return value;
}
