import { createServer, type Server } from 'node:http';
import { ConfigurationError } from '../errors';

export interface CallbackServer {
  /** The full callback URL (with ?code&state or ?error) the browser landed on. */
  next(): Promise<string>;
  close(): Promise<void>;
  port: number;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>${title}</h1><p>${text}</p></body></html>`;

function parseRedirectUri(redirectUri: string): URL {
  try {
    return new URL(redirectUri);
  } catch {
    throw new ConfigurationError('INVALID_ARGUMENT', `The redirect URI ${JSON.stringify(String(redirectUri).slice(0, 200))} is not an absolute URL.`, {
      field: '--redirect-uri',
      remedy: 'Pass the redirect URI exactly as registered on the integration record, e.g. http://127.0.0.1:8899/callback.',
    });
  }
}

/**
 * Listens on the redirect URI's loopback port and path for the authorization redirect (RFC 8252 §7.3).
 * Only loopback redirect URIs can be served here; others need the callback pasted by hand.
 */
export async function startCallbackServer(redirectUri: string): Promise<CallbackServer> {
  const target = parseRedirectUri(redirectUri);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!['127.0.0.1', 'localhost', '::1'].includes(host) || target.protocol !== 'http:') {
    throw new ConfigurationError('INVALID_ARGUMENT', `The redirect URI ${redirectUri} is not a loopback http:// address this CLI can listen on.`, {
      field: '--redirect-uri',
      remedy: 'Use http://127.0.0.1:<port>/callback on the integration record, or paste the callback URL with --callback-url.',
    });
  }
  const waiting: ((url: string) => void)[] = [];
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? target.host}`);
    if (req.method !== 'GET' || url.pathname !== target.pathname) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    const full = `${target.origin}${url.pathname}${url.search}`;
    const denied = url.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .end(denied ? PAGE('Authorization not granted', 'Return to the terminal for details.') : PAGE('Authorization received', 'SuiteBridge continues the onboarding in your terminal. You can close this window.'));
    const resolve = waiting.shift();
    if (resolve) resolve(full);
    else received.push(full);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigurationError('INVALID_ARGUMENT', `Port ${target.port} of the redirect URI is in use.`, { field: '--redirect-uri', remedy: 'Stop the other program or register another loopback port on the integration record.' })
          : err,
      ),
    );
    server.listen(Number(target.port || 80), host === 'localhost' ? '127.0.0.1' : host, resolve);
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : Number(target.port),
    next: () => {
      const ready = received.shift();
      return ready ? Promise.resolve(ready) : new Promise<string>((resolve) => waiting.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
