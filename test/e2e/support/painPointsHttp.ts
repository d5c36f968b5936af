/**
 * HTTP seams for the pain-point tests: a fetch that resolves `*.localhost` to 127.0.0.1 over node:http (the emulator
 * serves account hosts like `1234567-sb1.suitetalk.localhost`, but Node's resolver does not know them), a fetch
 * that records what went over the wire, and a loopback server that plays a wrong NetSuite host (302).
 */
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultFetch } from '../../../client/src/http/transport';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

/** Only `*.localhost` is mapped; everything else would fail, which is what a test wants. */
function loopbackLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  if (!hostname.toLowerCase().endsWith('.localhost') && hostname !== '127.0.0.1') {
    callback(Object.assign(new Error(`loopbackFetch refuses ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
    return;
  }
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
}

function toHeaders(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** A fetch over node:http that keeps the Host header of `http://<hostId>.<kind>.localhost:<port>` URLs. No redirects followed. */
export const loopbackFetch: typeof fetch = (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const headers: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, name) => { headers[name] = value; });
  const body = init?.body === undefined || init.body === null ? undefined : String(init.body);
  return new Promise<Response>((resolve, reject) => {
    const req = request(url, { method: init?.method ?? 'GET', headers, lookup: loopbackLookup as never }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 500;
        const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
        resolve(new Response(payload, { status, headers: toHeaders(res.headers) }));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    init?.signal?.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
    if (body !== undefined) req.write(body);
    req.end();
  });
};

export interface RecordedCall {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  status: number;
  responseBody: string;
}

/**
 * Wraps a fetch (by default the client's own transport, which reaches the emulator's `*.localhost` hosts) and
 * records every request and response (tests read assertions, headers and raw bodies).
 */
export function recordingFetch(base: typeof fetch = defaultFetch): { fetch: typeof fetch; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const response = await base(input, init);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      body: init?.body === undefined || init.body === null ? undefined : String(init.body),
      status: response.status,
      responseBody: await response.clone().text(),
    });
    return response;
  };
  return { fetch: wrapped, calls };
}

/**
 * Holds requests whose URL matches until `count` of them are waiting, then lets them all go at once, so
 * two "processes" really send the same refresh token together.
 */
export function barrierFetch(matches: (url: string) => boolean, count: number, base: typeof fetch = defaultFetch): typeof fetch {
  let waiting: Array<() => void> = [];
  let released = false;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!released && matches(url)) {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length >= count) {
          released = true;
          for (const go of waiting) go();
          waiting = [];
        }
      });
    }
    return base(input, init);
  };
}

/** A loopback "wrong host": every request gets 302 to `/followed` on itself; `followed` counts who went there. */
export async function startRedirectingHost(): Promise<{ url: string; hits: number; followed: number; close(): Promise<void> }> {
  const state = { hits: 0, followed: 0 };
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/followed')) {
      state.followed++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"followed":true}');
      return;
    }
    state.hits++;
    const { port } = server.address() as AddressInfo;
    res.writeHead(302, { location: `http://127.0.0.1:${port}/followed` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get hits() { return state.hits; },
    get followed() { return state.followed; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
