import type { HttpMethod } from './types';

/**
 * Hooks for a host application's metrics (the SuiteBridge service wires them to Prometheus). The client calls them
 * synchronously and ignores what they throw; they never receive a header, body, token or key.
 */
export interface ClientObserver {
  /** An access token was asked for: served from a cache (`hit`) or requested from the token endpoint (`miss`). */
  tokenCache?(event: { grant: string; outcome: 'hit' | 'miss' }): void;
  /** A NetSuite call is about to be sent again (token endpoint calls included, with the token URL). */
  retry?(event: { url: string; method: HttpMethod | 'POST'; attempt: number; reason: string; delayMs: number }): void;
  /** A request got its account concurrency slot after waiting `waitedMs` (0 when a slot was free). */
  slotWait?(event: { accountId: string; waitedMs: number }): void;
}

/** Calls one hook; a throwing observer must never fail the call it observes. */
export function notify<K extends keyof ClientObserver>(observer: ClientObserver | undefined, hook: K, event: Parameters<NonNullable<ClientObserver[K]>>[0]): void {
  const fn = observer?.[hook] as ((e: typeof event) => void) | undefined;
  if (!fn) return;
  try {
    fn.call(observer, event);
  } catch {
    // metrics only
  }
}

/** Elapsed-time clock for waits: monotonic by default, injectable in tests. */
export const monotonicClock = { now: (): number => performance.now() };
