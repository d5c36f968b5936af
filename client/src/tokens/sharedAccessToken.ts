import { scopeKey } from './scopes';
import type { TokenKey, TokenSet } from './types';

/**
 * A client-credentials access token as the TokenStore holds it, so every process serving the tenant uses the
 * same token instead of minting its own. Its own row per tenant and scopes, never the tenant's onboarding record;
 * the SQLite, Redis and PostgreSQL stores encrypt it.
 */
export interface SharedAccessToken {
  v: 1;
  accessToken: string;
  expiresAt: number;
  /** When the request was sent (local clock of the process that minted). */
  issuedAt: number;
  scopes: string[];
}

export const SHARED_TOKEN_KEY_PREFIX = 'suitebridge:m2m-token:';

export function sharedTokenStoreKey(key: Pick<TokenKey, 'tenant' | 'scopes'>): string {
  return `${SHARED_TOKEN_KEY_PREFIX}${encodeURIComponent(key.tenant)}:${encodeURIComponent(scopeKey(key.scopes))}`;
}

export function serializeSharedToken(tokens: TokenSet, issuedAt: number): string {
  return JSON.stringify({ v: 1, accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, issuedAt, scopes: tokens.scopes } satisfies SharedAccessToken);
}

/** Undefined for a row that is not a shared token (written by something else): it is then replaced. */
export function parseSharedToken(value: string): { tokens: TokenSet; issuedAt: number } | undefined {
  try {
    const parsed = JSON.parse(value) as SharedAccessToken;
    if (parsed?.v !== 1 || typeof parsed.accessToken !== 'string' || typeof parsed.expiresAt !== 'number' || !Array.isArray(parsed.scopes)) {
      return undefined;
    }
    return {
      tokens: { accessToken: parsed.accessToken, expiresAt: parsed.expiresAt, scopes: parsed.scopes, tokenType: 'Bearer' },
      issuedAt: typeof parsed.issuedAt === 'number' ? parsed.issuedAt : parsed.expiresAt - 3_600_000,
    };
  } catch {
    return undefined;
  }
}
