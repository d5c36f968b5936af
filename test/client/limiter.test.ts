import { AccountLimiters, ConcurrencyLimiter } from '../../client/src/http/limiter';
import { json, testHttp } from './_resourceFakes';

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A fetch that answers 200 one tick later and remembers the most requests it ever had in flight at once. */
function peakCountingFetch(): { fake: typeof fetch; peak: () => number } {
  let inFlight = 0;
  let peak = 0;
  const fake = (async () => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await tick();
    inFlight--;
    return json(200, {});
  }) as unknown as typeof fetch;
  return { fake, peak: () => peak };
}

describe('ConcurrencyLimiter', () => {
  it('runs at most max tasks at once, in FIFO order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) => limiter.run(async () => {
      started.push(i);
      await gate.promise;
      return i;
    }));
    await tick();
    expect(started).toEqual([0, 1]);
    expect(limiter.active).toBe(2);
    expect(limiter.waiting).toBe(2);
    gates[1]?.resolve();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    gates[3]?.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(limiter.active).toBe(0);
  });

  it('frees the slot when a task throws', async () => {
    const limiter = new ConcurrencyLimiter(1);
    await expect(limiter.run(async () => { throw new Error('x'); })).rejects.toThrow('x');
    expect(await limiter.run(async () => 'next')).toBe('next');
    expect(limiter.active).toBe(0);
  });

  it('drops a queued task whose signal aborts, without leaking its slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    const controller = new AbortController();
    const queued = limiter.run(async () => 'never', controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(queued).rejects.toThrow('cancelled');
    expect(limiter.waiting).toBe(0);
    gate.resolve();
    await first;
    expect(limiter.active).toBe(0);
  });

  it('rejects a limit below 1', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(/concurrency must be a positive integer/);
    expect(() => new ConcurrencyLimiter(2.5)).toThrow(/concurrency/);
  });

  it('shares one limiter per account, whatever the case of the ID', () => {
    const limiters = new AccountLimiters(7);
    expect(limiters.forAccount('1234567_sb1')).toBe(limiters.forAccount('1234567_SB1'));
    expect(limiters.forAccount('1234567_SB1').max).toBe(7);
    expect(limiters.forAccount('7654321')).not.toBe(limiters.forAccount('1234567_SB1'));
  });
});

describe('NetSuiteHttp concurrency', () => {
  it('keeps at most 5 requests in flight by default and releases slots while backing off', async () => {
    const { fake, peak } = peakCountingFetch();
    const { http } = testHttp(fake);
    await Promise.all(Array.from({ length: 40 }, () => http.request({ method: 'GET', url: 'https://h.example/x' })));
    expect(peak()).toBe(5);
  });

  it('honours a configured limit and a shared limiter', async () => {
    const { fake, peak } = peakCountingFetch();
    const shared = new ConcurrencyLimiter(3);
    const a = testHttp(fake, { limiter: shared }).http;
    const b = testHttp(fake, { limiter: shared }).http;
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).request({ method: 'GET', url: 'https://h.example/x' })));
    expect(peak()).toBe(3);
    expect(testHttp(fake, { concurrency: 12 }).http.limiter.max).toBe(12);
  });
});
