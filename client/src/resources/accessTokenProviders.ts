import type { AccessTokenProvider } from './types';

/** A fixed bearer token, for scripts and benchmarks; a 401 cannot be recovered from. */
export function staticTokenProvider(accessToken: string): AccessTokenProvider {
  return {
    getAccessToken: () => Promise.resolve(accessToken),
    invalidate: () => Promise.resolve(),
  };
}
