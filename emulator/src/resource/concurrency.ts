import type { FaultState } from '../faults/faultState';

/** What the admin API reports per account: counted at the server, so benchmarks need not trust the client. */
export interface ConcurrencyStats {
  accountId: string;
  limit: number;
  inFlight: number;
  /** Most requests in flight at once since the last reset. */
  peakInFlight: number;
  /** Calls answered over-limit (RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED, REST 429) since the last reset, injected ones included. */
  overLimit: number;
  /** Calls that got a slot since the last reset. */
  admitted: number;
}

interface Counters {
  inFlight: number;
  peak: number;
  overLimit: number;
  admitted: number;
}

/** Per-account concurrency, RESTlets and REST web services counted together (NetSuite governs by account). */
export class ConcurrencyGate {
  private readonly accounts = new Map<string, Counters>();
  constructor(private readonly limitOf: (accountId: string) => number, private readonly faults: FaultState) {}

  /** Takes a slot; false when the account is at its limit (or a `concurrencyRejects` fault fires). */
  tryEnter(accountId: string): boolean {
    const c = this.counters(accountId);
    if (this.faults.take('concurrencyRejects') || c.inFlight >= this.limitOf(accountId)) {
      c.overLimit++;
      return false;
    }
    c.inFlight++;
    c.admitted++;
    if (c.inFlight > c.peak) c.peak = c.inFlight;
    return true;
  }

  leave(accountId: string): void {
    const c = this.counters(accountId);
    c.inFlight = Math.max(0, c.inFlight - 1);
  }

  current(accountId: string): number {
    return this.accounts.get(accountId)?.inFlight ?? 0;
  }

  /** Every account seen, or one (an unseen account reports zeros). */
  stats(accountId?: string): ConcurrencyStats[] {
    const ids = accountId !== undefined ? [accountId] : [...this.accounts.keys()].sort();
    return ids.map((id) => {
      const c = this.accounts.get(id) ?? { inFlight: 0, peak: 0, overLimit: 0, admitted: 0 };
      return { accountId: id, limit: this.limitOf(id), inFlight: c.inFlight, peakInFlight: c.peak, overLimit: c.overLimit, admitted: c.admitted };
    });
  }

  /** Starts a new measurement: peak back to what is in flight now, counts to zero. */
  reset(accountId?: string): void {
    for (const [id, c] of this.accounts) {
      if (accountId !== undefined && id !== accountId) continue;
      c.peak = c.inFlight;
      c.overLimit = 0;
      c.admitted = 0;
    }
  }

  private counters(accountId: string): Counters {
    let c = this.accounts.get(accountId);
    if (!c) {
      c = { inFlight: 0, peak: 0, overLimit: 0, admitted: 0 };
      this.accounts.set(accountId, c);
    }
    return c;
  }
}
