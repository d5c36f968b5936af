import { ErrorCode, StoreError } from '../errors';
import { scopeKey } from './scopes';
import type { TokenKey, TokenSet } from './types';

/** What the TokenStore holds for an authorization-code tenant (JSON, encrypted by the SQLite store). */
export interface StoredAuthorization {
  v: 1;
  refreshToken: string;
  /** The newest access token, shared so other processes need not refresh (and burn a rotation). */
  accessToken?: string;
  expiresAt?: number;
  issuedAt?: number;
  scopes: string[];
  idToken?: string;
  /** Who consented, from the callback; kept across rotations. */
  identity?: { role: number; entity: number; company: string };
}

export const AUTHORIZATION_KEY_PREFIX = 'suitebridge:authorization:';

/** Store key of a tenant's authorization-code tokens. */
export function authorizationStoreKey(key: Pick<TokenKey, 'tenant' | 'scopes'>): string {
  return `${AUTHORIZATION_KEY_PREFIX}${encodeURIComponent(key.tenant)}:${encodeURIComponent(scopeKey(key.scopes))}`;
}

export function parseStoredAuthorization(storeKey: string, value: string): StoredAuthorization {
  try {
    const parsed = JSON.parse(value) as StoredAuthorization;
    if (parsed && parsed.v === 1 && typeof parsed.refreshToken === 'string' && Array.isArray(parsed.scopes)) return parsed;
  } catch {
    // reported below
  }
  throw new StoreError(ErrorCode.STORE_ERROR, `The stored authorization "${storeKey}" is not in SuiteBridge's format.`, {
    remedy: 'Delete it and run the authorization code flow again.',
  });
}

export function storedFromTokens(
  tokens: TokenSet,
  issuedAt: number,
  previous?: StoredAuthorization,
  identity?: StoredAuthorization['identity'],
): StoredAuthorization {
  const refreshToken = tokens.refreshToken ?? previous?.refreshToken;
  if (!refreshToken) {
    throw new StoreError(ErrorCode.STORE_ERROR, 'Cannot store an authorization without a refresh token.', {
      remedy: 'Make sure the token response contained refresh_token (authorization code grant).',
    });
  }
  const stored: StoredAuthorization = {
    v: 1,
    refreshToken,
    accessToken: tokens.accessToken,
    expiresAt: tokens.expiresAt,
    issuedAt,
    scopes: tokens.scopes,
  };
  const idToken = tokens.idToken ?? previous?.idToken;
  if (idToken !== undefined) stored.idToken = idToken;
  const who = identity ?? previous?.identity;
  if (who !== undefined) stored.identity = who;
  return stored;
}

export function tokensFromStored(stored: StoredAuthorization): TokenSet | undefined {
  if (stored.accessToken === undefined || stored.expiresAt === undefined) return undefined;
  const tokens: TokenSet = {
    accessToken: stored.accessToken,
    refreshToken: stored.refreshToken,
    expiresAt: stored.expiresAt,
    scopes: stored.scopes,
    tokenType: 'Bearer',
  };
  if (stored.idToken !== undefined) tokens.idToken = stored.idToken;
  return tokens;
}
