import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildConsoleApp } from '../../client/src/console/app';
import type { ConsoleBackend } from '../../client/src/console/backend';
import type { ConsoleContext } from '../../client/src/console/context';
import { SessionStore } from '../../client/src/console/session';

export interface HarnessResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A console app on a random loopback port, driven over real HTTP with a one-browser cookie jar.
 * (fastify.inject is not used: light-my-request loads the ESM-only `cookie` package, which jest cannot require.)
 */
export class ConsoleHarness {
  readonly app: FastifyInstance;
  readonly sessions: SessionStore;
  readonly pages: { url: string; body: string }[] = [];
  cookie: string | undefined;
  now = Date.parse('2026-11-22T10:00:00.000Z');
  host = '';
  origin = '';
  private readonly ctx: ConsoleContext;
  private readonly allowedHosts: string[] = [];
  private readonly allowedOrigins: string[] = [];

  constructor(backend: ConsoleBackend | undefined, o: { accountId?: string; secureCookies?: boolean } = {}) {
    const clock = { now: () => this.now };
    this.sessions = new SessionStore(clock);
    this.ctx = {
      backend: backend as ConsoleBackend,
      sessions: this.sessions,
      clock,
      redirectUri: '',
      ...(o.accountId ? { accountId: o.accountId } : {}),
    };
    this.app = buildConsoleApp(this.ctx, {
      allowedHosts: this.allowedHosts,
      allowedOrigins: this.allowedOrigins,
      formActionOrigins: ['https://*.app.netsuite.com'],
      secureCookies: o.secureCookies ?? false,
    });
  }

  async start(): Promise<this> {
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (this.app.server.address() as AddressInfo).port;
    this.host = `127.0.0.1:${port}`;
    this.origin = `http://${this.host}`;
    this.allowedHosts.push(this.host);
    this.allowedOrigins.push(this.origin);
    this.ctx.redirectUri = `${this.origin}/callback`;
    return this;
  }

  /** For backends that need the redirect URI, which is known only after start(). */
  setBackend(backend: ConsoleBackend): void {
    this.ctx.backend = backend;
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  get(url: string, headers: Record<string, string> = {}): Promise<HarnessResponse> {
    return this.send('GET', url, undefined, headers);
  }

  post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<HarnessResponse> {
    return this.send('POST', url, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', ...headers });
  }

  /** The CSRF token of the form on the page at `url`. */
  async csrf(url = '/'): Promise<string> {
    const res = await this.get(url);
    const match = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (!match?.[1]) throw new Error(`no CSRF field on ${url} (status ${res.statusCode})`);
    return match[1];
  }

  private send(method: string, path: string, body: string | undefined, extra: Record<string, string>): Promise<HarnessResponse> {
    const port = Number(this.host.split(':')[1]);
    const headers: Record<string, string> = { host: this.host, ...(this.cookie ? { cookie: this.cookie } : {}), ...extra };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const response = { statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
          const setCookie = res.headers['set-cookie']?.[0];
          if (setCookie) this.cookie = setCookie.split(';')[0];
          this.pages.push({ url: path, body: response.body });
          resolve(response);
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
