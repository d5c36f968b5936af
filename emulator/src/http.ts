import type { FastifyRequest } from 'fastify';
import { accountOfHost } from './hosts';

export { accountHostId } from './hosts';

/** `Host: <hostId>.<app|suitetalk|restlets>.localhost[:port]` names an account; returns it when it is one of ours. */
export function accountFromHost(request: FastifyRequest, accountIds: string[]): string | undefined {
  return accountOfHost(request.headers.host, accountIds);
}

/** The URL exactly as this request reached us, without the query: scheme + Host header + path. */
export function requestedUrl(request: FastifyRequest): string {
  const path = request.url.split('?')[0] ?? '/';
  return `${request.protocol}://${request.headers.host ?? request.hostname}${path}`;
}

export function rawBody(request: FastifyRequest): string {
  return typeof request.body === 'string' ? request.body : '';
}

export function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function queryOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const q = request.query as Record<string, unknown>;
  for (const [k, v] of Object.entries(q ?? {})) out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  return out;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

export function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}
