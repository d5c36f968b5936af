/**
 * A minimal N/search `create(...).run()` over employees and installed custom records: AND-joined filters with
 * the common operators, plain columns. Enough for lookups by key; not a search engine.
 */
import type { ScriptContext } from './context';
import { SuiteScriptError } from './errors';
import { UNIT_COSTS } from './governance';
import { backingFor, type RecordBacking, type RecordData } from './recordBacking';
import { requireLevel } from './recordInstance';

export const Operator = Object.freeze({
  IS: 'is',
  ISNOT: 'isnot',
  ANYOF: 'anyof',
  NONEOF: 'noneof',
  STARTSWITH: 'startswith',
  CONTAINS: 'contains',
  EQUALTO: 'equalto',
  ISEMPTY: 'isempty',
  ISNOTEMPTY: 'isnotempty',
});

interface Filter {
  name: string;
  operator: string;
  values: unknown[];
}

interface Column {
  name: string;
  label?: string;
}

const MAX_EACH = 4000;
const MAX_RANGE = 1000;

export function createFilter(o: unknown): Filter {
  const options = (o ?? {}) as Record<string, unknown>;
  const name = options['name'];
  const operator = options['operator'];
  if (typeof name !== 'string' || typeof operator !== 'string') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.createFilter: name and operator are required.');
  }
  const values = options['values'];
  return { name: name.toLowerCase(), operator: operator.toLowerCase(), values: Array.isArray(values) ? values : values === undefined ? [] : [values] };
}

export function createColumn(o: unknown): Column {
  const options = (typeof o === 'string' ? { name: o } : (o ?? {})) as Record<string, unknown>;
  if (typeof options['name'] !== 'string') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'search.createColumn: Missing a required argument: name');
  }
  return { name: options['name'].toLowerCase(), ...(typeof options['label'] === 'string' ? { label: options['label'] } : {}) };
}

function parseFilters(raw: unknown): Filter[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new SuiteScriptError('SSS_INVALID_SRCH_FILTER', 'search filters must be an array.');
  if (raw.length > 0 && typeof raw[0] === 'string' && typeof raw[1] === 'string' && raw[0].toLowerCase() !== 'and') {
    const [name, operator, ...values] = raw as [string, string, ...unknown[]];
    return [createFilter({ name, operator, values: values.flat() })];
  }
  return raw.flatMap((item: unknown) => {
    if (typeof item === 'string') {
      if (item.toLowerCase() === 'and') return [];
      throw new SuiteScriptError('SSS_INVALID_SRCH_FILTER_EXPR', `Filter operator "${item}" is not emulated; only AND is.`);
    }
    if (Array.isArray(item)) return parseFilters(item);
    return [createFilter(item)];
  });
}

function fieldValue(backing: RecordBacking, id: number, data: RecordData, name: string): unknown {
  if (name === 'internalid') return String(id);
  if (name === 'role' && backing.type === 'employee') return String(data.sublists['roles']?.[0]?.['selectedrole'] ?? '');
  return backing.present(name, data.body[name]);
}

function matches(filter: Filter, value: unknown): boolean {
  const text = value === null || value === undefined ? '' : String(value === true ? 'T' : value === false ? 'F' : value);
  const wanted = filter.values.map((v) => String(v === true ? 'T' : v === false ? 'F' : v));
  switch (filter.operator) {
    case 'is':
    case 'equalto':
      return text.toLowerCase() === (wanted[0] ?? '').toLowerCase();
    case 'isnot':
      return text.toLowerCase() !== (wanted[0] ?? '').toLowerCase();
    case 'anyof':
      return wanted.includes(text);
    case 'noneof':
      return !wanted.includes(text);
    case 'startswith':
      return text.toLowerCase().startsWith((wanted[0] ?? '').toLowerCase());
    case 'contains':
      return text.toLowerCase().includes((wanted[0] ?? '').toLowerCase());
    case 'isempty':
      return text === '';
    case 'isnotempty':
      return text !== '';
    default:
      throw new SuiteScriptError('SSS_INVALID_SRCH_OPERATOR', `Search operator "${filter.operator}" is not emulated.`);
  }
}

function columnName(column: unknown): string {
  if (typeof column === 'string') return column.toLowerCase();
  return String((column as { name?: unknown } | null)?.name ?? '').toLowerCase();
}

export function createSearch(ctx: ScriptContext, o: unknown): Record<string, unknown> {
  const options = (o ?? {}) as Record<string, unknown>;
  const backing = backingFor(ctx, options['type']);
  const filters = parseFilters(options['filters']);
  const columns = (Array.isArray(options['columns']) ? options['columns'] : []).map(createColumn);

  const results = () => {
    requireLevel(backing, 'VIEW');
    const ids = (ctx.directory.db(ctx.accountId).prepare(`SELECT id FROM ${backing.type} ORDER BY id`).all() as { id: number }[]).map((r) => r.id);
    return ids.flatMap((id) => {
      const data = backing.load(id);
      if (!data || !filters.every((f) => matches(f, fieldValue(backing, id, data, f.name)))) return [];
      const values = new Map(columns.map((c) => [c.name, fieldValue(backing, id, data, c.name)]));
      return [
        Object.freeze({
          id: String(id),
          recordType: backing.type,
          columns,
          getValue: (column: unknown) => values.get(columnName(column)) ?? null,
          getText: (column: unknown) => String(values.get(columnName(column)) ?? ''),
        }),
      ];
    });
  };

  return {
    searchType: backing.type,
    filters,
    columns,
    run: () =>
      Object.freeze({
        columns,
        each(callback: unknown): void {
          if (typeof callback !== 'function') throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'ResultSet.each: callback is required.');
          ctx.meter.consume(UNIT_COSTS.searchResultPage);
          for (const result of results().slice(0, MAX_EACH)) {
            if ((callback as (r: unknown) => unknown)(result) !== true) break;
          }
        },
        getRange(range: unknown): unknown[] {
          const r = (range ?? {}) as Record<string, unknown>;
          const start = Number(r['start']);
          const end = Number(r['end']);
          if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end - start > MAX_RANGE) {
            throw new SuiteScriptError('SSS_INVALID_SRCH_RANGE', `ResultSet.getRange: start/end must be integers with 0 <= start <= end and at most ${MAX_RANGE} apart.`);
          }
          ctx.meter.consume(UNIT_COSTS.searchResultPage);
          return results().slice(start, end);
        },
      }),
  };
}
