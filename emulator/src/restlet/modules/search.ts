/** N/search: lookupFields (1 unit) and a minimal create/run for employees and installed custom record types. */
import type { ScriptContext } from '../context';
import { SuiteScriptError } from '../errors';
import { UNIT_COSTS } from '../governance';
import { backingFor } from '../recordBacking';
import { requireLevel } from '../recordInstance';
import { Operator, createColumn, createFilter, createSearch } from '../searchRun';

const Type = Object.freeze({ EMPLOYEE: 'employee', CUSTOMER: 'customer', ROLE: 'role' });

/** Select-type columns come back as `[{ value, text }]`, as NetSuite returns them. */
const SELECT_COLUMNS = new Set(['role']);

export function createSearchModule(ctx: ScriptContext): Record<string, unknown> {
  return {
    Type,
    Operator,
    createFilter,
    createColumn,
    create: (options: unknown) => createSearch(ctx, options),
    lookupFields(value: unknown) {
      const o = (value ?? {}) as Record<string, unknown>;
      const backing = backingFor(ctx, o['type']);
      const id = Number(o['id']);
      if (!Number.isInteger(id)) {
        throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.lookupFields: Missing a required argument: id');
      }
      const columns = typeof o['columns'] === 'string' ? [o['columns']] : o['columns'];
      if (!Array.isArray(columns) || columns.length === 0) {
        throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.lookupFields: Missing a required argument: columns');
      }
      ctx.meter.consume(UNIT_COSTS.lookupFields);
      requireLevel(backing, 'VIEW');
      const data = backing.load(id);
      if (!data) return {};
      const result: Record<string, unknown> = {};
      for (const column of columns.map((c) => String(c))) {
        const key = column.toLowerCase();
        if (SELECT_COLUMNS.has(key) && backing.type === 'employee') {
          result[column] = (data.sublists['roles'] ?? []).slice(0, 1).map((l) => {
            const role = ctx.directory.getRole(ctx.accountId, Number(l['selectedrole']));
            return { value: String(l['selectedrole']), text: role?.name ?? '' };
          });
          continue;
        }
        result[column] = key === 'internalid' ? [{ value: String(id), text: String(id) }] : backing.present(key, data.body[key]);
      }
      return result;
    },
  };
}
