/** Creates, extends and drops the tables that hold custom record instances (one per custom record type). */
import type { Database } from 'better-sqlite3';
import type { CustomRecordTypeDef } from './sdfProject';

const SAFE_ID = /^[a-z][a-z0-9_]{0,99}$/;

function sqlType(fieldType: string): string {
  if (fieldType === 'INTEGER') return 'INTEGER';
  if (fieldType === 'FLOAT' || fieldType === 'CURRENCY' || fieldType === 'PERCENT') return 'REAL';
  return 'TEXT';
}

function safe(id: string): string {
  const lower = id.toLowerCase();
  if (!SAFE_ID.test(lower)) throw new Error(`"${id}" is not a valid script ID for a table or column.`);
  return lower;
}

/** Creates the table, or adds the columns of fields added since the last install. */
export function ensureCustomRecordTable(db: Database, def: CustomRecordTypeDef): void {
  const table = safe(def.scriptId);
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT,
     isinactive TEXT NOT NULL DEFAULT 'F')`,
  );
  const existing = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name.toLowerCase()));
  for (const field of def.fields) {
    const column = safe(field.scriptId);
    if (!existing.has(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${sqlType(field.fieldType)}`);
  }
}

export function dropCustomRecordTable(db: Database, scriptId: string): void {
  db.exec(`DROP TABLE IF EXISTS ${safe(scriptId)}`);
}
