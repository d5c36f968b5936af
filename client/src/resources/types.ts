import type { NetSuiteHttp } from '../http/netsuiteHttp';

/**
 * What resource clients need to authenticate. TokenManager-backed providers come from
 * `tokenManagerProvider`; `invalidate` is called once when NetSuite answers 401.
 */
export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
  invalidate(): Promise<void>;
}

/** The subset of NetSuiteEndpoints (account.ts) the resource clients use. */
export interface ResourceEndpoints {
  suiteqlUrl: string;
  restletUrl(scriptId: string, deployId: string): string;
  recordUrl(type: string, id?: string | number): string;
}

export interface ResourceClientOptions {
  endpoints: ResourceEndpoints;
  http: NetSuiteHttp;
  auth: AccessTokenProvider;
}
