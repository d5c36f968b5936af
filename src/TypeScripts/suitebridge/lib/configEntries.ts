import { sbrError } from './errors';
import type { JsonObject } from './input';

export const CONFIG_KEY_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
export const CONFIG_VALUE_MAX_LENGTH = 4000;
/** Each new entry costs 6 units (create 2 + save 4); 100 keeps a PUT far below the RESTlet's 5,000. */
export const CONFIG_MAX_ENTRIES_PER_PUT = 100;

export function assertConfigKey(key: unknown, field: string): string {
  if (typeof key !== 'string' || !CONFIG_KEY_PATTERN.test(key)) {
    const shown = typeof key === 'string' ? `'${key.slice(0, 80)}'` : typeof key;
    throw sbrError(
      'SBR_INVALID_KEY',
      `${field} ${shown} is not a valid config key; keys match ${CONFIG_KEY_PATTERN.source} (lower case, starting with a letter, at most 64 characters).`,
    );
  }
  return key;
}

export function assertConfigValue(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw sbrError('SBR_INVALID_VALUE', `${field} must be a string; got ${value === null ? 'null' : typeof value}.`);
  }
  if (value.length > CONFIG_VALUE_MAX_LENGTH) {
    throw sbrError('SBR_INVALID_VALUE', `${field} is ${value.length} characters; values are limited to ${CONFIG_VALUE_MAX_LENGTH}.`);
  }
  return value;
}

/** Validates the `entries` field of a config PUT body. */
export function parseConfigEntries(body: JsonObject): Record<string, string> {
  const entries = body['entries'];
  if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
    throw sbrError('SBR_INVALID_ENTRIES', `'entries' must be an object of key/value strings, e.g. {"entries": {"app.mode": "live"}}.`);
  }
  const keys = Object.keys(entries);
  if (keys.length > CONFIG_MAX_ENTRIES_PER_PUT) {
    throw sbrError('SBR_TOO_MANY_ENTRIES', `'entries' has ${keys.length} keys; send at most ${CONFIG_MAX_ENTRIES_PER_PUT} per request.`);
  }
  const result: Record<string, string> = {};
  for (const key of keys) {
    assertConfigKey(key, 'entries key');
    result[key] = assertConfigValue((entries as JsonObject)[key], `entries["${key}"]`);
  }
  return result;
}
