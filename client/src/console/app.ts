import type { Socket } from 'node:net';
import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isSuiteBridgeError } from '../errors';
import { redact } from '../redact';
import { operatorOf, routeAccess, tenantOf, wantsJson } from './access';
import { type ConsoleContext, renderPage } from './context';
import { CSRF_FIELD, csrfTokenMatches, originAllowed } from './csrf';
import { applySecurityHeaders, contentSecurityPolicy, hostAllowed, securityHeaders } from './security';
import { parseCookies, sessionCookie, sessionCookieName, type ConsoleSession } from './session';
import { registerAccessRoutes } from './routes/access';
import { registerAssetRoutes } from './routes/assets';
import { registerOnboardingRoutes } from './routes/onboarding';
import { registerTenantRoutes } from './routes/tenants';
import { messagePage } from './views/message';

export interface ConsoleAppOptions {
  /** `Host` header values this console answers to, e.g. ['127.0.0.1:3030', 'localhost:3030']. */
  allowedHosts: readonly string[];
  /** Origins a POST may come from (the console's own). */
  allowedOrigins: readonly string[];
  /** Extra CSP form-action origins: where POST /connect redirects (the NetSuite authorize origin). */
  formActionOrigins: readonly string[];
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Lines for the operator's terminal; already redacted. */
  log?: (line: string) => void;
}

const FORM_BODY_LIMIT = 16 * 1024;
const MISDIRECTED = 'This console only answers on its own address.';

/**
 * Answers for requests Node or Fastify refuse before any hook runs (malformed request line or headers,
 * an undecodable URL): the same security headers, plain text, connection closed.
 */
function rawRefusal(socket: Socket, status: number, reason: string, csp: string, text: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headers = Object.entries({ ...securityHeaders(csp), 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), connection: 'close' })
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n\r\n${text}`);
}

export function buildConsoleApp(ctx: ConsoleContext, options: ConsoleAppOptions): FastifyInstance {
  const csp = contentSecurityPolicy(options.formActionOrigins);
  const log = options.log ?? (() => undefined);
  const serverOptions = {
    logger: false,
    bodyLimit: FORM_BODY_LIMIT,
    // Fastify answers an undecodable URL before the onRequest hook: give it the headers and Host check here.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
      applySecurityHeaders(reply, csp);
      if (!hostAllowed(request, options.allowedHosts)) return reply.code(421).type('text/plain; charset=utf-8').send(MISDIRECTED);
      log(`console: refused a request: ${redact(error.message)}`);
      return reply.code(400).type('text/plain; charset=utf-8').send('The request could not be read.');
    },
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      if (error.code === 'ECONNRESET') {
        socket.destroy();
        return;
      }
      const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
      rawRefusal(socket, tooLarge ? 431 : 400, tooLarge ? 'Request Header Fields Too Large' : 'Bad Request', csp, 'The request could not be read.');
    },
  };
  const app = (options.https ? fastify({ ...serverOptions, https: options.https }) : fastify(serverOptions)) as unknown as FastifyInstance;

  app.decorateRequest('consoleSession', null as unknown as ConsoleSession);
  // Plain HTML forms are the only input: no JSON or text bodies.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onRequest', async (request, reply) => {
    applySecurityHeaders(reply, csp);
    if (!hostAllowed(request, options.allowedHosts)) {
      return reply.code(421).type('text/plain; charset=utf-8').send(MISDIRECTED);
    }
    const cookieId = parseCookies(request.headers.cookie).get(sessionCookieName(ctx.secureCookies));
    request.consoleSession = ctx.sessions.find(cookieId) ?? ctx.sessions.create();
    await dropEndedLink(request);
    return refuseUnlessAllowed(request, reply);
  });

  /** A link session ends with its link: expired, or retired by the operator. */
  async function dropEndedLink(request: FastifyRequest): Promise<void> {
    const principal = tenantOf(request);
    if (!principal) return;
    const live = principal.expiresAt > ctx.clock.now() && (await ctx.links.find(principal.linkId)) !== undefined;
    if (live) return;
    ctx.sessions.destroy(request.consoleSession);
    request.consoleSession = ctx.sessions.create();
  }

  function refuseUnlessAllowed(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
    const access = routeAccess(request);
    if (access === 'public') return undefined;
    if (access === 'operator' && operatorOf(request)) return undefined;
    if (access === 'tenant' && tenantOf(request)) return undefined;
    const anonymous = !request.consoleSession.principal;
    if (wantsJson(request)) return reply.code(anonymous ? 401 : 403).send({ error: anonymous ? 'not_signed_in' : 'forbidden', next: '/' });
    if (anonymous && access === 'operator' && request.method === 'GET') return reply.code(303).header('location', '/login').send();
    return renderPage(request, reply, {
      title: 'Not allowed',
      body: messagePage(
        access === 'operator'
          ? {
              title: 'Operators only',
              message: 'This page is for SuiteBridge operators.',
              remedy: anonymous ? 'Sign in with the operator password.' : 'An onboarding link opens only its own onboarding.',
              action: anonymous ? { href: '/login', label: 'Sign in' } : { href: '/', label: 'Back to your onboarding' },
            }
          : {
              title: 'Open your onboarding link',
              message: anonymous ? 'This page needs the onboarding link you received (it may have expired).' : 'Onboarding pages are for the customer\'s administrator, through their link.',
              remedy: anonymous ? 'Open the link again, or ask your SuiteBridge contact for a new one.' : 'Create an onboarding link on the Onboarding links page and open it in another browser profile.',
              action: { href: '/', label: 'Back' },
            },
      ),
    }, anonymous ? 401 : 403);
  }

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return undefined;
    const body = request.body as Record<string, unknown> | undefined;
    const origin = request.headers.origin;
    if (!originAllowed(origin, options.allowedOrigins) || !csrfTokenMatches(request.consoleSession.csrfToken, body?.[CSRF_FIELD])) {
      return renderPage(request, reply, {
        title: 'Form expired',
        body: messagePage({
          title: 'This form has expired',
          message: 'The form was not sent from this console session (it may be older than an hour, or from another site).',
          remedy: 'Go back to the console, reload the page and try again.',
          action: { href: '/', label: 'Back to the console' },
        }),
      }, 403);
    }
    return undefined;
  });

  // The cookie follows the session as it is at the end of the request (it may have been rotated).
  app.addHook('onSend', async (request, reply, payload) => {
    const session = request.consoleSession;
    if (session && parseCookies(request.headers.cookie).get(sessionCookieName(ctx.secureCookies)) !== session.id) {
      reply.header('set-cookie', sessionCookie(session.id, ctx.secureCookies));
    }
    return payload;
  });

  app.setNotFoundHandler(async (request, reply) =>
    renderPage(request, reply, {
      title: 'Not found',
      body: messagePage({ title: 'Page not found', message: 'There is nothing at this address.', action: { href: '/', label: 'Back to the console' } }),
    }, 404));

  app.setErrorHandler(async (error, request, reply) => {
    if (!request.consoleSession) request.consoleSession = ctx.sessions.create();
    applySecurityHeaders(reply, csp);
    const known = isSuiteBridgeError(error);
    const status = known && error.code === 'INVALID_ARGUMENT' || known && error.code === 'INVALID_ACCOUNT_ID' ? 400 : (error as { statusCode?: number }).statusCode ?? 500;
    log(`console: ${request.method} ${request.routeOptions.url ?? request.url} failed: ${redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error))}`);
    return renderPage(request, reply, {
      title: 'Something went wrong',
      body: messagePage({
        title: known ? 'That did not work' : 'Something went wrong',
        message: known ? redact(error.message) : status < 500 ? 'The request could not be read.' : 'The console hit an unexpected error. Details are in the terminal that runs it.',
        ...(known && error.remedy ? { remedy: redact(error.remedy) } : {}),
        action: { href: '/', label: 'Back to the console' },
      }),
    }, status >= 400 && status < 600 ? status : 500);
  });

  registerAssetRoutes(app);
  registerAccessRoutes(app, ctx);
  registerOnboardingRoutes(app, ctx);
  registerTenantRoutes(app, ctx);
  return app;
}
