import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Opens a SQLite database: in memory without a data dir, else `<dataDir>/<name>.sqlite`. */
export function openDatabase(dataDir: string | undefined, name: string): Database.Database {
  if (!dataDir) return new Database(':memory:');
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.sqlite`));
  db.pragma('journal_mode = WAL');
  return db;
}
