import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HostRouting } from './config/types';
import { esc, page } from './pages/html';
import { sendProblem, sendRestletError } from './resource/problem';

/**
 * NetSuite serves each account on three hosts (reference §1.1, §1.2): `<acct>.app.netsuite.com`,
 * `<acct>.suitetalk.api.netsuite.com` and `<acct>.restlets.api.netsuite.com`. The emulator mirrors them as
 * `<acct>.app.localhost`, `<acct>.suitetalk.localhost` and `<acct>.restlets.localhost` on its one port (RFC 6761
 * reserves `.localhost` for loopback) and tells them apart by the Host header.
 */
export type HostKind = 'app' | 'suitetalk' | 'restlets';
export const HOST_KINDS: readonly HostKind[] = ['app', 'suitetalk', 'restlets'];

export type AccountOrigins = Record<HostKind, string>;

/** The admin API, which answers only on the bare origin. */
export const ADMIN_PREFIX = '/__emulator';

const RESTLET_PATH = '/app/site/hosting/restlet.nl';
const CERTIFICATE_API_PREFIX = '/services/rest/auth/oauth2/v1/clients/';

/** Account IDs become host IDs by lower-casing and `_` → `-` (§1.1): `1234567_SB1` → `1234567-sb1`. */
export function accountHostId(accountId: string): string {
  return accountId.toLowerCase().replace(/_/g, '-');
}

/** The host a NetSuite path belongs to (endpoint table, §1.2); `admin` for the emulator's own API. */
export function hostKindOfPath(path: string): HostKind | 'admin' {
  if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) return 'admin';
  // The certificate API lives on the restlets host although its path looks like the other OAuth endpoints (§1.2).
  if (path === RESTLET_PATH || path.startsWith(CERTIFICATE_API_PREFIX)) return 'restlets';
  if (path.startsWith('/services/') || path.startsWith('/.well-known/')) return 'suitetalk';
  return 'app';
}

export type ParsedHost =
  | { kind: HostKind; hostId: string }
  /** An IP address or plain `localhost`: the emulator's own origin. */
  | { kind: 'bare' }
  /** Some other `*.localhost` name (e.g. `1234567.localhost`, `x.crm.localhost`). */
  | { kind: 'unknown'; name: string };

const VIRTUAL_HOST = /^([a-z0-9-]+)\.(app|suitetalk|restlets)\.localhost\.?$/;

/** Reads a Host header value (`name[:port]`, `[v6]:port`). */
export function parseHost(header: string | undefined): ParsedHost {
  const raw = (header ?? '').trim().toLowerCase();
  const name = raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.split(':')[0] ?? '';
  const match = VIRTUAL_HOST.exec(name);
  if (match?.[1] && match[2]) return { kind: match[2] as HostKind, hostId: match[1] };
  if (name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.localhost.')) {
    return name === 'localhost' ? { kind: 'bare' } : { kind: 'unknown', name };
  }
  return { kind: 'bare' };
}

/** `http://<hostId>.<kind>.localhost:<port>` for each of an account's hosts; the bare base in single-origin mode. */
export function accountOrigins(baseUrl: string, accountId: string, routing: HostRouting): AccountOrigins {
  if (routing === 'single-origin') return { app: baseUrl, suitetalk: baseUrl, restlets: baseUrl };
  const base = new URL(baseUrl);
  const origin = (kind: HostKind) => `${base.protocol}//${accountHostId(accountId)}.${kind}.localhost${base.port ? `:${base.port}` : ''}`;
  return { app: origin('app'), suitetalk: origin('suitetalk'), restlets: origin('restlets') };
}

export interface HostRoutingDeps {
  routing: HostRouting;
  accountIds(): string[];
  baseUrl(): string;
}

/** The account a request's Host names, when it is an emulated account's virtual host. */
export function accountOfHost(header: string | undefined, accountIds: string[]): string | undefined {
  const parsed = parseHost(header);
  if (parsed.kind === 'bare' || parsed.kind === 'unknown') return undefined;
  return accountIds.find((a) => accountHostId(a) === parsed.hostId);
}

/**
 * Refuses a request in the error shape of the surface its path belongs to: RESTlet error object for RESTlets,
 * problem JSON for REST web services and OAuth endpoints, an HTML page for the app host's pages.
 */
function refuse(reply: FastifyReply, path: string, status: number, code: string, message: string): FastifyReply {
  if (path === RESTLET_PATH) return sendRestletError(reply, status, code, message);
  if (path.startsWith('/services/') || path.startsWith('/.well-known/') || path.startsWith(ADMIN_PREFIX)) {
    return sendProblem(reply, status, code, message);
  }
  return reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(page('Page not found', `<p>${esc(message)}</p>`));
}

/**
 * Decides whether the request's Host may serve its path. Returns a reply when it refused, undefined to go on.
 * - admin API: bare origin only;
 * - a NetSuite path on the bare origin: refused (421, naming the host to use) unless routing is single-origin;
 * - an unknown `*.localhost` name or an account that is not emulated: 404;
 * - a path of another host: 404 like NetSuite's unknown paths, except a RESTlet on a non-restlets host, which Oracle's
 *   RESTlet error table answers with 403 "invalid domain" (the exact error code is UNCERTAIN).
 */
export function routeByHost(request: FastifyRequest, reply: FastifyReply, deps: HostRoutingDeps): FastifyReply | undefined {
  const path = request.url.split('?')[0] ?? '/';
  const want = hostKindOfPath(path);
  const host = parseHost(request.headers.host);
  if (want === 'admin') {
    if (host.kind === 'bare') return undefined;
    return refuse(reply, path, 404, 'NONEXISTENT_RESOURCE', `The emulator admin API answers only on the bare origin ${deps.baseUrl()}${ADMIN_PREFIX}/….`);
  }
  if (deps.routing === 'single-origin') return undefined;
  const accounts = deps.accountIds();
  if (host.kind === 'bare') {
    const examples = accounts.slice(0, 2).map((a) => `${accountOrigins(deps.baseUrl(), a, 'virtual-hosts')[want]}${path}`);
    return refuse(reply, path, 421, 'WRONG_HOST',
      `This emulator serves NetSuite paths on per-account hosts, like NetSuite. Send ${path} to the account's ${want} host, ` +
      `e.g. ${examples.join(' or ')} (the account ID lower-cased with _ replaced by -, then .${want}.localhost). ` +
      'Tools that cannot set a host may start the emulator with "hostRouting": "single-origin".');
  }
  if (host.kind === 'unknown') {
    return refuse(reply, path, 404, 'UNKNOWN_HOST', `No emulated NetSuite host ${host.name}: use <account>.app|suitetalk|restlets.localhost.`);
  }
  if (!accounts.some((a) => accountHostId(a) === host.hostId)) {
    return refuse(reply, path, 404, 'UNKNOWN_ACCOUNT', `No emulated account has the host ID ${host.hostId} (known: ${accounts.map(accountHostId).join(', ')}).`);
  }
  if (host.kind === want) return undefined;
  if (want === 'restlets' && path === RESTLET_PATH) {
    return refuse(reply, path, 403, 'INVALID_DOMAIN', `RESTlets are served on the restlets host (${host.hostId}.restlets.localhost), not on the ${host.kind} host.`);
  }
  return refuse(reply, path, 404, 'NONEXISTENT_RESOURCE', `No emulated NetSuite endpoint at ${request.method} ${path} on the ${host.kind} host.`);
}
