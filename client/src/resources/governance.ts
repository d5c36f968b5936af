import { SuiteBridgeError } from '../errors';
import type { NetSuiteHttp } from '../http/netsuiteHttp';
import { toNetSuiteApiError } from './apiErrors';
import { authorizedRequest, isSuccess } from './authorizedRequest';
import type { AccessTokenProvider } from './types';

export interface GovernanceLimits {
  /** The account's concurrency limit (RESTlets and REST web services together). */
  accountConcurrencyLimit: number;
  /** What is left after limits reserved for specific integrations; size a shared limiter from this. */
  unallocatedConcurrencyLimit: number | undefined;
  limitType: string | undefined;
}

/**
 * `GET /services/rest/system/v1/governanceLimits` (administrators only). Field names are UNCERTAIN: the
 * documented content is "account limit, unallocated limit, limit type"; both spellings seen are accepted.
 */
export class GovernanceClient {
  constructor(private readonly o: { endpoints: { governanceLimitsUrl: string }; http: NetSuiteHttp; auth: AccessTokenProvider }) {}

  async limits(): Promise<GovernanceLimits> {
    const result = await authorizedRequest(this.o, (authorization) => ({
      method: 'GET',
      url: this.o.endpoints.governanceLimitsUrl,
      headers: { authorization, accept: 'application/json' },
    }));
    if (!isSuccess(result.status)) throw toNetSuiteApiError(result, 'rest', 'Reading governance limits');
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(result.body) as Record<string, unknown>;
    } catch {
      throw unexpected('not JSON');
    }
    const account = numberField(json, ['accountConcurrencyLimit', 'accountLimit']);
    if (account === undefined) throw unexpected('no account concurrency limit');
    return {
      accountConcurrencyLimit: account,
      unallocatedConcurrencyLimit: numberField(json, ['accountUnallocatedConcurrencyLimit', 'unallocatedConcurrencyLimit', 'unallocatedLimit']),
      limitType: typeof json.limitType === 'string' ? json.limitType : undefined,
    };
  }
}

function numberField(json: Record<string, unknown>, names: string[]): number | undefined {
  for (const name of names) {
    const value = json[name];
    if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
    if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) > 0) return Number(value);
  }
  return undefined;
}

function unexpected(detail: string): SuiteBridgeError {
  return new SuiteBridgeError('NETSUITE_ERROR', `Unexpected governance limits answer: ${detail}`, {
    remedy: 'Keep the default concurrency of 5, or set it to the limit shown under Setup > Integration > Integration Governance.',
  });
}
