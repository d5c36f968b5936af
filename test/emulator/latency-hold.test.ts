/** RESTlet latency: a call holds its slot for latencyMs in all, the script's own run included. */
import { holdSlot } from '../../emulator/src/faults/latency';

function busyFor(ms: number): Promise<string> {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* the script's CPU time */ }
  return Promise.resolve('answer');
}

describe('holdSlot', () => {
  it('waits only for what the script\'s run left of latencyMs', async () => {
    const waits: number[] = [];
    const result = await holdSlot({ latencyMs: 200 }, () => busyFor(30), async (ms) => void waits.push(ms));
    expect(result).toBe('answer');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(170);
  });

  it('adds nothing to a script that ran longer than latencyMs, and nothing at latency 0', async () => {
    const waits: number[] = [];
    await holdSlot({ latencyMs: 20 }, () => busyFor(25), async (ms) => void waits.push(ms));
    await holdSlot({ latencyMs: 0 }, () => busyFor(1), async (ms) => void waits.push(ms));
    expect(waits).toEqual([]);
  });
});
