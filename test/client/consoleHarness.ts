import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildConsoleApp } from '../../client/src/console/app';
import type { ConsoleBackend } from '../../client/src/console/backend';
import type { ConsoleContext } from '../../client/src/console/context';
import { LoginThrottle } from '../../client/src/console/loginThrottle';
import { OnboardingLinks } from '../../client/src/console/onboardingLinks';
import { hashOperatorPassword } from '../../client/src/console/operatorCredential';
import { SessionStore } from '../../client/src/console/session';
import { MemoryTokenStore } from '../../client/src/store/memory';

export interface HarnessResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export const OPERATOR_PASSWORD = 'correct horse battery staple';
/** Low scrypt cost so tests stay quick; the format carries the cost, so verification is the real code path. */
let operatorHash: Promise<string> | undefined;
function testOperatorHash(): Promise<string> {
  return (operatorHash ??= hashOperatorPassword(OPERATOR_PASSWORD, { cost: 1024 }));
}

/**
 * A console app on a random loopback port, driven over real HTTP with a one-browser cookie jar.
 * (fastify.inject is not used: light-my-request loads the ESM-only `cookie` package, which jest cannot require.)
 * Plain http with `__Host-`/Secure cookies, as behind a TLS proxy: Node's client does not enforce cookie rules.
 */
export class ConsoleHarness {
  app!: FastifyInstance;
  readonly sessions: SessionStore;
  readonly links: OnboardingLinks;
  readonly linkStore = new MemoryTokenStore();
  readonly pages: { url: string; body: string }[] = [];
  readonly jar = new Map<string, string>();
  now = Date.parse('2026-11-22T10:00:00.000Z');
  host = '';
  origin = '';
  readonly ctx: ConsoleContext;
  private readonly allowedHosts: string[] = [];
  private readonly allowedOrigins: string[] = [];

  constructor(backend: ConsoleBackend | undefined, private readonly o: { secureCookies?: boolean } = {}) {
    const clock = { now: () => this.now };
    this.sessions = new SessionStore(clock);
    this.links = new OnboardingLinks(this.linkStore, clock);
    this.ctx = {
      backend: backend as ConsoleBackend,
      sessions: this.sessions,
      clock,
      publicUrl: '',
      redirectUri: '',
      operator: { hash: '' },
      loginThrottle: new LoginThrottle(clock),
      links: this.links,
      secureCookies: o.secureCookies ?? true,
    };
  }

  async start(): Promise<this> {
    this.ctx.operator = { hash: await testOperatorHash() };
    this.app = buildConsoleApp(this.ctx, {
      allowedHosts: this.allowedHosts,
      allowedOrigins: this.allowedOrigins,
      formActionOrigins: ['https://*.app.netsuite.com'],
    });
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (this.app.server.address() as AddressInfo).port;
    this.host = `127.0.0.1:${port}`;
    // As behind a TLS-terminating proxy: browsers see https, the console speaks http.
    this.origin = `https://${this.host}`;
    this.allowedHosts.push(this.host);
    this.allowedOrigins.push(this.origin);
    this.ctx.publicUrl = this.origin;
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

  /** The Cookie header this browser sends. */
  get cookie(): string | undefined {
    return this.jar.size === 0 ? undefined : [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  sessionCookie(): string | undefined {
    return [...this.jar].find(([name]) => name.endsWith('sbr_console_sid'))?.[1];
  }

  /** Signs in as the operator (a fresh session). */
  async signIn(password = OPERATOR_PASSWORD): Promise<HarnessResponse> {
    const csrf = await this.csrf('/login');
    return this.post('/login', { _csrf: csrf, password });
  }

  /** Issues an onboarding link for the account and opens it in this browser; returns the link path. */
  async openLink(accountId: string, ttlHours?: number): Promise<string> {
    const link = await this.links.issue({ accountId, consoleUrl: this.origin, ...(ttlHours ? { ttlHours } : {}) });
    const path = new URL(link.url).pathname;
    const res = await this.get(path);
    if (res.statusCode !== 200) throw new Error(`link ${path} answered ${res.statusCode}`);
    return path;
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

  private remember(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/;\s*Max-Age=0/i.test(line) || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  private send(method: string, path: string, body: string | undefined, extra: Record<string, string>): Promise<HarnessResponse> {
    const port = Number(this.host.split(':')[1]);
    const cookie = this.cookie;
    const headers: Record<string, string> = { host: this.host, ...(cookie ? { cookie } : {}), ...extra };
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const response = { statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
          this.remember(res.headers['set-cookie']);
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

/** Where a response sends the browser next: a 303 Location, or a continue page's meta refresh. */
export function nextUrl(res: HarnessResponse): string | undefined {
  if (typeof res.headers.location === 'string') return res.headers.location;
  const refresh = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(res.body);
  return refresh?.[1];
}
