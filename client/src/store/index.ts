export type { TokenStore } from './types';
export { MemoryTokenStore } from './memory';
export { SqliteTokenStore, type SqliteTokenStoreOptions } from './sqlite';
export { SECRET_KEY_ENV, parseSecretKey } from './secretKey';
export { RedisTokenStore, type RedisTokenStoreOptions } from './redis';
export { PostgresTokenStore, PostgresStoreError, type PostgresTokenStoreOptions, type PostgresFailure } from './postgres';
export { LATEST_SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION, type MigrationOutcome } from './postgresMigrations';
