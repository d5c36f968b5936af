import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { ConfigurationError, ErrorCode, StoreError, SuiteBridgeError } from '../errors';
import { decryptValue, encryptValue, SECRET_KEY_BYTES, wrongKeyError } from './encryption';
import {
  currentSchemaVersion,
  LATEST_SCHEMA_VERSION,
  migrate,
  type MigrationOutcome,
  quoteIdentifier,
  SchemaNewerThanCodeError,
} from './postgresMigrations';
import { parseSecretKey, SECRET_KEY_ENV } from './secretKey';
import type { TokenStore } from './types';

export interface PostgresTokenStoreOptions {
  /** A `postgres://` URL, pg pool options, or a `pg.Pool` you own (not ended by `close()`). */
  postgres: string | PoolConfig | Pool;
  /** 32 bytes shared by every process that uses the store. Default: SUITEBRIDGE_SECRET_KEY. */
  secretKey?: Buffer;
  /** PostgreSQL schema holding SuiteBridge's tables, so they never mix with yours. Default `suitebridge`. */
  schema?: string;
  /** Connections in this process's pool. Default 10. */
  poolSize?: number;
  /** How long to wait for a connection (server down, pool exhausted). Default 5000 ms. */
  connectionTimeoutMs?: number;
  /**
   * Create and upgrade the schema on first use (default). With false the store refuses to run against a schema
   * that is not exactly at this code's version; run `migrate()` from a deploy step instead.
   */
  autoMigrate?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Why a PostgreSQL call failed, so callers and operators can tell a down server from a bad password. */
export type PostgresFailure =
  | 'unreachable'
  | 'authentication'
  | 'database-missing'
  | 'permission'
  | 'too-many-connections'
  | 'schema-newer'
  | 'schema-outdated'
  | 'closed'
  | 'query';

export class PostgresStoreError extends StoreError {
  constructor(readonly reason: PostgresFailure, message: string, options: { cause?: unknown; remedy: string }) {
    super(ErrorCode.STORE_ERROR, message, options);
  }
}

const KEY_CHECK_ROW = 'suitebridge:key-check';
const KEY_CHECK_PLAINTEXT = 'suitebridge key check v1';
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOENT']);

/**
 * The system of record for several processes and hosts: one row per key in `<schema>.suitebridge_tokens`,
 * values encrypted with AES-256-GCM (same format as the SQLite store), writes as compare-and-swap on the row
 * version. The schema is created and upgraded by versioned migrations recorded in `<schema>.schema_migrations`.
 */
export class PostgresTokenStore implements TokenStore {
  /** Where the server is, without credentials, for messages: `host:port/database`. */
  readonly target: string;
  readonly schema: string;
  /** What this store's first use found and did to the schema (undefined until then, or with autoMigrate false). */
  lastMigration: MigrationOutcome | undefined;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly secretKey: Buffer;
  private readonly autoMigrate: boolean;
  private readonly table: string;
  private readyPromise: Promise<void> | undefined;
  private closed = false;

  constructor(options: PostgresTokenStoreOptions) {
    if (options == null || (typeof options.postgres !== 'string' && (typeof options.postgres !== 'object' || options.postgres === null))) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'PostgresTokenStore needs a connection: { postgres: "postgres://user:password@host:5432/db" }.', {
        field: 'postgres',
        remedy: 'Pass a postgres:// URL, pg pool options, or a pg.Pool.',
      });
    }
    this.secretKey = resolveSharedKey(options);
    this.schema = options.schema ?? 'suitebridge';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(this.schema)) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `schema ${JSON.stringify(this.schema)} is not a plain PostgreSQL identifier.`, {
        field: 'schema',
        remedy: 'Use letters, digits and underscores, starting with a letter (for example "suitebridge").',
      });
    }
    this.table = `${quoteIdentifier(this.schema)}.suitebridge_tokens`;
    this.autoMigrate = options.autoMigrate ?? true;
    if (options.postgres instanceof Pool) {
      this.pool = options.postgres;
      this.ownsPool = false;
    } else {
      const poolSize = options.poolSize ?? 10;
      if (!Number.isInteger(poolSize) || poolSize < 1) {
        throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `poolSize must be a positive integer, got ${String(poolSize)}.`, { field: 'poolSize' });
      }
      const base: PoolConfig = {
        max: poolSize,
        connectionTimeoutMillis: options.connectionTimeoutMs ?? 5000,
        idleTimeoutMillis: 30_000,
        application_name: 'suitebridge',
      };
      const config: PoolConfig = typeof options.postgres === 'string'
        ? { ...base, connectionString: checkUrl(options.postgres) }
        : { ...base, ...options.postgres };
      this.pool = new Pool(config);
      this.ownsPool = true;
      // An idle connection dropped by a server restart is reported here; without a listener Node would crash.
      // The next query gets a fresh connection (or a clear error if the server is still down).
      this.pool.on('error', () => undefined);
    }
    this.target = describeTarget(options.postgres, options.env ?? process.env);
  }

  async get(key: string): Promise<{ value: string; version: number } | undefined> {
    checkRowKey(key);
    await this.ready();
    return this.read(key);
  }

  /** One query (`key = ANY($1)`) for all keys. */
  async getMany(keys: readonly string[]): Promise<Array<{ value: string; version: number } | undefined>> {
    keys.forEach(checkRowKey);
    await this.ready();
    if (keys.length === 0) return [];
    const result = await this.query<{ key: string; value: Buffer; version: string }>(`read ${keys.length} keys from the PostgreSQL token store`, `SELECT key, value, version FROM ${this.table} WHERE key = ANY($1::text[])`, [[...new Set(keys)]]);
    const rows = new Map(result.rows.map((row) => [row.key, row]));
    return keys.map((key) => {
      const row = rows.get(key);
      return row ? { value: decryptValue(this.secretKey, key, row.value), version: Number(row.version) } : undefined;
    });
  }

  async compareAndSwap(key: string, expectedVersion: number | null, value: string): Promise<boolean> {
    checkRowKey(key);
    if (typeof value !== 'string') throw new StoreError(ErrorCode.STORE_ERROR, 'Token store values must be strings.');
    await this.ready();
    return this.write(key, expectedVersion, value);
  }

  async delete(key: string): Promise<void> {
    checkRowKey(key);
    await this.ready();
    await this.query(`delete "${key}" from the PostgreSQL token store`, `DELETE FROM ${this.table} WHERE key = $1`, [key]);
  }

  async list(prefix: string): Promise<string[]> {
    if (typeof prefix !== 'string') throw new StoreError(ErrorCode.STORE_ERROR, 'list() needs a string prefix.');
    await this.ready();
    const result = await this.query<{ key: string }>(
      'list the PostgreSQL token store',
      `SELECT key FROM ${this.table} WHERE starts_with(key, $1) ORDER BY key`,
      [prefix],
    );
    // Same order as the other stores (JavaScript string order), whatever the database collation.
    return result.rows.map((row) => row.key).filter((key) => key !== KEY_CHECK_ROW).sort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }

  /**
   * Creates or upgrades the schema now (a deploy step, or `autoMigrate: false` setups). Safe to run from
   * several processes at once: an advisory lock serialises them and each step runs once.
   */
  async migrate(): Promise<MigrationOutcome> {
    return this.withClient('migrate the token store schema', async (client) => {
      try {
        return await migrate(client, this.schema);
      } catch (err) {
        if (err instanceof SchemaNewerThanCodeError) throw this.schemaNewer(err.found);
        throw err;
      }
    }, { discardClient: true });
  }

  /** The schema version found in the database (0: not created yet). */
  async schemaVersion(): Promise<number> {
    return this.withClient('read the token store schema version', (client) => currentSchemaVersion(client, this.schema));
  }

  private ready(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new PostgresStoreError('closed', 'The PostgreSQL token store is closed.', { remedy: 'Create a new PostgresTokenStore.' }));
    }
    this.readyPromise ??= (async () => {
      if (this.autoMigrate) {
        this.lastMigration = await this.migrate();
      } else {
        const found = await this.schemaVersion();
        if (found > LATEST_SCHEMA_VERSION) throw this.schemaNewer(found);
        if (found < LATEST_SCHEMA_VERSION) {
          throw new PostgresStoreError('schema-outdated', `The token store schema "${this.schema}" at ${this.target} is at version ${found}; this code needs ${LATEST_SCHEMA_VERSION}.`, {
            remedy: 'Run the migrations (PostgresTokenStore.migrate(), or start one process with autoMigrate left on).',
          });
        }
      }
      await this.checkKey();
    })();
    // A failure (server down, wrong key) is not remembered: the next call tries again.
    this.readyPromise.catch(() => (this.readyPromise = undefined));
    return this.readyPromise;
  }

  /** Refuses a wrong key before the first read or write, like the SQLite and Redis stores. */
  private async checkKey(): Promise<void> {
    const existing = await this.read(KEY_CHECK_ROW).catch((err: unknown) => {
      throw err instanceof StoreError && err.code === ErrorCode.DECRYPTION_FAILED ? wrongKeyError(err) : err;
    });
    if (existing) {
      if (existing.value !== KEY_CHECK_PLAINTEXT) throw wrongKeyError();
      return;
    }
    if (!(await this.write(KEY_CHECK_ROW, null, KEY_CHECK_PLAINTEXT))) {
      const written = await this.read(KEY_CHECK_ROW).catch((err: unknown) => {
        throw err instanceof StoreError && err.code === ErrorCode.DECRYPTION_FAILED ? wrongKeyError(err) : err;
      });
      if (written?.value !== KEY_CHECK_PLAINTEXT) throw wrongKeyError();
    }
  }

  private async read(key: string): Promise<{ value: string; version: number } | undefined> {
    const result = await this.query<{ value: Buffer; version: string }>(`read "${key}" from the PostgreSQL token store`, `SELECT value, version FROM ${this.table} WHERE key = $1`, [key]);
    const row = result.rows[0];
    if (!row) return undefined;
    return { value: decryptValue(this.secretKey, key, row.value), version: Number(row.version) };
  }

  private async write(key: string, expectedVersion: number | null, value: string): Promise<boolean> {
    if (expectedVersion !== null && !Number.isSafeInteger(expectedVersion)) return false;
    const blob = encryptValue(this.secretKey, key, value);
    const result = expectedVersion === null
      ? await this.query(`write "${key}" to the PostgreSQL token store`, `INSERT INTO ${this.table} (key, value, version) VALUES ($1, $2, 1) ON CONFLICT (key) DO NOTHING`, [key, blob])
      : await this.query(`write "${key}" to the PostgreSQL token store`, `UPDATE ${this.table} SET value = $2, version = version + 1, updated_at = now() WHERE key = $1 AND version = $3`, [key, blob, expectedVersion]);
    return result.rowCount === 1;
  }

  private async query<R extends object = Record<string, unknown>>(what: string, sql: string, params: unknown[]): Promise<{ rows: R[]; rowCount: number | null }> {
    if (this.closed) throw new PostgresStoreError('closed', 'The PostgreSQL token store is closed.', { remedy: 'Create a new PostgresTokenStore.' });
    try {
      return await this.pool.query<R>(sql, params);
    } catch (err) {
      throw this.translate(what, err);
    }
  }

  private async withClient<T>(what: string, action: (client: PoolClient) => Promise<T>, options: { discardClient?: boolean } = {}): Promise<T> {
    if (this.closed) throw new PostgresStoreError('closed', 'The PostgreSQL token store is closed.', { remedy: 'Create a new PostgresTokenStore.' });
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.translate(what, err);
    }
    let failed = false;
    try {
      return await action(client);
    } catch (err) {
      failed = true;
      throw this.translate(what, err);
    } finally {
      // A connection that ran migrations may still hold the advisory lock if unlocking failed: never reuse it.
      client.release(failed || options.discardClient === true);
    }
  }

  private schemaNewer(found: number): PostgresStoreError {
    return new PostgresStoreError('schema-newer', `The token store schema "${this.schema}" at ${this.target} is at version ${found}, newer than this SuiteBridge supports (${LATEST_SCHEMA_VERSION}).`, {
      remedy: 'Another process runs a newer SuiteBridge. Upgrade this one; do not downgrade the schema by hand.',
    });
  }

  private translate(what: string, err: unknown): SuiteBridgeError {
    if (err instanceof SuiteBridgeError) return err;
    const e = (err ?? {}) as { code?: unknown; message?: unknown; address?: unknown; port?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    const where = typeof e.address === 'string' ? `${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}` : this.target;
    if (this.closed || /after calling end on the pool/.test(message)) {
      return new PostgresStoreError('closed', 'The PostgreSQL token store is closed.', { cause: err, remedy: 'Create a new PostgresTokenStore.' });
    }
    if (UNREACHABLE_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' ||
        /timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(message)) {
      return new PostgresStoreError('unreachable', `Could not ${what}: PostgreSQL at ${where} is unreachable${code ? ` (${code})` : ''}.`, {
        cause: err,
        remedy: `Check that PostgreSQL is running and accepts connections on ${where} (host, port and firewall in the connection URL). Nothing was written; retry once it is back.`,
      });
    }
    if (code === '28P01' || code === '28000') {
      return new PostgresStoreError('authentication', `Could not ${what}: PostgreSQL at ${this.target} refused the login (${code}).`, {
        cause: err,
        remedy: 'Check the user and password in the connection URL, and that pg_hba.conf allows this host and authentication method.',
      });
    }
    if (code === '3D000') {
      return new PostgresStoreError('database-missing', `Could not ${what}: the database at ${this.target} does not exist.`, {
        cause: err,
        remedy: 'Create it (createdb <name>, or CREATE DATABASE) or fix the database name in the connection URL.',
      });
    }
    if (code === '42501') {
      return new PostgresStoreError('permission', `Could not ${what}: the PostgreSQL user may not use schema "${this.schema}" at ${this.target} (${code}).`, {
        cause: err,
        remedy: `Grant it: GRANT CREATE ON DATABASE <db> TO <user> (to create the schema), or have an owner run the migrations and GRANT USAGE ON SCHEMA ${this.schema} plus SELECT, INSERT, UPDATE, DELETE on its tables.`,
      });
    }
    if (code === '53300') {
      return new PostgresStoreError('too-many-connections', `Could not ${what}: PostgreSQL at ${this.target} has no free connection (${code}).`, {
        cause: err,
        remedy: 'Lower poolSize per process (processes × poolSize must stay below max_connections) or raise max_connections.',
      });
    }
    return new PostgresStoreError('query', `Could not ${what}${code ? ` (PostgreSQL ${code})` : ''}.`, {
      cause: err,
      remedy: 'See the cause; check that the schema was created by SuiteBridge migrations and not changed by hand.',
    });
  }
}

function resolveSharedKey(options: PostgresTokenStoreOptions): Buffer {
  if (options.secretKey !== undefined) {
    if (!Buffer.isBuffer(options.secretKey) || options.secretKey.length !== SECRET_KEY_BYTES) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'secretKey must be a Buffer of exactly 32 bytes.', { field: 'secretKey' });
    }
    return options.secretKey;
  }
  const fromEnv = (options.env ?? process.env)[SECRET_KEY_ENV];
  if (fromEnv === undefined || fromEnv.trim() === '') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `PostgresTokenStore needs a shared encryption key: set ${SECRET_KEY_ENV} or pass secretKey.`, {
      field: 'secretKey',
      remedy: 'Every process sharing the PostgreSQL store must use the same 32-byte key; a generated key file would differ per host.',
    });
  }
  return parseSecretKey(fromEnv, SECRET_KEY_ENV);
}

// libpq URIs: postgres://[user[:password]@][host][:port][,…][/database][?host=/socket/dir&…]. WHATWG URL refuses
// some valid ones (user@ with no host, for a unix socket), so they are taken apart here.
const CONNECTION_URI = /^postgres(?:ql)?:\/\/(?:[^@/?#]*@)?([^/?#]*)(?:\/([^?#]*))?(?:\?([^#]*))?$/i;

function checkUrl(url: string): string {
  if (!CONNECTION_URI.test(url.trim())) {
    // The URL may hold a password: name its shape, not its text.
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'The PostgreSQL connection string is not a postgres:// URL.', {
      field: 'postgres',
      remedy: 'Use postgres://user:password@host:5432/database (percent-encode special characters in the password).',
    });
  }
  return url;
}

/** host:port/database without user or password; the pg defaults (PGHOST, PGPORT, localhost:5432) when absent. */
function describeTarget(postgres: string | PoolConfig | Pool, env: NodeJS.ProcessEnv): string {
  let host: string | undefined;
  let port: string | undefined;
  let database: string | undefined;
  if (typeof postgres === 'string') {
    const [, hostPort = '', path = '', query = ''] = CONNECTION_URI.exec(postgres.trim()) ?? [];
    const params = new URLSearchParams(query);
    const first = hostPort.split(',')[0]!;
    const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(first);
    const [h, p] = bracketed ? [bracketed[1], bracketed[2]] : [first.replace(/:\d*$/, ''), /:(\d+)$/.exec(first)?.[1]];
    host = params.get('host') ?? (h ? safeDecode(h) : undefined);
    port = params.get('port') ?? p;
    database = params.get('dbname') ?? (path ? safeDecode(path) : undefined);
  } else {
    const config = postgres instanceof Pool ? (postgres as unknown as { options: PoolConfig }).options : postgres;
    if (config.connectionString) return describeTarget(config.connectionString, env);
    host = config.host;
    port = config.port === undefined ? undefined : String(config.port);
    database = config.database;
  }
  host ??= env.PGHOST ?? 'localhost';
  port ??= env.PGPORT ?? '5432';
  const shownHost = host.startsWith('/') ? `socket ${host}` : host;
  return `${shownHost}:${port}${database ? `/${database}` : ''}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function checkRowKey(key: string): void {
  // PostgreSQL text cannot hold NUL; the other stores would accept it, so refuse it with the same error here.
  if (typeof key !== 'string' || key === '' || key === KEY_CHECK_ROW || key.includes('\u0000')) {
    throw new StoreError(ErrorCode.STORE_ERROR, `Invalid token store key ${JSON.stringify(key)}.`, {
      remedy: 'Use a non-empty key without NUL characters that does not collide with SuiteBridge internals.',
    });
  }
}
