import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsolePrincipal } from './session';

/**
 * Who may use a route:
 * - `public`: sign-in page, assets, the onboarding-link landing, the OAuth callback (it checks its own binding);
 * - `operator`: signed in with the operator credential (tenants, certificate actions, onboarding links);
 * - `tenant`: a session opened by an onboarding link, and then only for that link's tenant.
 * A route without a declared level is treated as `operator`, so a new route is closed until someone opens it.
 */
export type AccessLevel = 'public' | 'operator' | 'tenant';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessLevel;
  }
}

export const PUBLIC = { config: { access: 'public' as const } };
export const OPERATOR = { config: { access: 'operator' as const } };
export const TENANT = { config: { access: 'tenant' as const } };

export function routeAccess(request: FastifyRequest): AccessLevel {
  if (request.is404) return 'public';
  return request.routeOptions.config?.access ?? 'operator';
}

export function operatorOf(request: FastifyRequest): Extract<ConsolePrincipal, { kind: 'operator' }> | undefined {
  const principal = request.consoleSession?.principal;
  return principal?.kind === 'operator' ? principal : undefined;
}

export function tenantOf(request: FastifyRequest): Extract<ConsolePrincipal, { kind: 'tenant' }> | undefined {
  const principal = request.consoleSession?.principal;
  return principal?.kind === 'tenant' ? principal : undefined;
}

export function wantsJson(request: FastifyRequest): boolean {
  return request.url.split('?')[0]?.endsWith('.json') === true;
}

export type Refusal = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;
