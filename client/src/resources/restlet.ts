import { ConfigurationError } from '../errors';
import type { HttpMethod } from '../http/types';
import { toNetSuiteApiError } from './apiErrors';
import { authorizedRequest, isSuccess, parseBody } from './authorizedRequest';
import type { ResourceClientOptions } from './types';

export type RestletParams = Record<string, string | number | boolean>;

export interface RestletCallOptions {
  /** POST is not retried on 429/5xx/resets unless the RESTlet is safe to run twice. */
  retryNonIdempotent?: boolean;
  params?: RestletParams;
  signal?: AbortSignal;
}

/** Script and deployment IDs: internal numbers or script IDs (customscript_…, customdeploy_…). */
const SCRIPT_OR_DEPLOY_ID = /^[A-Za-z0-9_]{1,100}$/;
const RESERVED_PARAMS = new Set(['script', 'deploy']);

/** Calls RESTlets by script and deployment ID with JSON in and out. */
export class RestletClient {
  constructor(private readonly o: ResourceClientOptions) {}

  get<T = unknown>(scriptId: string, deployId: string, params?: RestletParams, o?: { signal?: AbortSignal }): Promise<T> {
    return this.call<T>('GET', scriptId, deployId, undefined, { ...o, ...(params ? { params } : {}) });
  }

  post<T = unknown>(scriptId: string, deployId: string, body: unknown, o?: RestletCallOptions): Promise<T> {
    return this.call<T>('POST', scriptId, deployId, body, o);
  }

  put<T = unknown>(scriptId: string, deployId: string, body: unknown, o?: RestletCallOptions): Promise<T> {
    return this.call<T>('PUT', scriptId, deployId, body, o);
  }

  delete<T = unknown>(scriptId: string, deployId: string, params?: RestletParams, o?: { signal?: AbortSignal }): Promise<T> {
    return this.call<T>('DELETE', scriptId, deployId, undefined, { ...o, ...(params ? { params } : {}) });
  }

  private async call<T>(method: HttpMethod, scriptId: string, deployId: string, body: unknown, o: RestletCallOptions = {}): Promise<T> {
    const url = this.url(scriptId, deployId, o.params);
    const payload = body === undefined ? undefined : jsonBody(body);
    const result = await authorizedRequest(this.o, (authorization) => ({
      method,
      url,
      headers: {
        authorization,
        accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { body: payload }),
      ...(o.retryNonIdempotent === undefined ? {} : { retryNonIdempotent: o.retryNonIdempotent }),
      ...(o.signal ? { signal: o.signal } : {}),
    }));
    if (!isSuccess(result.status)) throw toNetSuiteApiError(result, 'restlet', `RESTlet ${method} ${scriptId}/${deployId}`);
    return parseBody(result.body) as T;
  }

  private url(scriptId: string, deployId: string, params: RestletParams | undefined): string {
    checkId(scriptId, 'scriptId');
    checkId(deployId, 'deployId');
    const base = this.o.endpoints.restletUrl(scriptId, deployId);
    if (params === undefined) return base;
    const url = new URL(base);
    for (const [key, value] of Object.entries(params ?? {})) {
      if (RESERVED_PARAMS.has(key)) {
        throw new ConfigurationError('INVALID_ARGUMENT', `RESTlet parameter "${key}" is reserved for the script/deployment ID`, {
          field: 'params',
          remedy: 'Pass the script and deployment IDs as arguments and rename the parameter.',
        });
      }
      url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

function checkId(value: string, field: string): void {
  if (!SCRIPT_OR_DEPLOY_ID.test(value)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${field} must be a script/deployment ID like customscript_x or 123, got ${JSON.stringify(value)}`, {
      field,
      remedy: 'Use the ID from the script deployment record (Customization > Scripting > Script Deployments).',
    });
  }
}

function jsonBody(body: unknown): string {
  try {
    return JSON.stringify(body);
  } catch (err) {
    throw new ConfigurationError('INVALID_ARGUMENT', `The RESTlet body cannot be sent as JSON (${err instanceof Error ? err.message.split('\n')[0] : 'not serializable'}).`, {
      field: 'body',
      remedy: 'Pass plain data: objects, arrays, strings, numbers, booleans and null, with no circular references (convert BigInt to a string).',
    });
  }
}
