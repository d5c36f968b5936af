import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Strict policy: no inline script or style, no framing, forms post only to this console or to the
 * NetSuite authorize origin (Chrome applies form-action to the redirect that follows POST /connect).
 */
export function contentSecurityPolicy(formActionOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    `form-action 'self'${formActionOrigins.map((o) => ` ${o}`).join('')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function applySecurityHeaders(reply: FastifyReply, csp: string): void {
  reply.header('content-security-policy', csp);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  // same-origin, not no-referrer: with no-referrer Chrome sends `Origin: null` on our own form posts.
  reply.header('referrer-policy', 'same-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cache-control', 'no-store');
}

/**
 * DNS-rebinding guard: a page on evil.example resolved to 127.0.0.1 still sends `Host: evil.example`.
 */
export function hostAllowed(request: FastifyRequest, allowedHosts: readonly string[]): boolean {
  const host = request.headers.host;
  return typeof host === 'string' && allowedHosts.includes(host.toLowerCase());
}
