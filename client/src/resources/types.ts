import type { NetSuiteHttp } from '../http/netsuiteHttp';
import type { AccessTokenProvider } from '../tokens/types';

/** What resource clients authenticate with: `tokenManager.provider(key, source)` or `staticTokenProvider(token)`. */
export type { AccessTokenProvider };

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
