import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigurationError } from '../errors';
import { generateLoopbackCertificate, type LoopbackCertificate } from '../tls/loopbackCertificate';
import { DEFAULT_REDIRECT_URI } from './settings';

export interface CallbackServer {
  /**
   * The full callback URL the browser landed on (with ?state&code or ?state&error). With `state`, only a callback
   * carrying that state counts; any other request is answered and ignored, so a stray visit cannot end the wait.
   */
  next(state?: string): Promise<string>;
  /** From now on only a callback with this state is accepted (others get 400), even before next() is called. */
  expectState(state: string): void;
  close(): Promise<void>;
  port: number;
  /** The https redirect URI this server answers (register it on the public integration record). */
  redirectUri: string;
  /** The throwaway certificate: its fingerprint to show the user, its PEM for a client that pins it. Never the key. */
  certificate: { sha256Fingerprint: string; pem: string };
  /** Requests answered without being the awaited callback (wrong path, method or state). */
  readonly ignored: number;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];
const MAX_BUFFERED = 16;

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>${title}</h1><p>${text}</p></body></html>`;

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
};

function parseRedirectUri(redirectUri: string): URL {
  try {
    return new URL(redirectUri);
  } catch {
    throw new ConfigurationError('INVALID_ARGUMENT', `The redirect URI ${JSON.stringify(String(redirectUri).slice(0, 200))} is not an absolute URL.`, {
      field: '--redirect-uri',
      remedy: `Pass the redirect URI exactly as registered on the integration record, e.g. ${DEFAULT_REDIRECT_URI}.`,
    });
  }
}

/** True when this CLI can serve `redirectUri` itself: https on a loopback address. */
export function isServableRedirectUri(redirectUri: string): boolean {
  try {
    const url = new URL(redirectUri);
    return url.protocol === 'https:' && LOOPBACK.includes(url.hostname.replace(/^\[|\]$/g, ''));
  } catch {
    return false;
  }
}

/**
 * Listens on the redirect URI's loopback port and path for the authorization redirect (RFC 8252 §7.3), over HTTPS:
 * NetSuite accepts only https:// redirect URIs. The certificate is self-signed and made for this run (the browser
 * warns once; nothing is installed or trusted system-wide). Other redirect URIs need the callback pasted by hand.
 */
export async function startCallbackServer(redirectUri: string, o: { certificate?: LoopbackCertificate } = {}): Promise<CallbackServer> {
  const target = parseRedirectUri(redirectUri);
  if (!isServableRedirectUri(redirectUri)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `The redirect URI ${target.origin}${target.pathname} is not a loopback https:// address this CLI can listen on.`, {
      field: '--redirect-uri',
      remedy: `Register ${DEFAULT_REDIRECT_URI} (or another https://127.0.0.1:<port>/<path>) on the integration record, or paste the callback URL with --callback-url.`,
    });
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  const tls = o.certificate ?? (await generateLoopbackCertificate());
  const waiting: { state: string | undefined; resolve: (url: string) => void }[] = [];
  const received: { state: string; url: string }[] = [];
  let ignored = 0;
  let expected: string | undefined;
  let origin = target.origin;

  const answer = (res: ServerResponse, status: number, title: string, text: string): void => {
    res.writeHead(status, HEADERS).end(PAGE(title, text));
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', target.origin);
    if (url.pathname !== target.pathname) {
      ignored++;
      answer(res, 404, 'Not found', 'This local address only receives the NetSuite authorization redirect.');
      return;
    }
    if (req.method !== 'GET') {
      ignored++;
      res.setHeader('allow', 'GET');
      answer(res, 405, 'Method not allowed', 'NetSuite redirects here with GET.');
      return;
    }
    const state = url.searchParams.get('state');
    if (state === null || !(url.searchParams.has('code') || url.searchParams.has('error'))) {
      ignored++;
      answer(res, 400, 'No authorization here', 'This address receives the redirect from the NetSuite consent page. Open the authorization link SuiteBridge printed instead.');
      return;
    }
    const full = `${origin}${url.pathname}${url.search}`;
    const index = waiting.findIndex((w) => w.state === undefined || w.state === state);
    if ((expected !== undefined && state !== expected) || (index < 0 && waiting.length > 0)) {
      ignored++;
      answer(res, 400, 'Not the authorization SuiteBridge is waiting for', 'This redirect belongs to an older or different authorization link. Use the newest link SuiteBridge printed.');
      return;
    }
    const denied = url.searchParams.has('error');
    answer(
      res,
      200,
      denied ? 'Authorization not granted' : 'Authorization received',
      denied ? 'Return to the terminal for details.' : 'SuiteBridge continues the onboarding in your terminal. You can close this window.',
    );
    if (index >= 0) {
      const [w] = waiting.splice(index, 1);
      w?.resolve(full);
    } else if (received.length < MAX_BUFFERED) {
      received.push({ state, url: full });
    }
  };

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, handle);
  // A plain-http visit or an aborted handshake is the visitor's problem, not the onboarding's.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigurationError('INVALID_ARGUMENT', `Port ${target.port} of the redirect URI is in use.`, { field: '--redirect-uri', remedy: 'Stop the other program or register another loopback port on the integration record.' })
          : err,
      ),
    );
    server.listen(Number(target.port || 443), host === 'localhost' ? '127.0.0.1' : host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : Number(target.port);
  // Port 0 (tests) becomes the bound port, so the reported URIs are reachable.
  if (target.port === '0') target.port = String(port);
  origin = target.origin;
  return {
    port,
    redirectUri: `${target.origin}${target.pathname}`,
    certificate: { sha256Fingerprint: tls.sha256Fingerprint, pem: tls.cert },
    get ignored() {
      return ignored;
    },
    expectState: (state: string) => {
      expected = state;
    },
    next: (state?: string) => {
      if (state !== undefined) expected = state;
      const index = received.findIndex((r) => state === undefined || r.state === state);
      if (index >= 0) {
        const [ready] = received.splice(index, 1);
        return Promise.resolve((ready as { url: string }).url);
      }
      return new Promise<string>((resolve) => waiting.push({ state, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
