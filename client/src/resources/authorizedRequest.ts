import type { HttpRequest, HttpResult } from '../http/types';
import type { ResourceClientOptions } from './types';

/**
 * Sends a request with a bearer token. A 401 means the token went stale (revoked, rotated, clock drift):
 * invalidate it and try once more with a fresh one. A 401 is never processed, so POST is safe to resend.
 */
export async function authorizedRequest(
  o: Pick<ResourceClientOptions, 'http' | 'auth'>,
  build: (authorization: string) => HttpRequest,
): Promise<HttpResult> {
  const token = await o.auth.getAccessToken();
  const first = await o.http.request(build(`Bearer ${token}`));
  if (first.status !== 401) return first;
  // Naming the failed token lets the TokenManager ignore late 401s for a token it already replaced.
  await o.auth.invalidate(token);
  return o.http.request(build(`Bearer ${await o.auth.getAccessToken()}`));
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** JSON when the body parses, the raw text otherwise, undefined when empty (204, or a void RESTlet). */
export function parseBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
