import type { PoolClient } from 'pg';

/**
 * The PostgreSQL store's schema, as numbered steps. A step is never edited once released: a change is a
 * new step. `sql` receives the quoted schema name. Each step runs in its own transaction together with
 * the row that records it in `schema_migrations`.
 */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  sql(schema: string): string;
}

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'token rows',
    sql: (s) => `
      CREATE TABLE ${s}.suitebridge_tokens (
        key text COLLATE "C" PRIMARY KEY,
        value bytea NOT NULL,
        version bigint NOT NULL CHECK (version >= 1),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
  },
];

export const LATEST_SCHEMA_VERSION = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]!.version;

/** Arbitrary constant: the first key of the advisory lock that serialises migrations (second key: the schema). */
const MIGRATION_LOCK_CLASS = 0x5b71d9e;

export interface MigrationOutcome {
  /** Versions this call applied (empty when another process had already done it). */
  applied: number[];
  /** Schema version after the call. */
  version: number;
}

export class SchemaNewerThanCodeError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(`schema version ${found} is newer than this code supports (${supported})`);
  }
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export async function currentSchemaVersion(client: PoolClient, schema: string): Promise<number> {
  const exists = await client.query<{ found: string | null }>(
    "SELECT to_regclass($1) AS found",
    [`${quoteIdentifier(schema)}.schema_migrations`],
  );
  if (exists.rows[0]?.found == null) return 0;
  const result = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quoteIdentifier(schema)}.schema_migrations`);
  return Number(result.rows[0]?.version ?? 0);
}

/**
 * Brings `schema` to the newest version. A session advisory lock makes processes that start together wait
 * for each other, so every step runs exactly once; a schema written by newer code is refused, untouched.
 */
export async function migrate(client: PoolClient, schema: string, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<MigrationOutcome> {
  const s = quoteIdentifier(schema);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const found = await currentSchemaVersion(client, schema);
    if (found > latest) throw new SchemaNewerThanCodeError(found, latest);
    const applied: number[] = [];
    for (const step of migrations) {
      if (step.version <= found) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql(s));
        await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [step.version, step.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      applied.push(step.version);
    }
    return { applied, version: Math.max(found, latest) };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_CLASS, schema]).catch(() => undefined);
  }
}
