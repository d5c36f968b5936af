import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startEmulatorWithServices, type AccountOrigins, type EmulatorConfig, type EmulatorServices, type RunningEmulator, type SeedInfo } from '../../../emulator/src/index';
import type { Clock } from '../../../emulator/src/clock';
import { defaultFetch } from '../../../client/src/http/transport';

/**
 * fetch for the emulator's per-account hosts (`http://1234567.suitetalk.localhost:<port>`): Node's resolver does not
 * know `*.localhost`, so this is the client library's own transport, which connects such names to 127.0.0.1.
 */
export const hostFetch: typeof fetch = defaultFetch;

export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';
export const AUTHORIZE_PATH = '/app/login/oauth2/authorize.nl';
export const CALLBACK = 'https://127.0.0.1:8899/callback';

/** A controllable clock: tests move time instead of sleeping. */
export class TestClock implements Clock {
  constructor(public ms = Date.UTC(2026, 10, 22, 10, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export interface Harness {
  emu: RunningEmulator;
  services: EmulatorServices;
  /** The bare origin: the admin API (`/__emulator/...`) only. */
  url: string;
  /** Account 1234567's app, suitetalk and restlets origins. */
  hosts: AccountOrigins;
  seed: SeedInfo;
  clock: TestClock;
  publicClient: SeedInfo['integrations'][number];
  confidentialClient: SeedInfo['integrations'][number];
  admin: SeedInfo['users'][number];
}

export async function startHarness(config?: EmulatorConfig, o: { dataDir?: string; projectDir?: string } = {}): Promise<Harness> {
  const clock = new TestClock();
  const { running: emu, services } = await startEmulatorWithServices({ port: 0, quiet: true, clock, ...(config ? { config } : {}), ...(o.dataDir ? { dataDir: o.dataDir } : {}), ...(o.projectDir ? { projectDir: o.projectDir } : {}) });
  const seed = emu.seed;
  const find = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`seed lacks ${what}`);
    return v;
  };
  return {
    emu, services, url: emu.url, hosts: emu.hosts(seed.accounts.some((a) => a.accountId === '1234567') ? '1234567' : seed.accounts[0]!.accountId), seed, clock,
    publicClient: find(seed.integrations.find((i) => i.publicClient && i.accountId === '1234567') ?? seed.integrations.find((i) => i.publicClient) ?? seed.integrations[0], 'integration'),
    confidentialClient: find(seed.integrations.find((i) => !i.publicClient && i.accountId === '1234567') ?? seed.integrations.find((i) => !i.publicClient) ?? seed.integrations[0], 'integration'),
    admin: find(seed.users.find((u) => u.entityId === 7 && u.accountId === '1234567') ?? seed.users[0], 'admin user'),
  };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const goodState = () => randomBytes(24).toString('base64url');

export function authorizeUrl(h: Harness, params: Record<string, string | undefined>): string {
  const u = new URL(AUTHORIZE_PATH, h.hosts.app);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

export function form(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function hiddenValue(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m?.[1]) throw new Error(`hidden field ${name} not found in page`);
  return m[1];
}

export function cookieOf(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0] ?? '';
}

export interface AuthorizeOutcome {
  location: URL;
  params: URLSearchParams;
  cookie: string;
}

/**
 * Drives the browser side: authorize → login → (consent → allow with role) → callback.
 * Returns the callback URL the browser would be sent to.
 */
export async function authorizeInBrowser(
  h: Harness,
  o: { clientId: string; scope?: string; state?: string; challenge?: string; email?: string; password?: string;
    decision?: 'allow' | 'deny'; role?: number; cookie?: string; prompt?: string; redirectUri?: string; extra?: Record<string, string> },
): Promise<AuthorizeOutcome> {
  const state = o.state ?? goodState();
  const first = await hostFetch(authorizeUrl(h, {
    response_type: 'code', client_id: o.clientId, redirect_uri: o.redirectUri ?? CALLBACK, scope: o.scope ?? 'restlets rest_webservices',
    state, code_challenge: o.challenge, code_challenge_method: o.challenge ? 'S256' : undefined, prompt: o.prompt, ...o.extra,
  }), { redirect: 'manual', headers: o.cookie ? { cookie: o.cookie } : {} });
  let cookie = o.cookie ?? '';
  let res = first;
  let body = await res.text();
  if (res.status === 200 && body.includes('name="password"')) {
    res = await hostFetch(new URL(AUTHORIZE_PATH, h.hosts.app), {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ flow: hiddenValue(body, 'flow'), action: 'login', email: o.email ?? h.admin.email, password: o.password ?? h.admin.password }),
    });
    cookie = cookieOf(res) || cookie;
    body = await res.text();
  }
  if (res.status === 200 && body.includes('value="allow"')) {
    const roleMatch = /<option value="(\d+)" selected>/.exec(body);
    res = await hostFetch(new URL(AUTHORIZE_PATH, h.hosts.app), {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: form({ flow: hiddenValue(body, 'flow'), action: o.decision ?? 'allow', role: String(o.role ?? roleMatch?.[1] ?? '') }),
    });
    body = await res.text();
  }
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`expected a redirect, got ${res.status}: ${body.slice(0, 300)}`);
  const url = new URL(location);
  return { location: url, params: url.searchParams, cookie };
}

/**
 * An emulator with one account whose only non-administrator, Ivy (entity 8, ivy@example.com / pw), holds custom role
 * 1001 (customrole_x, OAuth 2.0 login only), and a public client.
 */
export function startNonAdminHarness(): Promise<Harness> {
  return startHarness({
    accounts: [{ accountId: '1234567', customers: 0, roles: [{ internalId: 1001, scriptId: 'customrole_x', name: 'X', permissions: { ADMI_LOGIN_OAUTH2: 'FULL' } }],
      employees: [{ entityId: 8, name: 'Ivy', email: 'ivy@example.com', password: 'pw', roles: [1001] }] }],
    integrations: [{ name: 'P', accountId: '1234567', publicClient: true }],
  });
}

/** Ivy (see startNonAdminHarness) through the browser flow with PKCE for the public client: the code and its verifier. */
export async function authorizeNonAdmin(h: Harness): Promise<{ code: string; verifier: string }> {
  const pkce = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge: pkce.challenge, email: 'ivy@example.com', password: 'pw' });
  return { code: params.get('code')!, verifier: pkce.verifier };
}

export async function tokenRequest(h: Harness, params: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await hostFetch(new URL(TOKEN_PATH, h.hosts.suitetalk), {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(params),
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body, headers: res.headers };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** Full auth-code + PKCE exchange for the public client; returns the token response. */
export async function publicClientTokens(h: Harness, scope = 'restlets rest_webservices'): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkcePair();
  const { params } = await authorizeInBrowser(h, { clientId: h.publicClient.clientId, challenge, scope });
  const res = await tokenRequest(h, {
    grant_type: 'authorization_code', client_id: h.publicClient.clientId, code: params.get('code') ?? '', redirect_uri: CALLBACK, code_verifier: verifier,
  });
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function adminAccessToken(h: Harness, scope = 'restlets rest_webservices'): Promise<string> {
  return (await publicClientTokens(h, scope)).access_token as string;
}

export async function loginAudit(h: Harness): Promise<Array<{ action: string; status: string; detail: string; clientId?: string }>> {
  return (await (await fetch(new URL('/__emulator/login-audit', h.url))).json()) as Array<{ action: string; status: string; detail: string }>;
}

export function decodeJwtPart(token: string, part: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[part] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * A request over node:http: with an explicit Host header (fetch does not let tests set one) or a body on GET (fetch
 * refuses one). A `*.localhost` URL connects to 127.0.0.1 and keeps its name in the Host header.
 */
export function rawRequest(url: string, o: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const target = new URL(url);
  const headers: Record<string, string> = { ...o.headers };
  // Node sends a GET body without framing unless told; NetSuite's clients send Content-Length.
  const framed = Object.keys(headers).some((k) => ['content-length', 'transfer-encoding'].includes(k.toLowerCase()));
  if (o.body !== undefined && !framed) headers['content-length'] = String(Buffer.byteLength(o.body));
  const onLoopback = target.hostname.endsWith('.localhost') ? { hostname: '127.0.0.1', headers: { host: target.host, ...headers } } : { headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest(target, { method: o.method ?? 'GET', ...onLoopback }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}
