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

/** Every console response carries these, framework error pages included. */
export function securityHeaders(csp: string): Record<string, string> {
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // same-origin, not no-referrer: with no-referrer Chrome sends `Origin: null` on our own form posts.
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

export function applySecurityHeaders(reply: FastifyReply, csp: string): void {
  for (const [name, value] of Object.entries(securityHeaders(csp))) reply.header(name, value);
}

/**
 * DNS-rebinding guard: a page on evil.example resolved to 127.0.0.1 still sends `Host: evil.example`.
 */
export function hostAllowed(request: FastifyRequest, allowedHosts: readonly string[]): boolean {
  const host = request.headers.host;
  return typeof host === 'string' && allowedHosts.includes(host.toLowerCase());
}
