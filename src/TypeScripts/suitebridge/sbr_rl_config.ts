/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import { assertConfigKey, parseConfigEntries } from './lib/configEntries';
import { activeEntries, readConfigRows, upsertEntries, type UpsertResult } from './lib/configStore';
import { guarded } from './lib/errors';
import { parseBodyObject, rejectUnknownFields, type JsonObject } from './lib/input';

export interface ConfigEntriesResponse {
  entries: Record<string, string>;
}

function readConfig(params?: JsonObject): ConfigEntriesResponse {
  const rawKey = params?.['key'];
  const key = rawKey === undefined || rawKey === '' ? undefined : assertConfigKey(rawKey, "URL parameter 'key'");
  const entries = activeEntries(readConfigRows());
  if (key === undefined) return { entries };
  const value = entries[key];
  return { entries: value === undefined ? {} : { [key]: value } };
}

function writeConfig(body?: unknown): UpsertResult {
  const request = parseBodyObject(body);
  rejectUnknownFields(request, ['entries']);
  return upsertEntries(parseConfigEntries(request), true);
}

export const get: EntryPoints.RESTlet.get<JsonObject, ConfigEntriesResponse> = guarded('sbr_rl_config', readConfig);
export const put: EntryPoints.RESTlet.put<JsonObject, UpsertResult> = guarded('sbr_rl_config', writeConfig);
