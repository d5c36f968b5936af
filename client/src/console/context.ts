import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleBackend } from './backend';
import type { ConsoleFleet } from './fleet';
import type { LoginThrottle } from './loginThrottle';
import type { OnboardingLinks } from './onboardingLinks';
import type { OperatorCredential } from './operatorCredential';
import type { Clock, ConsoleSession, SessionStore } from './session';
import type { SafeHtml } from './html';
import { layout, type Navigation } from './views/layout';

/** Everything the routes share. */
export interface ConsoleContext {
  backend: ConsoleBackend;
  /** Connection statuses, repair and webhook deliveries from the SuiteBridge service; without it they show as unknown. */
  fleet?: ConsoleFleet;
  sessions: SessionStore;
  clock: Clock;
  /** The origin browsers use, e.g. https://127.0.0.1:3030; onboarding links and the redirect URI start with it. */
  publicUrl: string;
  /** Registered redirect URI, e.g. https://127.0.0.1:3030/callback. */
  redirectUri: string;
  operator: OperatorCredential;
  loginThrottle: LoginThrottle;
  links: OnboardingLinks;
  /** Cookies are `__Host-` prefixed and Secure (the browser reaches the console over https). */
  secureCookies: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession: ConsoleSession;
  }
}

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

export function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).header('location', location).send();
}

export function formField(request: FastifyRequest, name: string): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : undefined;
}

function navigationFor(session: ConsoleSession | undefined): Navigation {
  if (session?.principal?.kind === 'operator') return { kind: 'operator', csrfToken: session.csrfToken };
  if (session?.principal?.kind === 'tenant') return { kind: 'tenant' };
  return { kind: 'anonymous' };
}

/** Renders a page in the layout, showing (and consuming) the session's flash message. */
export function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { title: string; body: SafeHtml; poll?: { statusUrl: string; revision: string }; refreshTo?: string },
  status = 200,
): FastifyReply {
  const session = request.consoleSession as ConsoleSession | undefined;
  const flash = session?.flash;
  if (session) delete session.flash;
  return sendPage(reply, layout({ ...input, flash, nav: navigationFor(session) }), status);
}
