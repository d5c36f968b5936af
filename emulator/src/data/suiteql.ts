import type { Database } from 'better-sqlite3';

/** A SuiteQL statement was refused or failed; `message` is safe to show. */
export class SuiteQLError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteQLError';
  }
}

/** SuiteQL is read-only: one SELECT (or WITH … SELECT) statement. */
export function assertSelectOnly(sql: string): string {
  const trimmed = sql.trim().replace(/;\s*$/, '');
  if (!/^(select|with)\b/i.test(trimmed)) throw new SuiteQLError('Only SELECT statements are allowed in SuiteQL.');
  if (trimmed.includes(';')) throw new SuiteQLError('SuiteQL accepts exactly one statement; remove the ";".');
  return trimmed;
}

/** Oracle-style helpers SuiteQL users reach for; registered once per account database. */
export function registerSuiteQLFunctions(db: Database): void {
  db.function('NVL', (a: unknown, b: unknown) => (a === null ? b : a));
  db.function('NVL2', (a: unknown, b: unknown, c: unknown) => (a === null ? c : b));
}

function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.toLowerCase()] = v;
  return out;
}

/** Runs a SELECT with `?` parameters; with a page, counts the total and returns that slice. Column names lower case. */
export function runSelect(db: Database, sql: string, params: unknown[], page?: { limit: number; offset: number }): { rows: Record<string, unknown>[]; totalResults: number } {
  const statement = assertSelectOnly(sql);
  try {
    const probe = db.prepare(statement);
    if (!probe.reader || !probe.readonly) throw new SuiteQLError('Only SELECT statements are allowed in SuiteQL.');
    if (!page) {
      const rows = (probe.all(...params) as Record<string, unknown>[]).map(lowerKeys);
      return { rows, totalResults: rows.length };
    }
    const total = db.prepare(`SELECT COUNT(*) AS n FROM (${statement})`).get(...params) as { n: number };
    const rows = db.prepare(`SELECT * FROM (${statement}) LIMIT ? OFFSET ?`).all(...params, page.limit, page.offset) as Record<string, unknown>[];
    return { rows: rows.map(lowerKeys), totalResults: total.n };
  } catch (err) {
    if (err instanceof SuiteQLError) throw err;
    throw new SuiteQLError(`Invalid search query: ${(err as Error).message}`);
  }
}
