import Redis, { type RedisOptions } from 'ioredis';
import { Semaphore, type LockOptions } from 'redis-semaphore';
import { ConfigurationError, ErrorCode, StoreError, SuiteBridgeError, TransportError } from '../errors';

/** What NetSuiteHttp needs from a limiter; the in-process ConcurrencyLimiter has the same shape. */
export interface ConcurrencySlots {
  /** Requests this integration may have in flight in the account, across every process sharing the limiter. */
  readonly max: number;
  /** Slots this process holds now. */
  readonly active: number;
  /** Tasks of this process waiting for a slot. */
  readonly waiting: number;
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /**
   * NetSuite answered over-limit: shrink the limit for every process sharing this limiter (multiplied by `factor`,
   * back to `max` after `cooldownMs` without another such answer). Absent on limiters that are local to a process,
   * which NetSuiteHttp then narrows for this process alone. Resolves to the shrunken limit.
   */
  shrinkShared?(o: { factor: number; cooldownMs: number }): Promise<number>;
}

export { usableConcurrency } from './usableConcurrency';

export interface RedisAccountSemaphoresOptions {
  /** A `redis://` URL, ioredis options, or an ioredis client you own (not closed by `close()`). */
  redis: string | RedisOptions | Redis;
  /** Slots per account when forAccount() is given none. Default 5 (NetSuite's smallest account limit). */
  defaultLimit?: number;
  /**
   * How long a slot stays taken without its holder refreshing it: the time a crashed process's slot takes
   * to come back. Holders refresh every `leaseMs / 3`. Default 10000 ms.
   */
  leaseMs?: number;
  /** How often a waiting process re-checks its place (keeps it alive; notices slots freed by an expired lease). Default 100 ms. */
  pollIntervalMs?: number;
  /** A queued waiter not seen for this long (its process died) loses its place. Default 2000 ms. */
  waiterTimeoutMs?: number;
  /** Give up waiting for a slot after this long (a TIMEOUT error). Default: wait as long as the caller's signal allows. */
  acquireTimeoutMs?: number;
  /** Prefix of the Redis keys and channel, so several deployments can share one Redis. Default `suitebridge:`. */
  namespace?: string;
  /** Called when a holder could not refresh its lease in time (e.g. Redis unreachable for longer than leaseMs). */
  onLeaseLost?: (accountId: string) => void;
}

// Scores are Redis server time (ms), so hosts with skewed clocks agree on lease expiry.
const SERVER_NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

// The limit in force: the configured one, or less while an over-limit answer from NetSuite shrank it (key expires).
const EFFECTIVE_LIMIT = `
local function effectiveLimit(configured, shrunkKey)
  local shrunk = tonumber(redis.call('GET', shrunkKey))
  if shrunk and shrunk < configured then return shrunk end
  return configured
end`;

// KEYS: holders, queue, seen, ticket counter, shrunk limit. ARGV: limit, identifier, leaseMs, waiterTimeoutMs.
// Returns 1 when the slot is taken, else 0. A waiter keeps its ticket across polls (FIFO); a waiter whose
// process stopped polling is dropped after waiterTimeoutMs, a holder that stopped refreshing after leaseMs.
const ACQUIRE = `${SERVER_NOW}${EFFECTIVE_LIMIT}
local limit = effectiveLimit(tonumber(ARGV[1]), KEYS[5])
local id = ARGV[2]
local lease = tonumber(ARGV[3])
local waiterTimeout = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - lease)
if redis.call('ZSCORE', KEYS[1], id) then
  redis.call('ZADD', KEYS[1], now, id)
  return 1
end
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - waiterTimeout)
for _, gone in ipairs(stale) do
  redis.call('ZREM', KEYS[2], gone)
  redis.call('ZREM', KEYS[3], gone)
end
if not redis.call('ZSCORE', KEYS[2], id) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[4]), id)
end
redis.call('ZADD', KEYS[3], now, id)
redis.call('PEXPIRE', KEYS[2], waiterTimeout)
redis.call('PEXPIRE', KEYS[3], waiterTimeout)
redis.call('PEXPIRE', KEYS[4], waiterTimeout)
local free = limit - redis.call('ZCARD', KEYS[1])
if free > 0 and redis.call('ZRANK', KEYS[2], id) < free then
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], lease)
  return 1
end
return 0`;

// KEYS: holders. ARGV: identifier, leaseMs.
const REFRESH = `${SERVER_NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0`;

// KEYS: holders, queue, seen, shrunk limit. ARGV: identifier, release channel, limit, leaseMs, waiterTimeoutMs.
// Leaves slot and queue, then hands every free slot to the oldest live waiters at once (no extra round trip
// for them): they become holders that must confirm within waiterTimeoutMs. Publishes and returns their ids.
const LEAVE = `${SERVER_NOW}${EFFECTIVE_LIMIT}
local lease = tonumber(ARGV[4])
local waiterTimeout = tonumber(ARGV[5])
local removed = redis.call('ZREM', KEYS[1], ARGV[1]) + redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - lease)
local promoted = {}
local free = effectiveLimit(tonumber(ARGV[3]), KEYS[4]) - redis.call('ZCARD', KEYS[1])
while free > 0 do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if not head then break end
  redis.call('ZREM', KEYS[2], head)
  local seen = tonumber(redis.call('ZSCORE', KEYS[3], head))
  redis.call('ZREM', KEYS[3], head)
  if seen and seen > now - waiterTimeout then
    redis.call('ZADD', KEYS[1], now - lease + waiterTimeout, head)
    table.insert(promoted, head)
    free = free - 1
  end
end
if #promoted > 0 then redis.call('PEXPIRE', KEYS[1], lease) end
if removed > 0 or #promoted > 0 then redis.call('PUBLISH', ARGV[2], table.concat(promoted, ' ')) end
return promoted`;

// KEYS: shrunk limit. ARGV: configured limit, factor, cooldownMs, settleMs. Shrinks every process's view of the
// account limit for cooldownMs. Answers within settleMs of the last shrink belong to the same burst: they extend
// the cooldown without shrinking again, so one burst does not take the limit down to 1.
const SHRINK = `
local cooldown = tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[1]))
local value
if current and redis.call('PTTL', KEYS[1]) > cooldown - tonumber(ARGV[4]) then
  value = current
else
  value = math.max(1, math.floor((current or tonumber(ARGV[1])) * tonumber(ARGV[2])))
end
redis.call('SET', KEYS[1], value, 'PX', cooldown)
return value`;

interface SemaphoreCommands {
  sbrSlotAcquire(holders: string, queue: string, seen: string, ticket: string, shrunk: string, limit: number, id: string, leaseMs: number, waiterTimeoutMs: number): Promise<number>;
  sbrSlotRefresh(holders: string, id: string, leaseMs: number): Promise<number>;
  sbrLimitShrink(shrunk: string, limit: number, factor: number, cooldownMs: number, settleMs: number): Promise<number>;
  sbrSlotLeave(holders: string, queue: string, seen: string, shrunk: string, id: string, channel: string, limit: number, leaseMs: number, waiterTimeoutMs: number): Promise<string[]>;
}

interface AccountKeys {
  holders: string;
  queue: string;
  seen: string;
  ticket: string;
  channel: string;
  shrunk: string;
}

/** Redis clients shared by every account's semaphore: one for commands, one subscribed to hand-over notices. */
class SemaphoreConnection {
  readonly commands: Redis;
  private subscriber: Redis | undefined;
  private subscribed = new Map<string, Promise<unknown>>();
  /** Waiting slots of this process by identifier, told directly when a releaser hands them a slot. */
  private readonly promotions = new Map<string, () => void>();

  constructor(readonly client: Redis, private readonly ownsClient: boolean) {
    this.commands = client;
    client.defineCommand('sbrSlotAcquire', { numberOfKeys: 5, lua: ACQUIRE });
    client.defineCommand('sbrSlotRefresh', { numberOfKeys: 1, lua: REFRESH });
    client.defineCommand('sbrSlotLeave', { numberOfKeys: 4, lua: LEAVE });
    client.defineCommand('sbrLimitShrink', { numberOfKeys: 1, lua: SHRINK });
    // ioredis reports reconnect failures as events; calls meanwhile fail with a StoreError instead.
    if (ownsClient) client.on('error', () => undefined);
  }

  lua(): SemaphoreCommands {
    return this.commands as unknown as SemaphoreCommands;
  }

  /** Resolves when a releaser (in any process) hands the slot `identifier` waits for to it. */
  awaitPromotion(identifier: string): { promise: Promise<void>; cancel(): void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.promotions.set(identifier, resolve);
    return { promise, cancel: () => this.promotions.delete(identifier) };
  }

  deliverPromotions(identifiers: readonly string[]): void {
    for (const identifier of identifiers) this.promotions.get(identifier)?.();
  }

  async subscribe(channel: string): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = this.client.duplicate();
      this.subscriber.on('error', () => undefined);
      this.subscriber.on('message', (_channel: string, message: string) => {
        if (message) this.deliverPromotions(message.split(' '));
      });
    }
    let done = this.subscribed.get(channel);
    if (!done) {
      done = this.subscriber.subscribe(channel);
      this.subscribed.set(channel, done);
      done.catch(() => this.subscribed.delete(channel));
    }
    await done;
  }

  describeServer(): string {
    const o = this.client.options;
    return o.path ? o.path : `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
  }

  async close(): Promise<void> {
    const quit = async (client: Redis): Promise<void> => {
      if (client.status !== 'end') await client.quit().catch(() => client.disconnect());
    };
    if (this.subscriber) await quit(this.subscriber);
    if (this.ownsClient) await quit(this.client);
  }
}

interface SlotTiming {
  leaseMs: number;
  pollIntervalMs: number;
  waiterTimeoutMs: number;
  acquireTimeoutMs: number;
}

/**
 * One slot of an account, as a redis-semaphore lock: the library's lifecycle (identifier, lease refresh timer,
 * lost-lease callback) with our own Lua. The library's acquire is a polling race (every waiter retries every
 * few ms and whoever polls first after a release wins, so order is not guaranteed and a waiter can lose many
 * rounds) and scores leases with each host's clock. Here waiters hold a ticket (FIFO across processes), a
 * releaser hands its slot to the oldest live ticket in the same Lua call and names it in a published notice (no
 * herd of retries), and leases use Redis server time.
 */
class AccountSlot extends Semaphore {
  private refreshedAt = 0;
  constructor(
    private readonly connection: SemaphoreConnection,
    private readonly keys: AccountKeys,
    limit: number,
    private readonly timing: SlotTiming,
    options: LockOptions,
  ) {
    super(connection.commands, keys.holders, limit, options);
    this._key = keys.holders;
  }

  protected override async _acquire(abortSignal?: AbortSignal): Promise<boolean> {
    const { leaseMs, pollIntervalMs, waiterTimeoutMs, acquireTimeoutMs } = this.timing;
    const deadline = Date.now() + acquireTimeoutMs;
    const k = this.keys;
    const promotion = this.connection.awaitPromotion(this._identifier);
    let promoted = false;
    void promotion.promise.then(() => (promoted = true));
    try {
      await this.connection.subscribe(k.channel);
      for (;;) {
        abortSignal?.throwIfAborted();
        let taken: unknown = 1;
        if (!promoted) {
          const poll = this.connection.lua().sbrSlotAcquire(k.holders, k.queue, k.seen, k.ticket, k.shrunk, this._limit, this._identifier, leaseMs, waiterTimeoutMs);
          // A slot handed over while our poll is on the wire is ours at once; the poll's answer no longer matters.
          poll.catch(() => undefined);
          taken = await Promise.race([poll, promotion.promise.then(() => 1)]);
        }
        if (Number(taken) === 1 || promoted) {
          this.refreshedAt = Date.now();
          // A slot handed over by a releaser must be confirmed within waiterTimeoutMs; the task need not wait for it.
          if (promoted) void this._refresh();
          return true;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          await this.leave();
          return false;
        }
        // A releaser hands the slot over by name (no thundering herd); polling keeps our place alive and notices
        // slots freed by an expired lease.
        await Promise.race([promotion.promise, delay(Math.min(pollIntervalMs, left), abortSignal)]);
      }
    } catch (err) {
      // Aborted or Redis failed: give up our place in the queue or a slot handed to us (best effort; both also expire).
      await this.leave().catch(() => undefined);
      throw err;
    } finally {
      promotion.cancel();
    }
  }

  protected override async _refresh(): Promise<boolean> {
    try {
      const kept = Number(await this.connection.lua().sbrSlotRefresh(this.keys.holders, this._identifier, this.timing.leaseMs)) === 1;
      if (kept) this.refreshedAt = Date.now();
      return kept;
    } catch {
      // Redis unreachable for a moment: the slot is still ours until the lease would have run out. (The library
      // calls this from a timer without a catch; a throw here would be an unhandled rejection.)
      return Date.now() - this.refreshedAt < this.timing.leaseMs;
    }
  }

  protected override async _release(): Promise<void> {
    await this.leave();
  }

  private async leave(): Promise<void> {
    const k = this.keys;
    const promoted = await this.connection.lua().sbrSlotLeave(k.holders, k.queue, k.seen, k.shrunk, this._identifier, k.channel, this._limit, this.timing.leaseMs, this.timing.waiterTimeoutMs);
    // Waiters of this process learn it now rather than through the published message.
    if (Array.isArray(promoted)) this.connection.deliverPromotions(promoted);
  }
}

interface Waiter {
  resolve: (slot: AccountSlot) => void;
  reject: (err: unknown) => void;
  done: boolean;
}

/** A FIFO with a moving head: O(1) push and shift even with many thousands queued. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  push(item: T): void {
    this.items.push(item);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * NetSuite's concurrency limit for one account, shared by every process and host that uses the same Redis.
 * Slots are leases (a crashed holder's slot comes back after `leaseMs`); waiting processes are served in
 * ticket order, so none starves. Inside a process, tasks wait in FIFO order and one of them at a time holds
 * a place in the shared queue.
 */
export class RedisAccountSemaphore implements ConcurrencySlots {
  readonly max: number;
  /** Leases that expired while their task still ran (Redis unreachable or the process stalled for leaseMs). */
  leasesLost = 0;
  private held = 0;
  private queued = 0;
  private readonly queue = new Fifo<Waiter>();
  /** Places this process holds in the shared queue right now (one per waiting task, at most `max`). */
  private readonly acquiring: AbortController[] = [];
  private closed = false;

  /** @internal use RedisAccountSemaphores.forAccount() */
  constructor(
    readonly accountId: string,
    limit: number,
    private readonly connection: SemaphoreConnection,
    private readonly keys: AccountKeys,
    private readonly timing: SlotTiming,
    private readonly onLeaseLost: ((accountId: string) => void) | undefined,
  ) {
    this.max = limit;
  }

  get active(): number {
    return this.held;
  }

  get waiting(): number {
    return this.queued;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.closed) throw closedError();
    const slot = await this.take(signal);
    try {
      return await task();
    } finally {
      this.held--;
      // The answer is already in hand: handing the slot back need not delay the caller.
      slot.release().catch(() => undefined);
    }
  }

  /** Slots taken and places queued in Redis for this account by every process, and the limit in force (for operators and tests). */
  async inspect(): Promise<{ holders: number; queued: number; limit: number }> {
    const [holders, queued, shrunk] = await Promise.all([
      this.connection.commands.zcard(this.keys.holders),
      this.connection.commands.zcard(this.keys.queue),
      this.connection.commands.get(this.keys.shrunk),
    ]);
    return { holders, queued, limit: shrunk === null ? this.max : Math.min(this.max, Number(shrunk)) };
  }

  async shrinkShared(o: { factor: number; cooldownMs: number }): Promise<number> {
    if (!(o.factor > 0 && o.factor <= 1) || !(o.cooldownMs > 0)) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `shrinkShared needs 0 < factor <= 1 and cooldownMs > 0, got ${String(o.factor)} and ${String(o.cooldownMs)}.`, { field: 'overLimit' });
    }
    const cooldownMs = Math.ceil(o.cooldownMs);
    // Over-limit answers less than a second apart come from the same burst of requests.
    const settleMs = Math.min(1000, cooldownMs);
    try {
      return Number(await this.connection.lua().sbrLimitShrink(this.keys.shrunk, this.max, o.factor, cooldownMs, settleMs));
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** @internal */
  shutdown(): void {
    this.closed = true;
    for (const controller of this.acquiring.splice(0)) controller.abort(closedError());
    for (let waiter = this.queue.shift(); waiter; waiter = this.queue.shift()) this.settle(waiter, closedError());
  }

  private take(signal?: AbortSignal): Promise<AccountSlot> {
    return new Promise<AccountSlot>((resolve, reject) => {
      const onAbort = (): void => {
        if (this.settle(waiter, signal?.reason)) this.dropSurplusPlaces();
      };
      const waiter: Waiter = {
        resolve: (slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
        done: false,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
      this.queued++;
      this.fill();
    });
  }

  /** Settles a waiter once; returns false when it was already settled. */
  private settle(waiter: Waiter, error: unknown, slot?: AccountSlot): boolean {
    if (waiter.done) return false;
    waiter.done = true;
    this.queued--;
    if (slot) waiter.resolve(slot);
    else waiter.reject(error);
    return true;
  }

  /** A task gave up: give up as many of our places in the shared queue, newest first. */
  private dropSurplusPlaces(): void {
    while (this.acquiring.length > this.queued) this.acquiring.pop()!.abort();
  }

  private nextWaiter(): Waiter | undefined {
    for (let waiter = this.queue.shift(); waiter; waiter = this.queue.shift()) if (!waiter.done) return waiter;
    return undefined;
  }

  /**
   * Keeps one place in the shared queue per waiting task (at most `max`), so several slots freed at once are
   * taken in parallel; each slot obtained goes to the oldest waiting task.
   */
  private fill(): void {
    while (!this.closed && this.acquiring.length < Math.min(this.queued, this.max)) void this.acquireOne();
  }

  private async acquireOne(): Promise<void> {
    const controller = new AbortController();
    this.acquiring.push(controller);
    const slot = new AccountSlot(this.connection, this.keys, this.max, this.timing, {
      lockTimeout: this.timing.leaseMs,
      refreshInterval: Math.max(1, Math.floor(this.timing.leaseMs / 3)),
      acquireTimeout: this.timing.acquireTimeoutMs,
      onLockLost: () => {
        this.leasesLost++;
        this.onLeaseLost?.(this.accountId);
      },
    });
    let failure: unknown;
    try {
      await slot.acquire(controller.signal);
    } catch (err) {
      failure = err;
    }
    const index = this.acquiring.indexOf(controller);
    if (index >= 0) this.acquiring.splice(index, 1);
    if (failure !== undefined) {
      if (!controller.signal.aborted) {
        // Redis failed: every task waiting now would meet the same failure; tell them at once.
        const error = this.translate(failure);
        for (let waiter = this.nextWaiter(); waiter; waiter = this.nextWaiter()) this.settle(waiter, error);
      }
    } else {
      const waiter = this.nextWaiter();
      if (waiter) {
        this.held++;
        this.settle(waiter, undefined, slot);
      } else {
        slot.release().catch(() => undefined);
      }
    }
    this.fill();
  }

  private translate(err: unknown): SuiteBridgeError {
    if (err instanceof SuiteBridgeError) return err;
    if ((err as { name?: unknown }).name === 'TimeoutError') {
      return new TransportError(ErrorCode.TIMEOUT, `Waited ${this.timing.acquireTimeoutMs} ms for one of the ${this.max} concurrency slots of NetSuite account ${this.accountId}; no request was sent.`, {
        cause: err,
        remedy: 'Other processes held every slot that long: raise acquireTimeoutMs, lower the load, or check for long requests.',
      });
    }
    const code = (err as { code?: unknown }).code;
    return new StoreError(ErrorCode.STORE_ERROR, `Could not take a concurrency slot for NetSuite account ${this.accountId}: Redis at ${this.connection.describeServer()} is unreachable or refused the command${typeof code === 'string' ? ` (${code})` : ''}; no request was sent.`, {
      cause: err,
      remedy: 'Check that Redis is running and reachable (and its ACL allows EVAL, ZADD, PUBLISH, SUBSCRIBE); calls resume once it is back.',
    });
  }
}

/**
 * Account-wide concurrency on Redis: `forAccount(accountId, limit)` gives the same semaphore for the same
 * account (ID case-insensitive), like AccountLimiters does inside one process. Every process that talks to
 * an account must use the same Redis, namespace and limit.
 */
export class RedisAccountSemaphores {
  private readonly connection: SemaphoreConnection;
  private readonly semaphores = new Map<string, RedisAccountSemaphore>();
  private readonly defaultLimit: number;
  private readonly timing: SlotTiming;
  private readonly namespace: string;
  private readonly onLeaseLost: ((accountId: string) => void) | undefined;

  constructor(options: RedisAccountSemaphoresOptions) {
    if (options == null || options.redis == null) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'RedisAccountSemaphores needs a Redis connection: { redis: "redis://host:6379" }.', { field: 'redis' });
    }
    this.defaultLimit = checkLimit(options.defaultLimit ?? 5, 'defaultLimit');
    const positive = (value: number | undefined, fallback: number, field: string): number => {
      const v = value ?? fallback;
      if (!(typeof v === 'number' && v > 0)) {
        throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must be a positive number of milliseconds, got ${String(v)}.`, { field });
      }
      return v;
    };
    this.timing = {
      leaseMs: Math.floor(positive(options.leaseMs, 10_000, 'leaseMs')),
      pollIntervalMs: positive(options.pollIntervalMs, 100, 'pollIntervalMs'),
      waiterTimeoutMs: Math.floor(positive(options.waiterTimeoutMs, 2000, 'waiterTimeoutMs')),
      acquireTimeoutMs: positive(options.acquireTimeoutMs, Number.POSITIVE_INFINITY, 'acquireTimeoutMs'),
    };
    if (this.timing.waiterTimeoutMs < this.timing.pollIntervalMs * 3) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'waiterTimeoutMs must be at least 3 × pollIntervalMs, or live waiters lose their place.', { field: 'waiterTimeoutMs' });
    }
    this.namespace = options.namespace ?? 'suitebridge:';
    this.onLeaseLost = options.onLeaseLost;
    if (options.redis instanceof Redis) {
      this.connection = new SemaphoreConnection(options.redis, false);
    } else {
      const base: RedisOptions = { maxRetriesPerRequest: 1 };
      const client = typeof options.redis === 'string' ? new Redis(options.redis, base) : new Redis({ ...base, ...options.redis });
      this.connection = new SemaphoreConnection(client, true);
    }
  }

  forAccount(accountId: string, limit: number = this.defaultLimit): RedisAccountSemaphore {
    if (typeof accountId !== 'string' || accountId.trim() === '') {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'forAccount() needs the NetSuite account ID.', { field: 'accountId' });
    }
    const account = accountId.trim().toUpperCase();
    const existing = this.semaphores.get(account);
    if (existing) return existing;
    // A hash tag keeps an account's keys in one Redis Cluster slot, as its Lua scripts require.
    const base = `${this.namespace}semaphore:{${account}}`;
    const keys: AccountKeys = {
      holders: `${base}:holders`,
      queue: `${base}:queue`,
      seen: `${base}:seen`,
      ticket: `${base}:ticket`,
      channel: `${base}:released`,
      shrunk: `${base}:shrunk`,
    };
    const semaphore = new RedisAccountSemaphore(account, checkLimit(limit, 'limit'), this.connection, keys, this.timing, this.onLeaseLost);
    this.semaphores.set(account, semaphore);
    return semaphore;
  }

  /** Rejects waiting tasks and closes the Redis connections this object opened. Running tasks keep their slot until they end. */
  async close(): Promise<void> {
    for (const semaphore of this.semaphores.values()) semaphore.shutdown();
    await this.connection.close();
  }
}

function checkLimit(limit: number, field: string): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must be a positive integer, got ${String(limit)}.`, {
      field,
      remedy: 'Use usableConcurrency(accountLimit, keepFreeShare) with the account limit from Integration Governance.',
    });
  }
  return limit;
}

function closedError(): StoreError {
  return new StoreError(ErrorCode.STORE_ERROR, 'The account semaphore is closed.', { remedy: 'Create a new RedisAccountSemaphores.' });
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
