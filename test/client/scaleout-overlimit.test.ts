import { ManualClock } from '../../client/src/clock';
import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';
import type { ConcurrencySlots } from '../../client/src/http/accountSemaphore';

const OVER_LIMIT = JSON.stringify({ error: { code: 'SSS_REQUEST_LIMIT_EXCEEDED', message: 'Request limit exceeded' } });

/** A fetch whose answers the test releases one by one; records the peak in flight. */
function controlledFetch(firstStatus: number, firstBody: string) {
  let inFlight = 0;
  let peak = 0;
  let calls = 0;
  const pending: Array<() => void> = [];
  const fetchImpl = (async () => {
    const n = ++calls;
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise<void>((resolve) => pending.push(resolve));
    inFlight--;
    return n === 1 ? new Response(firstBody, { status: firstStatus }) : new Response('{}', { status: 200 });
  }) as unknown as typeof fetch;
  return {
    fetch: fetchImpl,
    get peak() { return peak; },
    resetPeak: () => (peak = inFlight),
    get waiting() { return pending.length; },
    releaseAll: async () => {
      while (pending.length > 0) {
        pending.shift()!();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

describe('an over-limit answer shrinks the local view of the account limit for a while', () => {
  it.each([
    ['RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED', 400, OVER_LIMIT],
    ['429', 429, '{}'],
  ])('%s: retried, then fewer requests in flight until the cooldown passes', async (_name, status, body) => {
    const clock = new ManualClock();
    const server = controlledFetch(status, body);
    const http = new NetSuiteHttp({
      accountId: '1234567', concurrency: 4, fetch: server.fetch, clock,
      retry: { sleep: async () => undefined, baseDelayMs: 1 }, overLimit: { cooldownMs: 30_000 },
    });
    const first = http.request({ method: 'GET', url: 'https://1234567.restlets.api.netsuite.com/x' });
    await flush();
    await server.releaseAll(); // the first answer is over-limit: retried
    await flush();
    expect(http.effectiveLimit).toBe(2);
    const burst = Array.from({ length: 8 }, () => http.request({ method: 'GET', url: 'https://1234567.restlets.api.netsuite.com/y' }));
    await flush();
    server.resetPeak();
    await server.releaseAll();
    await Promise.all([first, ...burst]).then((results) => expect(results.every((r) => r.status === 200)).toBe(true));
    expect(server.peak).toBeLessThanOrEqual(2);

    clock.advance(30_000);
    expect(http.effectiveLimit).toBe(4);
    const later = Array.from({ length: 8 }, () => http.request({ method: 'GET', url: 'https://1234567.restlets.api.netsuite.com/z' }));
    await flush();
    expect(server.waiting).toBe(4); // the full limit again
    await server.releaseAll();
    await Promise.all(later);
  });

  it('halves again on each over-limit answer, never below one slot', async () => {
    const clock = new ManualClock();
    const http = new NetSuiteHttp({
      accountId: '1234567', concurrency: 5, clock, retry: { maxRetries: 0 },
      fetch: (async () => new Response(OVER_LIMIT, { status: 400 })) as unknown as typeof fetch,
    });
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      await http.request({ method: 'GET', url: 'https://1234567.restlets.api.netsuite.com/x' });
      seen.push(http.effectiveLimit);
    }
    expect(seen).toEqual([2, 1, 1, 1]);
  });
});

describe('with a limiter shared across processes, an over-limit answer narrows it for all of them', () => {
  function sharedLimiter(shrink: (o: { factor: number; cooldownMs: number }) => Promise<number>): ConcurrencySlots & { asked: Array<{ factor: number; cooldownMs: number }> } {
    const asked: Array<{ factor: number; cooldownMs: number }> = [];
    return {
      max: 4,
      active: 0,
      waiting: 0,
      asked,
      run: (task) => task(),
      shrinkShared: (o) => {
        asked.push(o);
        return shrink(o);
      },
    };
  }

  it('asks the shared limiter with the configured policy, and leaves this process at the full limit', async () => {
    const limiter = sharedLimiter(async () => 2);
    let calls = 0;
    const http = new NetSuiteHttp({
      accountId: '1234567', limiter, clock: new ManualClock(), overLimit: { factor: 0.25, cooldownMs: 10_000 },
      retry: { sleep: async () => undefined, baseDelayMs: 1 },
      fetch: (async () => (++calls === 1 ? new Response(OVER_LIMIT, { status: 400 }) : new Response('{}', { status: 200 }))) as unknown as typeof fetch,
    });
    const result = await http.request({ method: 'GET', url: 'https://1234567.restlets.api.netsuite.com/x' });
    expect(result.status).toBe(200);
    expect(limiter.asked).toEqual([{ factor: 0.25, cooldownMs: 10_000 }]);
    expect(http.effectiveLimit).toBe(4);
  });

  it('narrows this process when the shared limiter cannot record it (Redis down)', async () => {
    const limiter = sharedLimiter(async () => {
      throw new Error('redis unreachable');
    });
    const http = new NetSuiteHttp({
      accountId: '1234567', limiter, clock: new ManualClock(), retry: { maxRetries: 0 },
      fetch: (async () => new Response(OVER_LIMIT, { status: 400 })) as unknown as typeof fetch,
    });
    await http.request({ method: 'GET', url: 'https://1234567.restlets.api.netsuite.com/x' });
    await flush();
    expect(limiter.asked).toHaveLength(1);
    expect(http.effectiveLimit).toBe(2);
  });
});
