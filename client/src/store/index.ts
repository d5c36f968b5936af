import { lazyClass, withDriver } from '../lazyExport';
import type * as SqliteModule from './sqlite';
import type * as RedisModule from './redis';
import type * as PostgresModule from './postgres';

export type { TokenStore } from './types';
export { MemoryTokenStore } from './memory';
export { SECRET_KEY_ENV, parseSecretKey } from './secretKey';

// The SQLite, Redis and PostgreSQL stores load their driver (better-sqlite3, ioredis, pg) on first use only;
// `suitebridge/sqlite`, `suitebridge/redis` and `suitebridge/postgres` export the same classes directly.
export type { SqliteTokenStoreOptions } from './sqlite';
export const SqliteTokenStore = lazyClass(withDriver('SqliteTokenStore', ['better-sqlite3'], () => (require('./sqlite') as typeof SqliteModule).SqliteTokenStore));
export type SqliteTokenStore = SqliteModule.SqliteTokenStore;

export type { RedisTokenStoreOptions } from './redis';
export const RedisTokenStore = lazyClass(withDriver('RedisTokenStore', ['ioredis'], () => (require('./redis') as typeof RedisModule).RedisTokenStore));
export type RedisTokenStore = RedisModule.RedisTokenStore;

export type { PostgresTokenStoreOptions, PostgresFailure } from './postgres';
export const PostgresTokenStore = lazyClass(withDriver('PostgresTokenStore', ['pg'], () => (require('./postgres') as typeof PostgresModule).PostgresTokenStore));
export type PostgresTokenStore = PostgresModule.PostgresTokenStore;
export const PostgresStoreError = lazyClass(withDriver('PostgresStoreError', ['pg'], () => (require('./postgres') as typeof PostgresModule).PostgresStoreError));
export type PostgresStoreError = PostgresModule.PostgresStoreError;
export { LATEST_SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION, type MigrationOutcome } from './postgresMigrations';
