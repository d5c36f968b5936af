import { ConfigurationError } from '../errors';
import { toNetSuiteApiError } from './apiErrors';
import { authorizedRequest, isSuccess, parseBody } from './authorizedRequest';
import type { ResourceClientOptions } from './types';

const RECORD_TYPE = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
const RECORD_ID = /^(-?\d{1,18}|eid:[A-Za-z0-9_.-]{1,100})$/;

export interface RecordGetOptions {
  /** Return only these fields (REST `fields` query parameter). */
  fields?: string[];
  /** Inline sublists and subrecords (REST `expandSubResources=true`). */
  expandSubResources?: boolean;
  signal?: AbortSignal;
}

/** REST web services record reads: GET /services/rest/record/v1/{type}/{id}. */
export class RecordClient {
  constructor(private readonly o: ResourceClientOptions) {}

  async get<T = Record<string, unknown>>(type: string, id: string | number, o: RecordGetOptions = {}): Promise<T> {
    check(RECORD_TYPE.test(type), 'type', `record type must look like "customer" or "customrecord_x", got ${JSON.stringify(type)}`);
    check(RECORD_ID.test(String(id)), 'id', `record ID must be an internal ID or eid:<external ID>, got ${JSON.stringify(String(id))}`);
    const url = new URL(this.o.endpoints.recordUrl(type, id));
    if (o.fields?.length) url.searchParams.set('fields', o.fields.join(','));
    if (o.expandSubResources) url.searchParams.set('expandSubResources', 'true');
    const result = await authorizedRequest(this.o, (authorization) => ({
      method: 'GET',
      url: url.toString(),
      headers: { authorization, accept: 'application/json' },
      ...(o.signal ? { signal: o.signal } : {}),
    }));
    if (!isSuccess(result.status)) throw toNetSuiteApiError(result, 'rest', `Record GET ${type}/${String(id)}`);
    return parseBody(result.body) as T;
  }
}

const REMEDIES: Record<string, string> = {
  type: 'Use the record type ID from the REST API Browser, e.g. customer, salesOrder or customrecord_x.',
  id: 'Use the internal ID shown on the record (a number), or eid:<external ID>.',
};

function check(ok: boolean, field: string, message: string): void {
  if (!ok) throw new ConfigurationError('INVALID_ARGUMENT', message, { field, ...(REMEDIES[field] ? { remedy: REMEDIES[field] } : {}) });
}
