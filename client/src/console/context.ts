import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleBackend } from './backend';
import type { Clock, ConsoleSession, SessionStore } from './session';
import type { SafeHtml } from './html';
import { layout } from './views/layout';

/** Everything the routes share. */
export interface ConsoleContext {
  backend: ConsoleBackend;
  sessions: SessionStore;
  clock: Clock;
  /** Fixed account from the options; the connect page then shows it instead of asking. */
  accountId?: string;
  /** Registered redirect URI, e.g. http://127.0.0.1:3030/callback. */
  redirectUri: string;
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

/** Renders a page in the layout, showing (and consuming) the session's flash message. */
export function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { title: string; body: SafeHtml; poll?: { statusUrl: string; revision: string } },
  status = 200,
): FastifyReply {
  const session = request.consoleSession;
  const flash = session.flash;
  delete session.flash;
  return sendPage(reply, layout({ ...input, flash }), status);
}
