import { ErrorCode, TransportError } from '../errors';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Calls fetch with a timeout; network failures become TransportError naming only the URL (never the body). */
export async function fetchWithTimeout(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await fetchImpl(url, { ...init, signal });
  } catch (err) {
    // Our only signal is the timeout, so an aborted signal means the time ran out.
    if (signal.aborted) {
      throw new TransportError(ErrorCode.TIMEOUT, `No response from ${url} within ${timeoutMs} ms.`, {
        cause: err,
        remedy: 'Check network access to NetSuite, or raise timeoutMs.',
      });
    }
    throw new TransportError(ErrorCode.NETWORK_ERROR, `Request to ${url} failed before a response arrived (${describe(err)}).`, {
      cause: err,
      remedy: 'Check DNS, proxy and firewall settings for the NetSuite host, then retry.',
    });
  }
}

function describe(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'unknown error';
  const { cause, name } = err as { cause?: { code?: unknown }; name?: unknown };
  if (cause && typeof cause.code === 'string') return cause.code;
  return typeof name === 'string' ? name : 'unknown error';
}
