import type { LookupFunction } from 'node:net';

/**
 * The fetch every SuiteBridge request goes through unless the caller passes its own `fetch` option.
 *
 * `*.localhost` names are loopback by definition (RFC 6761 §6.3), and the emulator serves each account on
 * `<hostId>.app|suitetalk|restlets.localhost`, but Node's resolver only knows the bare `localhost`. Requests to a
 * `.localhost` name therefore go through undici with its DNS lookup pinned to 127.0.0.1; the Host header keeps
 * the name, which is what the emulator routes on. Everything else uses the platform fetch untouched.
 */
export const defaultFetch: typeof fetch = (input, init) => {
  if (isUnderLocalhost(hostnameOf(input))) return loopbackFetch()(input, init);
  return globalThis.fetch(input, init);
};

/**
 * A name under `localhost` (`1234567.suitetalk.localhost`), with or without the trailing dot. Plain `localhost` is
 * left to the system resolver, which knows it (and may answer ::1).
 */
export function isUnderLocalhost(hostname: string): boolean {
  return hostname.toLowerCase().replace(/\.$/, '').endsWith('.localhost');
}

function hostnameOf(input: string | URL | Request): string {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(href).hostname;
  } catch {
    return '';
  }
}

const LOOPBACK_V4 = '127.0.0.1';

/** Resolves names under `localhost` to 127.0.0.1 and leaves any other name (a redirect elsewhere) to the system resolver. */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  if (!isUnderLocalhost(hostname)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:dns') as typeof import('node:dns')).lookup(hostname, options, callback as never);
    return;
  }
  if (options.all) (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: LOOPBACK_V4, family: 4 }]);
  else callback(null, LOOPBACK_V4, 4);
};

let cached: typeof fetch | undefined;

/** undici is loaded on first use only: programs that never talk to `.localhost` never load it. */
function loopbackFetch(): typeof fetch {
  if (cached) return cached;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const undici = require('undici') as typeof import('undici');
  const dispatcher = new undici.Agent({ connect: { lookup: loopbackLookup } });
  const undiciFetch = undici.fetch as unknown as (input: unknown, init?: Record<string, unknown>) => Promise<Response>;
  cached = (async (input: string | URL | Request, init?: RequestInit) => {
    if (typeof input === 'string' || input instanceof URL) return undiciFetch(input, { ...init, dispatcher });
    // A platform Request is not undici's own class: pass its parts instead.
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
    return undiciFetch(input.url, { method: input.method, headers: input.headers, body, redirect: input.redirect, signal: input.signal, ...init, dispatcher });
  }) as typeof fetch;
  return cached;
}
