import { FaultState } from '../../emulator/src/faults/faultState';
import { ConcurrencyGate } from '../../emulator/src/resource/concurrency';

const faults = () => new FaultState({ latencyMs: 0, tokenEndpoint503: 0, dropConnections: 0, concurrencyRejects: 0 });

describe('emulator concurrency gate: server-side counts for benchmarks', () => {
  it('records the peak in flight and every over-limit answer per account; reset starts a new measurement', () => {
    const gate = new ConcurrencyGate(() => 2, faults());
    expect(gate.tryEnter('A')).toBe(true);
    expect(gate.tryEnter('A')).toBe(true);
    expect(gate.tryEnter('A')).toBe(false);
    expect(gate.tryEnter('B')).toBe(true);
    gate.leave('A');
    expect(gate.tryEnter('A')).toBe(true);
    expect(gate.stats()).toEqual([
      { accountId: 'A', limit: 2, inFlight: 2, peakInFlight: 2, overLimit: 1, admitted: 3 },
      { accountId: 'B', limit: 2, inFlight: 1, peakInFlight: 1, overLimit: 0, admitted: 1 },
    ]);
    gate.leave('A');
    gate.reset('A');
    expect(gate.stats('A')).toEqual([{ accountId: 'A', limit: 2, inFlight: 1, peakInFlight: 1, overLimit: 0, admitted: 0 }]);
    expect(gate.stats('C')).toEqual([{ accountId: 'C', limit: 2, inFlight: 0, peakInFlight: 0, overLimit: 0, admitted: 0 }]);
  });

  it('counts an injected rejection as an over-limit answer', () => {
    const state = faults();
    state.update({ concurrencyRejects: 1 });
    const gate = new ConcurrencyGate(() => 5, state);
    expect(gate.tryEnter('A')).toBe(false);
    expect(gate.stats('A')[0]).toMatchObject({ overLimit: 1, inFlight: 0 });
  });
});
