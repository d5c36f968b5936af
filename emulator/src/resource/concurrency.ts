import type { FaultState } from '../faults/faultState';

/** Per-account concurrency, RESTlets and REST web services counted together (NetSuite governs by account). */
export class ConcurrencyGate {
  private readonly inFlight = new Map<string, number>();
  constructor(private readonly limitOf: (accountId: string) => number, private readonly faults: FaultState) {}

  /** Takes a slot; false when the account is at its limit (or a `concurrencyRejects` fault fires). */
  tryEnter(accountId: string): boolean {
    if (this.faults.take('concurrencyRejects')) return false;
    const current = this.inFlight.get(accountId) ?? 0;
    if (current >= this.limitOf(accountId)) return false;
    this.inFlight.set(accountId, current + 1);
    return true;
  }

  leave(accountId: string): void {
    const current = this.inFlight.get(accountId) ?? 0;
    this.inFlight.set(accountId, Math.max(0, current - 1));
  }

  current(accountId: string): number {
    return this.inFlight.get(accountId) ?? 0;
  }
}
