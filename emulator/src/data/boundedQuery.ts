/**
 * SuiteQL over REST with a time and row budget. better-sqlite3 runs a statement to completion on the calling thread,
 * so an unbounded recursive WITH (or a huge cross join) would freeze the whole emulator. The query therefore runs in a
 * child process on a read-only copy of the account database (the file when there is a data dir, else a serialized
 * image), streams its rows, stops counting at `maxRows`, and is killed when `timeoutMs` runs out. A process, not a
 * worker thread: `Worker.terminate()` cannot interrupt SQLite's native loop, so a runaway thread would spin forever
 * and keep the host process alive; SIGKILL ends it for sure.
 */
import type { Database } from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { SuiteQLError, assertSelectOnly } from './suiteql';

export class SuiteQLTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`The query did not finish within ${timeoutMs} ms.`);
    this.name = 'SuiteQLTimeoutError';
  }
}

export interface BoundedQuery {
  sql: string;
  params: unknown[];
  limit: number;
  offset: number;
  /** Rows counted at most; totalResults never exceeds it. */
  maxRows: number;
  timeoutMs: number;
}

// Plain JavaScript: the child runs it as is (node -e), under ts-jest and from build/ alike. NVL/NVL2 mirror
// registerSuiteQLFunctions.
const QUERY_PROCESS_SOURCE = `
process.once('message', (w) => {
const reply = (m) => process.send(m, () => process.exit(0));
try {
  const Database = require(w.driver);
  const db = w.file ? new Database(w.file, { readonly: true, fileMustExist: true }) : new Database(Buffer.from(w.image));
  db.function('NVL', (a, b) => (a === null ? b : a));
  db.function('NVL2', (a, b, c) => (a === null ? c : b));
  const rows = [];
  let total = 0;
  for (const row of db.prepare(w.sql).iterate(...w.params)) {
    if (total >= w.offset && rows.length < w.limit) rows.push(row);
    total += 1;
    if (total >= w.maxRows) break;
  }
  reply({ ok: true, rows, total });
} catch (err) {
  reply({ ok: false, message: String(err && err.message || err) });
}
});
`;

function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * Checks the statement on the caller's thread (prepare does not execute), then runs it bounded in a child process. `signal`
 * kills it early (the emulator is stopping).
 */
export function runBoundedSelect(db: Database, q: BoundedQuery, signal?: AbortSignal): Promise<{ rows: Record<string, unknown>[]; totalResults: number }> {
  const statement = assertSelectOnly(q.sql);
  try {
    const probe = db.prepare(statement);
    if (!probe.reader || !probe.readonly) throw new SuiteQLError('Only SELECT statements are allowed in SuiteQL.');
  } catch (err) {
    if (err instanceof SuiteQLError) throw err;
    throw new SuiteQLError(`Invalid search query: ${(err as Error).message}`);
  }
  const source = db.memory ? { image: db.serialize() } : { file: db.name };
  const child = spawn(process.execPath, ['-e', QUERY_PROCESS_SOURCE], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' });
  return new Promise((resolve, reject) => {
    let done = false;
    const settle = (outcome: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new SuiteQLTimeoutError(q.timeoutMs))), q.timeoutMs);
    const onAbort = () => settle(() => reject(new SuiteQLTimeoutError(0)));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.once('message', (m: { ok: true; rows: Record<string, unknown>[]; total: number } | { ok: false; message: string }) =>
      settle(() => (m.ok ? resolve({ rows: m.rows.map(lowerKeys), totalResults: m.total }) : reject(new SuiteQLError(`Invalid search query: ${m.message}`)))),
    );
    child.once('error', (err) => settle(() => reject(new SuiteQLError(`Invalid search query: ${err.message}`))));
    child.once('exit', (code, sig) => settle(() => reject(new SuiteQLError(`Invalid search query: the query process ended (${sig ?? code}) without an answer.`))));
    child.send({ driver: require.resolve('better-sqlite3'), ...source, sql: statement, params: q.params, limit: q.limit, offset: q.offset, maxRows: q.maxRows });
  });
}
