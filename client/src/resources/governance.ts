import { SuiteBridgeError } from '../errors';
import type { NetSuiteHttp } from '../http/netsuiteHttp';
import { toNetSuiteApiError } from './apiErrors';
import { authorizedRequest, isSuccess } from './authorizedRequest';
import type { AccessTokenProvider } from './types';

export interface GovernanceLimits {
  /** The account's concurrency limit (RESTlets and REST web services together). */
  accountConcurrencyLimit: number;
  /** What is left after limits reserved for specific integrations (may be 0); size a shared limiter from this. */
  unallocatedConcurrencyLimit: number | undefined;
  /** The limit reserved for this integration, when the answer carries one (limit type integrationSpecific). */
  integrationConcurrencyLimit?: number;
  limitType: string | undefined;
}

/**
 * `GET /services/rest/system/v1/governanceLimits` (administrators only). Field names are UNCERTAIN: the
 * documented content is "account limit, unallocated limit, limit type". Accepted: netsuite-cli's names
 * (accountConcurrencyLimit, accountUnallocatedConcurrencyLimit), SOAP's (unallocatedConcurrencyLimit,
 * integrationConcurrencyLimit), short forms, numbers as strings, and `limitType` with or without SOAP's `_` prefix.
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
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw unexpected('not a JSON object');
    const account = numberField(json, ['accountConcurrencyLimit', 'accountLimit'], 1);
    if (account === undefined) throw unexpected('no account concurrency limit');
    const limits: GovernanceLimits = {
      accountConcurrencyLimit: account,
      // Zero is a real answer here: every slot is reserved for specific integrations.
      unallocatedConcurrencyLimit: numberField(json, ['accountUnallocatedConcurrencyLimit', 'unallocatedConcurrencyLimit', 'unallocatedLimit'], 0),
      limitType: typeof json.limitType === 'string' ? json.limitType.replace(/^_/, '') : undefined,
    };
    const integration = numberField(json, ['integrationConcurrencyLimit', 'integrationLimit'], 1);
    if (integration !== undefined) limits.integrationConcurrencyLimit = integration;
    return limits;
  }
}

function numberField(json: Record<string, unknown>, names: string[], min: number): number | undefined {
  for (const name of names) {
    const value = json[name];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
    if (typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= min) return Number(value);
  }
  return undefined;
}

function unexpected(detail: string): SuiteBridgeError {
  return new SuiteBridgeError('NETSUITE_ERROR', `Unexpected governance limits answer: ${detail}`, {
    remedy: 'Keep the default concurrency of 5, or set it to the limit shown under Setup > Integration > Integration Governance.',
  });
}
