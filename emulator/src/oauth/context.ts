import type { Clock } from '../clock';
import type { ResolvedConfig, ResolvedIntegration } from '../config/types';
import type { SqliteAccountDirectory } from '../data/directory';
import type { SystemStore } from '../data/systemStore';
import type { TokenIssuer } from './tokenIssuer';

/** What every grant handler works with: the parsed request plus the emulator's services. */
export interface TokenContext {
  form: URLSearchParams;
  authorization: string | undefined;
  /** The token URL exactly as this request reached it (scheme + host + path): the required assertion `aud`. */
  tokenUrl: string;
  /** Account named in the WWW-Authenticate realm when the client is unknown. */
  fallbackRealm: string;
  /** The account whose host the request reached (undefined in single-origin mode). */
  hostAccountId?: string;
  store: SystemStore;
  directory: SqliteAccountDirectory;
  issuer: TokenIssuer;
  config: ResolvedConfig;
  clock: Clock;
  /** Filled in as soon as the client is known, for the audit trail. */
  audit: { clientId?: string; accountId?: string; role?: number; entity?: number };
}

export type TokenResponse = Record<string, string>;

export interface GrantHandler {
  /** The `grant_type` wire name. */
  readonly grantType: string;
  readonly parameters: readonly string[];
  handle(ctx: TokenContext): Promise<TokenResponse>;
}

export function nowSeconds(ctx: { clock: Clock }): number {
  return Math.floor(ctx.clock.now() / 1000);
}

/** The integration record must have this grant enabled; a public client needs its explicit client-credentials flag. */
export function grantEnabled(integration: ResolvedIntegration, grant: 'authorization_code' | 'client_credentials'): boolean {
  if (!integration.grants.includes(grant)) return false;
  if (grant === 'client_credentials' && integration.publicClient) return integration.allowClientCredentialsForPublicClient;
  return true;
}
