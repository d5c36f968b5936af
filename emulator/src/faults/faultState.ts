import type { FaultsConfig } from '../config/types';

export type FaultSnapshot = Required<FaultsConfig>;

/** Faults on demand: set from the config or `PUT /__emulator/faults`; counters count down as they fire. */
export class FaultState {
  private state: FaultSnapshot;
  constructor(initial: FaultSnapshot) {
    this.state = { ...initial };
  }
  snapshot(): FaultSnapshot {
    return { ...this.state };
  }
  update(changes: FaultsConfig): FaultSnapshot {
    this.state = { ...this.state, ...changes };
    return this.snapshot();
  }
  get latencyMs(): number {
    return this.state.latencyMs;
  }
  /** True (and counts down) when this request must fire the named one-shot fault. */
  take(name: 'tokenEndpoint503' | 'dropConnections' | 'concurrencyRejects'): boolean {
    if (this.state[name] <= 0) return false;
    this.state[name] -= 1;
    return true;
  }
}
