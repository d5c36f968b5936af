import { resolveEndpoints, type TransportOptions } from '../account';
import { CertificateApi } from '../certificates';
import type { Clock } from '../clock';
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
  accessToken(): Promise<string>;
}

export function buildConnection(record: TenantRecord, auth: AccessTokenProvider, o: { fetch?: typeof fetch | undefined; clock: Clock; observer?: ClientObserver }): TenantConnection {
  const s = record.settings;
  const transport: TransportOptions = { clock: o.clock };
  if (s.baseUrl) transport.baseUrl = s.baseUrl;
  if (s.dangerouslyAllowInsecureHttp) transport.dangerouslyAllowInsecureHttp = true;
  if (o.fetch) transport.fetch = o.fetch;
  const endpoints = resolveEndpoints(s.accountId, transport);
  const http = new NetSuiteHttp({ accountId: s.accountId, ...transport, ...(o.observer ? { observer: o.observer } : {}) });
  return {
    tenant: record.tenant,
    accountId: s.accountId,
    restlet: new RestletClient({ endpoints, http, auth }),
    suiteql: new SuiteQLClient({ endpoints, http, auth }),
    certificates: new CertificateApi({ endpoints, clientId: s.ccClient.clientId, http, auth }),
    accessToken: () => auth.getAccessToken(),
  };
}
