import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fault server does with one request, before (or instead of) the normal answer. */
export type Fault =
  | 'html503'
  | 'bad_gateway'
  | 'rate_limited'
  /** 503 with Retry-After: 0 (lets a CLI test retry without waiting). */
  | 'busy503'
  | 'reset'
  | 'cut_body'
  /** Processes the request (a refresh rotates) and then answers 502: the client never sees the new pair. */
  | 'process_then_502'
  | 'process_then_reset'
  /** Never answers (the client's timeout fires); the request is not processed. */
  | 'hang';

export interface TokenRequestSeen {
  form: Record<string, string>;
  authorization: string | undefined;
  fault: Fault | undefined;
}

/**
 * A tiny OAuth token endpoint with one-shot faults: client credentials (any assertion), authorization code
 * (any code) and refresh with one-time refresh tokens, like NetSuite's public clients.
 */
export class TokenFaultServer {
  readonly seen: TokenRequestSeen[] = [];
  readonly faults: Fault[] = [];
  /** Added to the Date header (simulates a server clock ahead of ours). */
  dateOffsetMs = 0;
  /** Answer every client-credentials request 401 invalid_client. */
  refuseClient = false;
  /**
   * Check assertion times against this server's clock (real time + dateOffsetMs) with no tolerance, like the
   * emulator's default: refused when exp has passed or iat is in the future.
   */
  strictAssertionTimes = false;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly liveRefresh = new Set<string>();
  private issued = 0;
  url = '';

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/rest/auth/oauth2/v1/token`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A refresh token the server accepts once. */
  grantRefreshToken(): string {
    const token = `rt-${++this.issued}`;
    this.liveRefresh.add(token);
    return token;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const fault = this.faults.shift();
      this.seen.push({ form, authorization: req.headers.authorization, fault });
      const date = new Date(Date.now() + this.dateOffsetMs).toUTCString();
      res.sendDate = false;
      switch (fault) {
        case 'html503':
          res.writeHead(503, { 'content-type': 'text/html', date }).end('<html><body><h1>Service Unavailable</h1>maintenance</body></html>');
          return;
        case 'busy503':
          res.writeHead(503, { 'content-type': 'text/html', 'retry-after': '0', date }).end('<html>busy</html>');
          return;
        case 'bad_gateway':
          res.writeHead(502, { 'content-type': 'text/html', date }).end('<html>Bad Gateway</html>');
          return;
        case 'rate_limited':
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '2', date }).end('{"error":"too_many_requests"}');
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'cut_body': {
          const answer = JSON.stringify(this.answer(form).body);
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length + 40), date });
          res.write(answer.slice(0, 10));
          setImmediate(() => req.socket.destroy());
          return;
        }
        case 'process_then_502':
          this.answer(form);
          res.writeHead(502, { 'content-type': 'text/html', date }).end('<html>Bad Gateway</html>');
          return;
        case 'process_then_reset':
          this.answer(form);
          req.socket.destroy();
          return;
        case 'hang':
          return;
        default: {
          const { status, body: json } = this.answer(form);
          res.writeHead(status, { 'content-type': 'application/json', date }).end(JSON.stringify(json));
        }
      }
    });
  }

  private assertionTimesOk(assertion: string): boolean {
    try {
      const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: unknown; exp?: unknown };
      const now = (Date.now() + this.dateOffsetMs) / 1000;
      return typeof claims.iat === 'number' && typeof claims.exp === 'number' && claims.iat <= now && claims.exp > now;
    } catch {
      return false;
    }
  }

  private answer(form: Record<string, string>): { status: number; body: Record<string, unknown> } {
    const access = { access_token: `at-${++this.issued}`, expires_in: '3600', token_type: 'Bearer' };
    switch (form.grant_type) {
      case 'client_credentials':
        if (this.refuseClient) return { status: 401, body: { error: 'invalid_client' } };
        if (this.strictAssertionTimes && !this.assertionTimesOk(form.client_assertion ?? '')) return { status: 400, body: { error: 'invalid_grant' } };
        return { status: 200, body: access };
      case 'authorization_code':
        return { status: 200, body: { ...access, refresh_token: this.grantRefreshToken() } };
      case 'refresh_token': {
        const presented = form.refresh_token ?? '';
        if (!this.liveRefresh.delete(presented)) return { status: 400, body: { error: 'invalid_grant' } };
        return { status: 200, body: { ...access, refresh_token: this.grantRefreshToken() } };
      }
      default:
        return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
  }
}
