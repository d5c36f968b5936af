import type { AuthorizationCodeClient } from '../authcode';
import type { ClientCredentialsClient } from '../clientCredentials';

/** What a token endpoint handed out, normalised (NetSuite sends `expires_in` as a string and `bearer` in any case). */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Absolute expiry, ms since the epoch, computed from the time the request was sent. */
  expiresAt: number;
  scopes: string[];
  tokenType: 'Bearer';
  idToken?: string;
}

export type TokenGrant = 'client_credentials' | 'authorization_code';

/** One cache entry per (tenant, grant, sorted scopes). `tenant` is yours: an account ID, a customer ID, ... */
export interface TokenKey {
  tenant: string;
  grant: TokenGrant;
  scopes: string[];
}

export type TokenSource =
  | { kind: 'client_credentials'; client: ClientCredentialsClient }
  /** The refresh token lives in the TokenStore and is rotated with compare-and-swap. */
  | { kind: 'authorization_code'; client: AuthorizationCodeClient };

/** What resource clients (RESTlet, SuiteQL, records, certificates) need from the token layer. */
export interface AccessTokenProvider {
  getAccessToken(): Promise<string>;
  /** Drops the cached token. Pass the token that failed so concurrent 401s cause only one refresh. */
  invalidate(failedAccessToken?: string): Promise<void>;
}
