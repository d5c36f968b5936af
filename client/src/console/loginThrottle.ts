import type { Clock } from './session';

export const MAX_FAILED_SIGN_INS = 5;
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

/**
 * Bounds password guessing: at most `maxFailures` failed sign-ins in any `windowMs`, for the whole console
 * (on loopback every local process shares one address, so a per-address count would protect nothing).
 * An attempt counts as a failure from the moment it starts, so parallel guesses cannot slip past the limit
 * while their hashes are computed; a success takes its own attempt back.
 */
export class LoginThrottle {
  private failures: number[] = [];

  constructor(private readonly clock: Clock, private readonly maxFailures = MAX_FAILED_SIGN_INS, private readonly windowMs = SIGN_IN_WINDOW_MS) {}

  /** Reserves an attempt, or says how long to wait. */
  begin(): { allowed: true; attempt: number } | { allowed: false; retryAfterSeconds: number } {
    const now = this.clock.now();
    this.failures = this.failures.filter((at) => now - at < this.windowMs);
    if (this.failures.length >= this.maxFailures) {
      const oldest = this.failures[0] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)) };
    }
    this.failures.push(now);
    return { allowed: true, attempt: now };
  }

  /** The attempt succeeded: it does not count against the limit. */
  succeeded(attempt: number): void {
    const index = this.failures.indexOf(attempt);
    if (index >= 0) this.failures.splice(index, 1);
  }
}
