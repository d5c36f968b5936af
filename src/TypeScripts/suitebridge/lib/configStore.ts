import * as query from 'N/query';
import * as record from 'N/record';
import { CONFIG_KEY_FIELD, CONFIG_RECORD_TYPE, CONFIG_VALUE_FIELD } from './ids';

export interface ConfigRow {
  id: number;
  key: string;
  value: string;
  inactive: boolean;
}

export interface UpsertResult {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** One SuiteQL call (10 units). The key is unique by script logic: on duplicates the oldest row wins. */
export function readConfigRows(): Map<string, ConfigRow> {
  const rows = query
    .runSuiteQL({
      query: `SELECT id, ${CONFIG_KEY_FIELD}, ${CONFIG_VALUE_FIELD}, isinactive FROM ${CONFIG_RECORD_TYPE} ORDER BY id`,
    })
    .asMappedResults();
  const byKey = new Map<string, ConfigRow>();
  for (const row of rows) {
    const key = row[CONFIG_KEY_FIELD];
    if (typeof key !== 'string' || byKey.has(key)) continue;
    byKey.set(key, {
      id: Number(row['id']),
      key,
      value: row[CONFIG_VALUE_FIELD] == null ? '' : String(row[CONFIG_VALUE_FIELD]),
      inactive: row['isinactive'] === 'T' || row['isinactive'] === true,
    });
  }
  return byKey;
}

export function activeEntries(rows: Map<string, ConfigRow>): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const row of rows.values()) {
    if (!row.inactive) entries[row.key] = row.value;
  }
  return entries;
}

function createEntry(key: string, value: string): void {
  const entry = record.create({ type: CONFIG_RECORD_TYPE });
  entry.setValue({ fieldId: 'name', value: key });
  entry.setValue({ fieldId: CONFIG_KEY_FIELD, value: key });
  entry.setValue({ fieldId: CONFIG_VALUE_FIELD, value });
  entry.save();
}

function updateEntry(id: number, value: string): void {
  record.submitFields({
    type: CONFIG_RECORD_TYPE,
    id,
    values: { [CONFIG_VALUE_FIELD]: value, isinactive: false },
  });
}

/**
 * Writes entries. With `overwrite: false` (seeding defaults) existing keys are left alone, even inactive ones,
 * so an administrator's choices survive reinstalls. An inactive entry that is written is reactivated.
 */
export function upsertEntries(entries: Record<string, string>, overwrite: boolean): UpsertResult {
  const rows = readConfigRows();
  const result: UpsertResult = { created: [], updated: [], unchanged: [] };
  for (const [key, value] of Object.entries(entries)) {
    const existing = rows.get(key);
    if (!existing) {
      createEntry(key, value);
      result.created.push(key);
    } else if (!overwrite || (existing.value === value && !existing.inactive)) {
      result.unchanged.push(key);
    } else {
      updateEntry(existing.id, value);
      result.updated.push(key);
    }
  }
  return result;
}
