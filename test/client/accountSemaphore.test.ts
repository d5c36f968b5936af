import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StoreError } from '../../client/src/errors';
import { RedisAccountSemaphores, usableConcurrency, type ConcurrencySlots } from '../../client/src/http/accountSemaphore';
import { ConcurrencyLimiter } from '../../client/src/http/limiter';
import { json, testHttp } from './_resourceFakes';
import { childLines } from '../support/childLines';
import { startRedis } from '../support/redis';
import type { TestRedis } from '../../bench/redisProcess';
import { transpileClosure } from './support/transpileClosure';

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../..');
let redis: TestRedis;
let destroyRedis: () => Promise<void>;
const opened: RedisAccountSemaphores[] = [];
let accountCounter = 0;

/** A separate Redis connection per instance: as far as Redis can tell, a separate process. */
function semaphores(options: Partial<ConstructorParameters<typeof RedisAccountSemaphores>[0]> = {}): RedisAccountSemaphores {
  const s = new RedisAccountSemaphores({ redis: redis.url, ...options });
  opened.push(s);
  return s;
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolveIt!: () => void;
  const promise = new Promise<void>((r) => (resolveIt = r));
  return { promise, resolve: resolveIt };
}

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  ({ redis, destroy: destroyRedis } = await startRedis());
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await destroyRedis?.();
});

describe('usableConcurrency', () => {
  it('keeps the configured share of the account limit free for other integrations, never below 1', () => {
    expect(usableConcurrency(5)).toBe(5);
    expect(usableConcurrency(5, 0.2)).toBe(4);
    expect(usableConcurrency(5, 0.5)).toBe(2);
    expect(usableConcurrency(15, 0.1)).toBe(13);
    expect(usableConcurrency(1, 0.5)).toBe(1);
    expect(() => usableConcurrency(0)).toThrow(/accountLimit must be a positive integer/);
    expect(() => usableConcurrency(5, 1)).toThrow(/keepFreeShare/);
  });
});

describe('RedisAccountSemaphore in one process', () => {
  it('has the in-process limiter\'s shape and shares one semaphore per account, whatever the case', () => {
    const s = semaphores();
    const slots: ConcurrencySlots[] = [s.forAccount('1234567_sb1', 3), new ConcurrencyLimiter(3)];
    expect(slots.map((x) => x.max)).toEqual([3, 3]);
    expect(s.forAccount('1234567_SB1')).toBe(s.forAccount('1234567_sb1'));
    expect(() => s.forAccount('x', 0)).toThrow(/limit must be a positive integer/);
  });

  it('runs at most limit tasks at once across connections, and frees the slot when a task throws', async () => {
    const account = `A${++accountCounter}`;
    const [a, b] = [semaphores().forAccount(account, 2), semaphores().forAccount(account, 2)];
    const gates = [deferred(), deferred(), deferred()];
    const started: string[] = [];
    const runs = [a.run(async () => { started.push('a0'); await gates[0]!.promise; })];
    await until(() => started.length === 1, 'a0 to start');
    runs.push(b.run(async () => { started.push('b0'); await gates[1]!.promise; }));
    await until(() => started.length === 2, 'b0 to start');
    runs.push(a.run(async () => { started.push('a1'); await gates[2]!.promise; }));
    await until(async () => (await a.inspect()).queued === 1, 'the third task to queue in Redis');
    expect(started).toEqual(['a0', 'b0']);
    expect((await a.inspect()).holders).toBe(2);
    gates[1]!.resolve();
    await until(() => started.length === 3, 'the third task to start');
    gates[0]!.resolve();
    gates[2]!.resolve();
    await Promise.all(runs);
    await expect(b.run(async () => { throw new Error('task failed'); })).rejects.toThrow('task failed');
    await until(async () => (await a.inspect()).holders === 0, 'every slot to be released');
    expect(await b.run(async () => 'next')).toBe('next');
  });

  it('serves waiting processes in arrival order: a process that just got a slot queues behind the others', async () => {
    const account = `F${++accountCounter}`;
    const [a, b, c] = [semaphores().forAccount(account, 1), semaphores().forAccount(account, 1), semaphores().forAccount(account, 1)];
    const order: string[] = [];
    const holdA = deferred();
    const first = a.run(() => holdA.promise);
    await until(async () => (await a.inspect()).holders === 1, 'a to hold the slot');
    const runs = [
      b.run(async () => void order.push('b1')),
      b.run(async () => void order.push('b2')),
    ];
    await until(async () => (await a.inspect()).queued === 1, 'b to queue');
    runs.push(c.run(async () => void order.push('c1')));
    await until(async () => (await a.inspect()).queued === 2, 'c to queue');
    holdA.resolve();
    await Promise.all([first, ...runs]);
    expect(order).toEqual(['b1', 'c1', 'b2']);
  });

  it('a holder keeps its slot past the lease time by refreshing it', async () => {
    const account = `L${++accountCounter}`;
    const a = semaphores({ leaseMs: 600 }).forAccount(account, 1);
    const b = semaphores({ leaseMs: 600 }).forAccount(account, 1);
    const hold = deferred();
    let bStarted = false;
    const first = a.run(() => hold.promise);
    await until(async () => (await a.inspect()).holders === 1, 'a to hold the slot');
    const second = b.run(async () => void (bStarted = true));
    await new Promise((r) => setTimeout(r, 2000)); // more than three lease times
    expect(bStarted).toBe(false);
    expect(a.leasesLost).toBe(0);
    hold.resolve();
    await Promise.all([first, second]);
    expect(bStarted).toBe(true);
  });

  it('a busy process cannot starve a newcomer: it queues at most limit places ahead of it', async () => {
    const account = `S${++accountCounter}`;
    const busy = semaphores().forAccount(account, 2);
    const newcomer = semaphores().forAccount(account, 2);
    const started: string[] = [];
    const newcomerDone = deferred();
    // Every busy task holds its slot until its gate opens, and gates open one at a time: exactly one slot is free
    // at each step, so which task starts next is the order the semaphore granted, not a race between deliveries.
    const gates = Array.from({ length: 8 }, () => deferred());
    const runs = gates.map((gate, i) => busy.run(async () => {
      started.push(`busy${i}`);
      await gate.promise;
    }));
    await until(async () => (await busy.inspect()).queued === 2, 'the busy process to hold 2 slots and 2 places');
    runs.push(newcomer.run(async () => {
      started.push('newcomer');
      await newcomerDone.promise;
    }));
    await until(async () => (await busy.inspect()).queued === 3, 'the newcomer to queue');
    for (let i = 0; i < 3; i++) {
      gates[i]!.resolve();
      await until(() => started.length === 3 + i, `a task to take the slot busy${i} freed`);
    }
    // busy0 and busy1 held the slots, busy2 and busy3 were queued before the newcomer: it comes next.
    expect(started).toEqual(['busy0', 'busy1', 'busy2', 'busy3', 'newcomer']);
    newcomerDone.resolve();
    for (const gate of gates) gate.resolve();
    await Promise.all(runs);
    expect(started).toHaveLength(9);
  });

  it('an over-limit answer shrinks the limit for every process until the cooldown ends; one burst shrinks it once', async () => {
    const account = `L${++accountCounter}`;
    const a = semaphores().forAccount(account, 4);
    const b = semaphores().forAccount(account, 4);
    expect(await a.shrinkShared({ factor: 0.5, cooldownMs: 60_000 })).toBe(2);
    // Answers from the same burst (within a second) do not halve it again.
    expect(await b.shrinkShared({ factor: 0.5, cooldownMs: 60_000 })).toBe(2);
    expect((await b.inspect()).limit).toBe(2);
    const gates = [deferred(), deferred()];
    const started: string[] = [];
    const held = gates.map((gate, i) => b.run(async () => {
      started.push(`b${i}`);
      await gate.promise;
    }));
    await until(async () => (await a.inspect()).holders === 2, 'b to hold the 2 slots left');
    const third = a.run(async () => void started.push('a'));
    await until(async () => (await a.inspect()).queued === 1, 'a to queue behind the shrunken limit');
    expect(started).toEqual(['b0', 'b1']);
    gates[0]!.resolve();
    await third;
    expect(started).toEqual(['b0', 'b1', 'a']);
    gates[1]!.resolve();
    await Promise.all(held);
  });

  it('the shrunken limit comes back once the cooldown passes without another over-limit answer', async () => {
    const account = `C${++accountCounter}`;
    const a = semaphores().forAccount(account, 3);
    expect(await a.shrinkShared({ factor: 0.5, cooldownMs: 200 })).toBe(1);
    await until(async () => (await a.inspect()).limit === 3, 'the cooldown to end');
    const gates = [deferred(), deferred(), deferred()];
    const running = gates.map((gate) => a.run(() => gate.promise));
    await until(async () => (await a.inspect()).holders === 3, 'all 3 slots to be usable again');
    for (const gate of gates) gate.resolve();
    await Promise.all(running);
    await expect(a.shrinkShared({ factor: 0, cooldownMs: 100 })).rejects.toThrow(/factor/);
  });

  it('a holder that cannot refresh for longer than its lease counts it as lost, without an unhandled rejection', async () => {
    const lost: string[] = [];
    const account = `R${++accountCounter}`;
    const s = semaphores({ leaseMs: 300, onLeaseLost: (id) => lost.push(id) }).forAccount(account, 1);
    const hold = deferred();
    const running = s.run(() => hold.promise);
    await until(async () => (await s.inspect()).holders === 1, 'the slot to be taken');
    await redis.stop();
    try {
      await until(() => s.leasesLost === 1, 'the lease to be counted as lost');
    } finally {
      await redis.start();
    }
    expect(lost).toEqual([account]);
    hold.resolve();
    await running;
    let after: unknown;
    await until(async () => (after = await s.run(async () => 'after').catch(() => undefined)) === 'after', 'a call after Redis is back');
  });

  it('a task aborted while waiting leaves the queue without taking or leaking a slot', async () => {
    const account = `X${++accountCounter}`;
    const a = semaphores().forAccount(account, 1);
    const b = semaphores().forAccount(account, 1);
    const hold = deferred();
    const first = a.run(() => hold.promise);
    await until(async () => (await a.inspect()).holders === 1, 'a to hold the slot');
    const controller = new AbortController();
    const queued = b.run(async () => 'never', controller.signal);
    await until(async () => (await a.inspect()).queued === 1, 'b to queue');
    controller.abort(new Error('caller gave up'));
    await expect(queued).rejects.toThrow('caller gave up');
    expect(b.waiting).toBe(0);
    await until(async () => (await a.inspect()).queued === 0, 'b to leave the Redis queue');
    hold.resolve();
    await first;
    expect(await b.run(async () => 'after')).toBe('after');
  });

  it('Redis down: calls fail clearly naming Redis, and work again once it is back', async () => {
    const account = `D${++accountCounter}`;
    const s = semaphores().forAccount(account, 2);
    expect(await s.run(async () => 'before')).toBe('before');
    await redis.stop();
    try {
      const failure = await s.run(async () => 'during').then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(StoreError);
      expect((failure as StoreError).message).toContain(`Redis at 127.0.0.1:${redis.port}`);
      expect((failure as StoreError).message).toMatch(/no request was sent/);
    } finally {
      await redis.start();
    }
    let after: unknown;
    await until(async () => (after = await s.run(async () => 'after').catch(() => undefined)) === 'after', 'a call after Redis is back');
    expect(after).toBe('after');
  });
});

describe('NetSuiteHttp with the Redis account semaphore', () => {
  it('two clients on separate Redis connections share the account limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const fake = (async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return json(200, {});
    }) as unknown as typeof fetch;
    const account = `H${++accountCounter}`;
    const a = testHttp(fake, { limiter: semaphores().forAccount(account, 3) }).http;
    const b = testHttp(fake, { limiter: semaphores().forAccount(account, 3) }).http;
    await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).request({ method: 'GET', url: 'https://h.example/x' })));
    expect(peak).toBe(3);
    expect(a.limiter.max).toBe(3);
  });
});

/** Counts requests in flight at the server, the peak, and who was served in which order. */
class CountingServer {
  inFlight = 0;
  peak = 0;
  order: string[] = [];
  firstAt: number | undefined;
  lastAt = 0;
  server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    this.firstAt ??= Date.now();
    this.order.push(url.searchParams.get('proc') ?? '?');
    setTimeout(() => {
      this.inFlight--;
      this.lastAt = Date.now();
      res.end('ok');
    }, 15);
  });
  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

describe('RedisAccountSemaphore across real processes', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-sem-'));
    transpileClosure([join(REPO, 'client/src/http/accountSemaphore.ts')], join(REPO, 'client/src'), join(dir, 'lib'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function child(serverUrl: string, name: string, mode: 'work' | 'hold', tasks: number, limit: number, leaseMs: number): ChildProcessWithoutNullStreams {
    return spawn(process.execPath, [
      join(REPO, 'test/support/accountSemaphoreChild.js'), join(dir, 'lib'), redis.url, serverUrl, name, mode, String(tasks), String(limit), String(leaseMs),
    ], { env: { ...process.env, NODE_PATH: join(REPO, 'node_modules') } });
  }

  it('4 processes × 40 tasks with limit 5: never more than 5 in flight at the server, and no process starves', async () => {
    const server = new CountingServer();
    const url = await server.listen();
    try {
      const children = ['p0', 'p1', 'p2', 'p3'].map((name) => child(url, name, 'work', 40, 5, 10_000));
      const lines = children.map(childLines);
      await Promise.all(lines.map((l) => l.next())); // each process is loaded and connected
      for (const c of children) c.stdin.write('go\n');
      const results = (await Promise.all(lines.map((l) => l.next()))).map((line) => JSON.parse(line));
      for (const result of results) expect(result).toMatchObject({ done: 40, errors: [], leasesLost: 0 });
      expect(server.order).toHaveLength(160);
      expect(server.peak).toBeLessThanOrEqual(5);
      expect(server.peak).toBe(5);
      // Served in turn: by the time half the work is done, every process has had a fair part of it (15 of 20 would be equal shares).
      const firstHalf = server.order.slice(0, 80);
      for (const name of ['p0', 'p1', 'p2', 'p3']) expect({ name, served: firstHalf.filter((p) => p === name).length >= 10 }).toEqual({ name, served: true });
      const ideal = (160 * 15) / 5;
      console.info(`account semaphore, 4 processes: peak in flight ${server.peak}/5; wall/ideal ${((server.lastAt - server.firstAt!) / ideal).toFixed(2)} (not asserted); first-half share ${['p0', 'p1', 'p2', 'p3'].map((n) => firstHalf.filter((p) => p === n).length).join('/')}`);
    } finally {
      await server.close();
    }
  });

  it('a process killed with SIGKILL while holding a slot: the others proceed once its lease runs out, no deadlock', async () => {
    const server = new CountingServer();
    const url = await server.listen();
    const leaseMs = 1500;
    try {
      const holder = child(url, 'holder', 'hold', 0, 1, leaseMs);
      expect(await childLines(holder).next()).toBe('holding');
      const workers = ['w0', 'w1'].map((name) => child(url, name, 'work', 5, 1, leaseMs));
      const lines = workers.map(childLines);
      await Promise.all(lines.map((l) => l.next()));
      for (const w of workers) w.stdin.write('go\n');
      const probe = semaphores().forAccount('1234567_SB1', 1);
      await until(async () => (await probe.inspect()).queued === 2, 'both workers to queue behind the holder');
      const killedAt = Date.now();
      holder.kill('SIGKILL');
      const results = (await Promise.all(lines.map((l) => l.next()))).map((line) => JSON.parse(line));
      for (const result of results) expect(result).toMatchObject({ done: 5, errors: [] });
      expect(server.peak).toBe(1);
      expect(server.order.filter((p) => p === 'holder')).toEqual([]);
      // The dead holder's slot was not handed out before its lease (last refreshed at most leaseMs/3 before the kill) ran out.
      expect(server.firstAt! - killedAt).toBeGreaterThanOrEqual(Math.floor((leaseMs * 2) / 3) - 50);
      expect(await probe.inspect()).toEqual({ holders: 0, queued: 0, limit: 1 });
    } finally {
      await server.close();
    }
  });
});
