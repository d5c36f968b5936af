/**
 * N/query: runSuiteQL on the account's data through the directory (10 units). Tables that need a
 * permission are checked against the caller's role before the query runs.
 */
import type { ScriptContext } from '../context';
import { SuiteScriptError, permissionViolation } from '../errors';
import { UNIT_COSTS } from '../governance';
import { atLeast } from '../permissions';

const MAX_ROWS = 5000;

/** Standard tables gated by a list permission (UNCERTAIN which keys NetSuite uses for SuiteQL access). */
const TABLE_PERMISSIONS: Record<string, { permkey: string; label: string }> = {
  employee: { permkey: 'LIST_EMPLOYEE', label: 'Employees' },
  customer: { permkey: 'LIST_CUSTJOB', label: 'Customers' },
};

function tablesOf(sql: string): string[] {
  const names = new Set<string>();
  for (const match of sql.matchAll(/\b(?:from|join)\s+([A-Za-z_][A-Za-z0-9_]*)/gi)) {
    if (match[1]) names.add(match[1].toLowerCase());
  }
  return [...names];
}

function checkTableAccess(ctx: ScriptContext, sql: string): void {
  for (const table of tablesOf(sql)) {
    if (table.startsWith('customrecord')) {
      if (!atLeast(ctx.permissions.customRecordLevel(table), 'VIEW')) throw permissionViolation(table);
      continue;
    }
    const gate = TABLE_PERMISSIONS[table];
    if (gate && !atLeast(ctx.permissions.level(gate.permkey), 'VIEW')) throw permissionViolation(gate.label);
  }
}

function queryOptions(args: unknown[]): { query: string; params: unknown[] } {
  const [first, second] = args;
  const options = typeof first === 'string' ? { query: first, params: second } : ((first ?? {}) as Record<string, unknown>);
  if (typeof options['query'] !== 'string' || options['query'].trim() === '') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'query.runSuiteQL: Missing a required argument: query');
  }
  const params = options['params'] ?? [];
  if (!Array.isArray(params)) {
    throw new SuiteScriptError('SSS_INVALID_TYPE_ARG', 'query.runSuiteQL: params must be an array of values.');
  }
  return { query: options['query'], params };
}

function resultSet(rows: Record<string, unknown>[]) {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const lower = columns.map((c) => c.toLowerCase());
  const results = rows.map((row) => {
    const values = columns.map((c) => row[c] ?? null);
    return Object.freeze({
      values,
      asMap: () => Object.fromEntries(lower.map((c, i) => [c, values[i]])),
    });
  });
  return Object.freeze({
    results,
    columns: lower.map((label) => Object.freeze({ label, fieldId: label })),
    types: lower.map(() => 'STRING'),
    asMappedResults: () => results.map((r) => r.asMap()),
  });
}

export function createQueryModule(ctx: ScriptContext): Record<string, unknown> {
  const runSuiteQL = (...args: unknown[]) => {
    const { query, params } = queryOptions(args);
    ctx.meter.consume(UNIT_COSTS.runSuiteQL);
    checkTableAccess(ctx, query);
    let rows: Record<string, unknown>[];
    try {
      rows = ctx.directory.runSuiteQL(ctx.accountId, query, params, { limit: MAX_ROWS, offset: 0 }).rows;
    } catch (err) {
      if (err instanceof SuiteScriptError) throw err;
      throw new SuiteScriptError('SSS_SEARCH_ERROR_OCCURRED', `Search error occurred: ${(err as Error).message}`);
    }
    return resultSet(rows);
  };
  runSuiteQL.promise = (...args: unknown[]) => new Promise((resolve) => resolve(runSuiteQL(...args)));
  return { runSuiteQL };
}
