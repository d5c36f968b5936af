import Redis, { type RedisOptions } from 'ioredis';
import { ConfigurationError, ErrorCode, StoreError, SuiteBridgeError } from '../errors';
import { decryptValue, encryptValue, SECRET_KEY_BYTES, wrongKeyError } from './encryption';
import { parseSecretKey, SECRET_KEY_ENV } from './secretKey';
import type { TokenStore } from './types';

export interface RedisTokenStoreOptions {
  /** A `redis://` URL, ioredis options, or an ioredis client you own (it is not closed by `close()`). */
  redis: string | RedisOptions | Redis;
  /** 32 bytes shared by every process that uses the store. Default: SUITEBRIDGE_SECRET_KEY. */
  secretKey?: Buffer;
  /** Prefix of every Redis key, so several deployments can share one Redis. Default `suitebridge:`. */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Accept a Redis that keeps data only in memory (neither AOF nor RDB snapshots). Off by default: a restart of
   * such a Redis loses every stored refresh token, and each tenant must authorize again.
   */
  allowVolatileRedis?: boolean;
  /** Where the one-line outage and persistence notices go. Default: stderr. Never receives values or keys' contents. */
  logger?: (line: string) => void;
}

const KEY_CHECK_ROW = 'suitebridge:key-check';
const KEY_CHECK_PLAINTEXT = 'suitebridge key check v1';

// KEYS[1] = row hash, KEYS[2] = index sorted set; ARGV[1] = expected version ('' = must not exist), ARGV[2] = value, ARGV[3] = row key.
const COMPARE_AND_SWAP = `
local current = redis.call('HGET', KEYS[1], 'version')
if ARGV[1] == '' then
  if current then return 0 end
  redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', 1)
  redis.call('ZADD', KEYS[2], 0, ARGV[3])
  return 1
end
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', tonumber(current) + 1)
return 1`;

const DELETE_ROW = `
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

/**
 * The shared store for several hosts: each row is a Redis hash (encrypted value + version), writes are
 * compare-and-swap in a Lua script, and a sorted set indexes keys so `list(prefix)` needs no SCAN.
 */
export class RedisTokenStore implements TokenStore {
  private readonly redis: Redis;
  private readonly ownsClient: boolean;
  private readonly secretKey: Buffer;
  private readonly namespace: string;
  private keyChecked: Promise<void> | undefined;
  private readonly allowVolatile: boolean;
  private readonly log: (line: string) => void;
  private unreachableSince: string | undefined;

  constructor(options: RedisTokenStoreOptions) {
    this.secretKey = resolveSharedKey(options);
    this.namespace = options.namespace ?? 'suitebridge:';
    this.allowVolatile = options.allowVolatileRedis === true;
    this.log = options.logger ?? ((line) => void process.stderr.write(`${line}\n`));
    if (options.redis instanceof Redis) {
      this.redis = options.redis;
      this.ownsClient = false;
    } else {
      const base: RedisOptions = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true };
      this.redis = typeof options.redis === 'string' ? new Redis(options.redis, base) : new Redis({ ...base, ...options.redis });
      this.ownsClient = true;
    }
    this.redis.defineCommand('sbrCompareAndSwap', { numberOfKeys: 2, lua: COMPARE_AND_SWAP });
    this.redis.defineCommand('sbrDelete', { numberOfKeys: 2, lua: DELETE_ROW });
    this.watchConnection();
  }

  /**
   * Without an 'error' listener ioredis prints a stack trace per reconnect attempt. One line when Redis becomes
   * unreachable and one when it is back; calls meanwhile fail with StoreError.
   */
  private watchConnection(): void {
    this.redis.on('error', (err: unknown) => {
      if (this.unreachableSince !== undefined) return;
      this.unreachableSince = new Date().toISOString();
      const code = (err as { code?: unknown }).code;
      this.log(
        `suitebridge: Redis token store at ${this.describeServer()} is unreachable (${typeof code === 'string' ? code : 'connection error'}); ` +
          'calls that need the store fail until it is back, rotated tokens are kept in memory meanwhile; reconnecting.',
      );
    });
    this.redis.on('ready', () => {
      if (this.unreachableSince === undefined) return;
      this.log(`suitebridge: Redis token store at ${this.describeServer()} is reachable again (down since ${this.unreachableSince}).`);
      this.unreachableSince = undefined;
    });
  }

  private describeServer(): string {
    const o = this.redis.options;
    return o.path ? o.path : `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
  }

  /** AOF or RDB must be on, or a restart of Redis loses every tenant's refresh token. */
  private async checkPersistence(): Promise<void> {
    let appendonly: string | undefined;
    let save: string | undefined;
    try {
      const aof = (await this.redis.call('CONFIG', 'GET', 'appendonly')) as string[];
      const rdb = (await this.redis.call('CONFIG', 'GET', 'save')) as string[];
      appendonly = aof[1];
      save = rdb[1];
    } catch (err) {
      // Managed services often rename or forbid CONFIG: say what was not checked rather than refuse.
      if (this.redis.status !== 'ready') throw err;
      this.log(
        `suitebridge: warning: could not check that the Redis token store at ${this.describeServer()} persists data (CONFIG GET refused). ` +
          'Make sure AOF or RDB snapshots are enabled: without them a Redis restart loses every tenant\'s refresh token.',
      );
      return;
    }
    if (appendonly === 'yes' || (save !== undefined && save.trim() !== '')) return;
    const what = `The Redis token store at ${this.describeServer()} keeps data only in memory (appendonly no, save "")`;
    if (this.allowVolatile) {
      this.log(`suitebridge: WARNING: ${what}; a Redis restart loses every tenant's refresh token (accepted: allowVolatileRedis).`);
      return;
    }
    throw new StoreError(ErrorCode.STORE_ERROR, `${what}: a restart would lose every tenant's refresh token, and each tenant would have to authorize again.`, {
      remedy: 'Enable persistence (appendonly yes, or a save schedule) in redis.conf, or pass allowVolatileRedis: true to accept the risk explicitly.',
    });
  }

  async get(key: string): Promise<{ value: string; version: number } | undefined> {
    checkRowKey(key);
    await this.ready();
    return this.read(key);
  }

  /** One pipeline of HMGETs: one round trip for all keys. */
  async getMany(keys: readonly string[]): Promise<Array<{ value: string; version: number } | undefined>> {
    keys.forEach(checkRowKey);
    await this.ready();
    if (keys.length === 0) return [];
    const replies = await guard(`read ${keys.length} keys from the Redis token store at ${this.describeServer()}`, async () => {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hmget(this.rowKey(key), 'value', 'version');
      const results = (await pipeline.exec()) ?? [];
      return results.map(([err, reply]) => {
        if (err) throw err;
        return reply as [string | null, string | null];
      });
    });
    return keys.map((key, i) => {
      const [value, version] = replies[i] ?? [null, null];
      return value == null || version == null ? undefined : { value: decryptValue(this.secretKey, key, Buffer.from(value, 'base64')), version: Number(version) };
    });
  }

  async compareAndSwap(key: string, expectedVersion: number | null, value: string): Promise<boolean> {
    checkRowKey(key);
    await this.ready();
    return this.write(key, expectedVersion, value);
  }

  async delete(key: string): Promise<void> {
    checkRowKey(key);
    await this.ready();
    await guard(`delete "${key}" from the Redis token store at ${this.describeServer()}`, () => this.commands().sbrDelete(this.rowKey(key), this.indexKey(), key));
  }

  async list(prefix: string): Promise<string[]> {
    await this.ready();
    const keys = await guard(`list the Redis token store at ${this.describeServer()}`, () =>
      this.redis.zrangebylex(this.indexKey(), prefix === '' ? '-' : `[${prefix}`, prefix === '' ? '+' : `[${prefix}\xff`),
    );
    return keys.filter((key) => key !== KEY_CHECK_ROW && key.startsWith(prefix)).sort();
  }

  async close(): Promise<void> {
    if (this.ownsClient && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async read(key: string): Promise<{ value: string; version: number } | undefined> {
    const [value, version] = await guard(`read "${key}" from the Redis token store at ${this.describeServer()}`, () => this.redis.hmget(this.rowKey(key), 'value', 'version'));
    if (value == null || version == null) return undefined;
    return { value: decryptValue(this.secretKey, key, Buffer.from(value, 'base64')), version: Number(version) };
  }

  private async write(key: string, expectedVersion: number | null, value: string): Promise<boolean> {
    if (typeof value !== 'string') throw new StoreError(ErrorCode.STORE_ERROR, 'Token store values must be strings.');
    const blob = encryptValue(this.secretKey, key, value).toString('base64');
    const changed = await guard(`write "${key}" to the Redis token store at ${this.describeServer()}`, () =>
      this.commands().sbrCompareAndSwap(this.rowKey(key), this.indexKey(), expectedVersion === null ? '' : String(expectedVersion), blob, key),
    );
    return Number(changed) === 1;
  }

  /** Refuses a wrong key before the first read or write, like the SQLite store. */
  private ready(): Promise<void> {
    this.keyChecked ??= (async () => {
      await guard(`check the persistence of the Redis token store at ${this.describeServer()}`, () => this.checkPersistence());
      const existing = await this.read(KEY_CHECK_ROW).catch((err: unknown) => {
        throw err instanceof StoreError && err.code === ErrorCode.DECRYPTION_FAILED ? wrongKeyError(err) : err;
      });
      if (existing) {
        if (existing.value !== KEY_CHECK_PLAINTEXT) throw wrongKeyError();
        return;
      }
      if (!(await this.write(KEY_CHECK_ROW, null, KEY_CHECK_PLAINTEXT))) {
        const written = await this.read(KEY_CHECK_ROW);
        if (written?.value !== KEY_CHECK_PLAINTEXT) throw wrongKeyError();
      }
    })();
    this.keyChecked.catch(() => (this.keyChecked = undefined));
    return this.keyChecked;
  }

  private rowKey(key: string): string {
    return `${this.namespace}row:${key}`;
  }

  private indexKey(): string {
    return `${this.namespace}index`;
  }

  private commands(): LuaCommands {
    return this.redis as unknown as LuaCommands;
  }
}

interface LuaCommands {
  sbrCompareAndSwap(rowKey: string, indexKey: string, expected: string, value: string, key: string): Promise<number>;
  sbrDelete(rowKey: string, indexKey: string, key: string): Promise<number>;
}

function resolveSharedKey(options: RedisTokenStoreOptions): Buffer {
  if (options.secretKey !== undefined) {
    if (!Buffer.isBuffer(options.secretKey) || options.secretKey.length !== SECRET_KEY_BYTES) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'secretKey must be a Buffer of exactly 32 bytes.', { field: 'secretKey' });
    }
    return options.secretKey;
  }
  const fromEnv = (options.env ?? process.env)[SECRET_KEY_ENV];
  if (fromEnv === undefined || fromEnv.trim() === '') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `RedisTokenStore needs a shared encryption key: set ${SECRET_KEY_ENV} or pass secretKey.`, {
      field: 'secretKey',
      remedy: 'Every process sharing the Redis store must use the same 32-byte key; a generated key file would differ per host.',
    });
  }
  return parseSecretKey(fromEnv, SECRET_KEY_ENV);
}

function checkRowKey(key: string): void {
  if (typeof key !== 'string' || key === '' || key === KEY_CHECK_ROW) {
    throw new StoreError(ErrorCode.STORE_ERROR, `Invalid token store key ${JSON.stringify(key)}.`, {
      remedy: 'Use a non-empty key that does not collide with SuiteBridge internals.',
    });
  }
}

async function guard<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof SuiteBridgeError) throw err;
    const code = (err as { code?: unknown }).code;
    const text = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 160) : String(err);
    const refused = /^(NOPERM|NOSCRIPT|ERR|WRONGTYPE|READONLY|OOM|MISCONF)\b/.exec(text)?.[1];
    const reason = refused ? `Redis refused the command: ${text}` : `Redis is unreachable (${typeof code === 'string' ? code : text})`;
    throw new StoreError(ErrorCode.STORE_ERROR, `Could not ${what}: ${reason}.`, {
      cause: err,
      remedy: refused
        ? refused === 'NOPERM'
          ? 'Grant the Redis user EVAL/EVALSHA, HGET/HMGET/HSET, ZADD/ZREM/ZRANGEBYLEX and DEL on the namespace\'s keys.'
          : refused === 'READONLY'
            ? 'The URL points at a read-only replica: use the primary.'
            : refused === 'MISCONF' || refused === 'OOM'
              ? 'Redis cannot persist or is out of memory: check its disk and maxmemory, then retry.'
              : 'Check the Redis version (Lua scripting is required) and its ACL.'
        : 'Check the Redis URL and that the server is running; rotated tokens are kept in memory by TokenManager meanwhile.',
    });
  }
}
