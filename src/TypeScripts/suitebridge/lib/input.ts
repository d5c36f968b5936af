import { sbrError } from './errors';

export type JsonObject = { [key: string]: unknown };

/** RESTlet bodies arrive as objects for application/json and as strings for text/plain. */
export function parseBodyObject(body: unknown): JsonObject {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw sbrError('SBR_INVALID_BODY', 'body is not valid JSON; send a JSON object with Content-Type: application/json.');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw sbrError('SBR_INVALID_BODY', 'body must be a JSON object; send it with Content-Type: application/json.');
  }
  return value as JsonObject;
}

export function rejectUnknownFields(body: JsonObject, allowed: readonly string[]): void {
  for (const field of Object.keys(body)) {
    if (!allowed.includes(field)) {
      throw sbrError('SBR_UNKNOWN_FIELD', `body field '${field}' is not supported; allowed fields: ${allowed.join(', ')}.`);
    }
  }
}

const MAX_INTERNAL_ID = 2147483647;

/** Internal IDs in JSON bodies must be positive integer numbers. */
export function entityFromBody(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_INTERNAL_ID) {
    throw sbrError('SBR_INVALID_ENTITY', `'${field}' must be the employee's internal ID as a positive integer, e.g. {"${field}": 8}.`);
  }
  return value;
}

/** URL parameters always arrive as strings. Returns undefined when the parameter is absent or empty. */
export function optionalIdParam(
  params: JsonObject | undefined,
  field: string,
  code: 'SBR_INVALID_ENTITY' | 'SBR_INVALID_BUNDLE_ID',
): number | undefined {
  const raw = params?.[field];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = String(raw);
  const value = Number(text);
  if (!/^[1-9][0-9]{0,9}$/.test(text) || value > MAX_INTERNAL_ID) {
    throw sbrError(code, `URL parameter '${field}' must be a positive integer internal ID; got '${text.slice(0, 40)}'.`);
  }
  return value;
}
