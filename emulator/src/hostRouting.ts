import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HostRouting } from './config/types';
import { ADMIN_PREFIX, RESTLET_PATH, accountHostId, accountOrigins, hostKindOfPath, parseHost } from './hosts';
import { esc, page } from './pages/html';
import { sendProblem, sendRestletError } from './resource/problem';

export interface HostRoutingDeps {
  routing: HostRouting;
  accountIds(): string[];
  baseUrl(): string;
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
