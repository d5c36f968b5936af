import type { AccessTokenProvider } from './types';

/** The shape of TokenManager (tokens.ts) these adapters rely on. */
export interface TokenManagerLike<Key, Source> {
  getAccessToken(key: Key, source: Source): Promise<string>;
  invalidate(key: Key): Promise<void>;
}

/** Binds a TokenManager cache entry (tenant, grant, scopes) and its source to the resource clients. */
export function tokenManagerProvider<Key, Source>(manager: TokenManagerLike<Key, Source>, key: Key, source: Source): AccessTokenProvider {
  return {
    getAccessToken: () => manager.getAccessToken(key, source),
    invalidate: () => manager.invalidate(key),
  };
}

/** A fixed bearer token, for scripts and benchmarks; a 401 cannot be recovered from. */
export function staticTokenProvider(accessToken: string): AccessTokenProvider {
  return {
    getAccessToken: () => Promise.resolve(accessToken),
    invalidate: () => Promise.resolve(),
  };
}
