import Database from 'better-sqlite3';
import { ErrorCode, StoreError, SuiteBridgeError } from '../errors';
import { decryptValue, encryptValue, wrongKeyError } from './encryption';
import { resolveSecretKey } from './secretKey';
import type { TokenStore } from './types';

export interface SqliteTokenStoreOptions {
  /** Database file; created when missing. */
  path: string;
  /** 32 bytes. Default: SUITEBRIDGE_SECRET_KEY, else `<path>.key` (generated with mode 0600). */
  secretKey?: Buffer;
  /** Where the generated key lives when neither secretKey nor SUITEBRIDGE_SECRET_KEY is set. Default `<path>.key`. */
  keyFile?: string;
  /** How long a writer waits for another process's lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Environment to read SUITEBRIDGE_SECRET_KEY from (tests). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

const KEY_CHECK_ROW = 'suitebridge:key-check';
const KEY_CHECK_PLAINTEXT = 'suitebridge key check v1';

interface Row {
  value: Buffer;
  version: number;
}

/**
 * The embedded default store: one SQLite file (WAL, busy timeout) shared safely by several processes.
 * Every value is encrypted with AES-256-GCM; every write is a compare-and-swap on the row version.
 */
export class SqliteTokenStore implements TokenStore {
  /** Where the key came from: "secretKey option", "SUITEBRIDGE_SECRET_KEY" or the key file path. */
  readonly keySource: string;
  /** The database file, as given. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly secretKey: Buffer;
  private readonly statements: {
    get: Database.Statement<[string], Row>;
    insert: Database.Statement<[string, Buffer, number]>;
    update: Database.Statement<[Buffer, number, string, number]>;
    delete: Database.Statement<[string]>;
    list: Database.Statement<[string, string], { key: string }>;
  };

  constructor(options: SqliteTokenStoreOptions) {
    if (typeof options?.path !== 'string' || options.path === '') {
      throw new StoreError(ErrorCode.STORE_ERROR, 'SqliteTokenStore needs a path.', { remedy: 'Pass { path: "suitebridge.db" }.' });
    }
    const { key, source } = resolveSecretKey({
      keyFile: options.keyFile ?? `${options.path}.key`,
      ...(options.secretKey !== undefined ? { secretKey: options.secretKey } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
    });
    this.secretKey = key;
    this.keySource = source;
    this.path = options.path;
    this.db = guard(`open the token store ${options.path}`, () => {
      const db = new Database(options.path);
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(
        'CREATE TABLE IF NOT EXISTS suitebridge_tokens (' +
          'key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL, version INTEGER NOT NULL, updated_at INTEGER NOT NULL)',
      );
      return db;
    });
    this.statements = {
      get: this.db.prepare('SELECT value, version FROM suitebridge_tokens WHERE key = ?'),
      insert: this.db.prepare(
        'INSERT INTO suitebridge_tokens (key, value, version, updated_at) VALUES (?, ?, 1, ?) ON CONFLICT(key) DO NOTHING',
      ),
      update: this.db.prepare(
        'UPDATE suitebridge_tokens SET value = ?, version = version + 1, updated_at = ? WHERE key = ? AND version = ?',
      ),
      delete: this.db.prepare('DELETE FROM suitebridge_tokens WHERE key = ?'),
      list: this.db.prepare('SELECT key FROM suitebridge_tokens WHERE substr(key, 1, length(?)) = ? ORDER BY key'),
    };
    this.checkKey();
  }

  async get(key: string): Promise<{ value: string; version: number } | undefined> {
    checkRowKey(key);
    const row = guard(`read "${key}" from the token store ${this.path}`, () => this.statements.get.get(key));
    if (!row) return undefined;
    return { value: decryptValue(this.secretKey, key, row.value), version: row.version };
  }

  /** One statement per call; SQLite reads in-process, so the gain is fewer promise hops, not round trips. */
  async getMany(keys: readonly string[]): Promise<Array<{ value: string; version: number } | undefined>> {
    keys.forEach(checkRowKey);
    const rows = guard(`read ${keys.length} keys from the token store ${this.path}`, () => {
      const found = new Map<string, { value: Buffer; version: number }>();
      for (const key of keys) {
        const row = this.statements.get.get(key);
        if (row) found.set(key, row);
      }
      return found;
    });
    return keys.map((key) => {
      const row = rows.get(key);
      return row ? { value: decryptValue(this.secretKey, key, row.value), version: row.version } : undefined;
    });
  }

  async compareAndSwap(key: string, expectedVersion: number | null, value: string): Promise<boolean> {
    checkRowKey(key);
    if (typeof value !== 'string') throw new StoreError(ErrorCode.STORE_ERROR, 'Token store values must be strings.');
    const blob = encryptValue(this.secretKey, key, value);
    const result = guard(`write "${key}" to the token store ${this.path}`, () =>
      expectedVersion === null
        ? this.statements.insert.run(key, blob, Date.now())
        : this.statements.update.run(blob, Date.now(), key, expectedVersion),
    );
    return result.changes === 1;
  }

  async delete(key: string): Promise<void> {
    checkRowKey(key);
    guard(`delete "${key}" from the token store ${this.path}`, () => this.statements.delete.run(key));
  }

  async list(prefix: string): Promise<string[]> {
    const rows = guard(`list the token store ${this.path}`, () => this.statements.list.all(prefix, prefix));
    return rows.map((row) => row.key).filter((key) => key !== KEY_CHECK_ROW);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Refuses a wrong key before anything is written, so a misconfigured process cannot mix keys in one file. */
  private checkKey(): void {
    const row = guard(`read the token store ${this.path}`, () => this.statements.get.get(KEY_CHECK_ROW));
    if (row) {
      let plaintext: string;
      try {
        plaintext = decryptValue(this.secretKey, KEY_CHECK_ROW, row.value);
      } catch (err) {
        this.db.close();
        throw wrongKeyError(err);
      }
      if (plaintext !== KEY_CHECK_PLAINTEXT) {
        this.db.close();
        throw wrongKeyError();
      }
      return;
    }
    const blob = encryptValue(this.secretKey, KEY_CHECK_ROW, KEY_CHECK_PLAINTEXT);
    guard(`initialise the token store ${this.path}`, () => this.statements.insert.run(KEY_CHECK_ROW, blob, Date.now()));
    // Another process may have initialised it with a different key in between.
    if (this.statements.get.get(KEY_CHECK_ROW)?.value.equals(blob) !== true) this.checkKey();
  }
}

function checkRowKey(key: string): void {
  if (typeof key !== 'string' || key === '' || key === KEY_CHECK_ROW) {
    throw new StoreError(ErrorCode.STORE_ERROR, `Invalid token store key ${JSON.stringify(key)}.`, {
      remedy: 'Use a non-empty key that does not collide with SuiteBridge internals.',
    });
  }
}

/** What the common SQLite failures mean for a token store, and what to do. */
const SQLITE_CAUSES: Record<string, { meaning: string; remedy: string }> = {
  SQLITE_BUSY: {
    meaning: 'another process held the write lock longer than busyTimeoutMs',
    remedy: 'Retry; if it repeats, find the process keeping a long transaction open on the file or raise busyTimeoutMs.',
  },
  SQLITE_READONLY: {
    meaning: 'the file or its directory is read-only for this user',
    remedy: 'Give this user write access to the file, its -wal/-shm files and the directory (SQLite writes next to the file).',
  },
  SQLITE_CANTOPEN: {
    meaning: 'the file cannot be opened or created',
    remedy: 'Check that the directory exists and that the path is spelled correctly.',
  },
  SQLITE_FULL: { meaning: 'the disk is full', remedy: 'Free disk space, then retry.' },
  SQLITE_NOTADB: {
    meaning: 'the file is not an SQLite database',
    remedy: 'Point the store at the right file; restore it from a backup if it was overwritten.',
  },
  SQLITE_CORRUPT: { meaning: 'the database file is damaged', remedy: 'Restore the file and its key from a backup.' },
  SQLITE_IOERR: { meaning: 'the operating system reported an I/O error', remedy: 'Check the disk and the file system, then retry.' },
};

function guard<T>(what: string, action: () => T): T {
  try {
    return action();
  } catch (err) {
    if (err instanceof SuiteBridgeError) throw err;
    // better-sqlite3 refuses a missing directory itself, with a TypeError and no code.
    const code = (err as { code?: unknown }).code ?? (/directory does not exist/.test(String((err as Error)?.message)) ? 'SQLITE_CANTOPEN' : undefined);
    const known = typeof code === 'string' ? SQLITE_CAUSES[code] ?? SQLITE_CAUSES[code.replace(/_[A-Z]+$/, '')] : undefined;
    const detail = typeof code === 'string' ? ` (${code}${known ? `: ${known.meaning}` : ''})` : '';
    throw new StoreError(ErrorCode.STORE_ERROR, `Could not ${what}${detail}.`, {
      cause: err,
      remedy: known?.remedy ?? 'Check that the database path is writable and not used by another program.',
    });
  }
}
