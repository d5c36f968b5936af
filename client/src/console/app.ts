import fastify, { type FastifyInstance } from 'fastify';
import { isSuiteBridgeError } from '../errors';
import { redact } from '../redact';
import { type ConsoleContext, renderPage } from './context';
import { CSRF_FIELD, csrfTokenMatches, originAllowed } from './csrf';
import { applySecurityHeaders, contentSecurityPolicy, hostAllowed } from './security';
import { SESSION_COOKIE, parseCookies, sessionCookie, type ConsoleSession } from './session';
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
  /** Marks the session cookie Secure (console served over https). */
  secureCookies: boolean;
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Lines for the operator's terminal; already redacted. */
  log?: (line: string) => void;
}

const FORM_BODY_LIMIT = 16 * 1024;

export function buildConsoleApp(ctx: ConsoleContext, options: ConsoleAppOptions): FastifyInstance {
  const serverOptions = { logger: false, bodyLimit: FORM_BODY_LIMIT };
  const app = (options.https ? fastify({ ...serverOptions, https: options.https }) : fastify(serverOptions)) as unknown as FastifyInstance;
  const csp = contentSecurityPolicy(options.formActionOrigins);
  const log = options.log ?? (() => undefined);

  app.decorateRequest('consoleSession', null as unknown as ConsoleSession);
  // Plain HTML forms are the only input: no JSON or text bodies.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.addHook('onRequest', async (request, reply) => {
    applySecurityHeaders(reply, csp);
    if (!hostAllowed(request, options.allowedHosts)) {
      return reply.code(421).type('text/plain; charset=utf-8').send('This console only answers on its own address.');
    }
    const cookieId = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    const existing = ctx.sessions.find(cookieId);
    request.consoleSession = existing ?? ctx.sessions.create();
    return undefined;
  });

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
    if (session && parseCookies(request.headers.cookie).get(SESSION_COOKIE) !== session.id) {
      reply.header('set-cookie', sessionCookie(session.id, options.secureCookies));
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
  registerOnboardingRoutes(app, ctx);
  registerTenantRoutes(app, ctx);
  return app;
}
