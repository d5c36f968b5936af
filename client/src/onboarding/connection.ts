import { resolveEndpoints, type TransportOptions } from '../account';
import { CertificateApi } from '../certificates';
import type { Clock } from '../clock';
import type { ConcurrencySlots } from '../http/accountSemaphore';
import { usableLimit } from '../http/accountLimit';
import { DEFAULT_ACCOUNT_CONCURRENCY } from '../http/limiter';
import { NetSuiteHttp } from '../http/netsuiteHttp';
import type { ClientObserver } from '../http/observer';
import { RestletClient, SuiteQLClient, type AccessTokenProvider } from '../resources';
import type { TenantRecord } from './types';

/** M2M clients of a completed tenant. The private key stays inside the process that made them. */
export interface TenantConnection {
  tenant: string;
  accountId: string;
  restlet: RestletClient;
  suiteql: SuiteQLClient;
  certificates: CertificateApi;
  /** The account's request path (limiter sized from the learned account limit, retries, over-limit narrowing). */
  http: NetSuiteHttp;
  accessToken(): Promise<string>;
}

export interface ConnectionOptions {
  fetch?: typeof fetch | undefined;
  clock: Clock;
  observer?: ClientObserver;
  /** Share of a shared (not integration-reserved) account limit left to the customer's other integrations. Default 0. */
  keepFreeShare?: number;
  /** A limiter shared across processes for the account, e.g. `(id, limit) => redisSemaphores.forAccount(id, limit)`. */
  limiterFor?: (accountId: string, limit: number) => ConcurrencySlots;
}

/** The limit onboarding learned from governanceLimits, less the share kept free; undefined when it could not be read. */
export function connectionLimit(record: TenantRecord, keepFreeShare = 0): number | undefined {
  const learned = record.concurrency;
  return learned && 'limit' in learned ? usableLimit(learned, keepFreeShare) : undefined;
}

export function buildConnection(record: TenantRecord, auth: AccessTokenProvider, o: ConnectionOptions): TenantConnection {
  const s = record.settings;
  const transport: TransportOptions = { clock: o.clock };
  if (s.baseUrl) transport.baseUrl = s.baseUrl;
  if (s.dangerouslyAllowInsecureHttp) transport.dangerouslyAllowInsecureHttp = true;
  if (o.fetch) transport.fetch = o.fetch;
  const endpoints = resolveEndpoints(s.accountId, transport);
  const limit = connectionLimit(record, o.keepFreeShare) ?? DEFAULT_ACCOUNT_CONCURRENCY;
  const http = new NetSuiteHttp({
    accountId: s.accountId,
    ...transport,
    ...(o.limiterFor ? { limiter: o.limiterFor(s.accountId, limit) } : { concurrency: limit }),
    ...(o.observer ? { observer: o.observer } : {}),
  });
  return {
    tenant: record.tenant,
    accountId: s.accountId,
    restlet: new RestletClient({ endpoints, http, auth }),
    suiteql: new SuiteQLClient({ endpoints, http, auth }),
    certificates: new CertificateApi({ endpoints, clientId: s.ccClient.clientId, http, auth }),
    http,
    accessToken: () => auth.getAccessToken(),
  };
}
