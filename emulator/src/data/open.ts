import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Opens a SQLite database: in memory without a data dir, else `<dataDir>/<name>.sqlite`. */
export function openDatabase(dataDir: string | undefined, name: string): Database.Database {
  let db: Database.Database;
  if (!dataDir) {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.sqlite`));
    db.pragma('journal_mode = WAL');
  }
  return reusePreparedStatements(db);
}

const STATEMENTS_KEPT = 256;

/**
 * Every request prepares the same few dozen statements; preparing costs more than running them. `prepare` keeps
 * the most recently used statements by SQL text (SQLite re-prepares a kept statement itself after a schema change).
 * Nothing in the emulator switches a statement's mode (pluck/raw/expand), which a shared statement would leak.
 */
function reusePreparedStatements(db: Database.Database): Database.Database {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value as string);
    }
    kept.set(sql, statement);
    return statement;
  }) as typeof db.prepare;
  return db;
}
