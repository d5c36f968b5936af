import type { FastifyInstance } from 'fastify';
import { OPERATOR, PUBLIC, operatorOf } from '../access';
import { formField, redirect, renderPage, type ConsoleContext } from '../context';
import { ConsoleInputError } from '../inputError';
import { DEFAULT_LINK_TTL_HOURS, LINK_PATH_PREFIX } from '../onboardingLinks';
import { verifyOperatorPassword } from '../operatorCredential';
import { linksPage, loginPage } from '../views/access';
import { messagePage } from '../views/message';

function parseTtl(value: string | undefined): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(trimmed)) {
    throw new ConsoleInputError('The validity must be a whole number of hours.', `Leave it at ${DEFAULT_LINK_TTL_HOURS}, or enter the number of hours the customer needs.`, 'ttlHours');
  }
  return Number(trimmed);
}

/** Sign-in, sign-out, onboarding links (operator side) and the link landing (customer side). */
export function registerAccessRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/login', PUBLIC, async (request, reply) => {
    if (operatorOf(request)) return redirect(reply, '/tenants');
    return renderPage(request, reply, { title: 'Sign in', body: loginPage({ csrfToken: request.consoleSession.csrfToken }) });
  });

  app.post('/login', PUBLIC, async (request, reply) => {
    const attempt = ctx.loginThrottle.begin();
    if (!attempt.allowed) {
      reply.header('retry-after', String(attempt.retryAfterSeconds));
      return renderPage(request, reply, {
        title: 'Sign in',
        body: loginPage({
          csrfToken: request.consoleSession.csrfToken,
          error: `Too many failed sign-ins. Try again in ${Math.ceil(attempt.retryAfterSeconds / 60)} minute(s).`,
        }),
      }, 429);
    }
    if (!(await verifyOperatorPassword(ctx.operator.hash, formField(request, 'password')))) {
      return renderPage(request, reply, {
        title: 'Sign in',
        body: loginPage({ csrfToken: request.consoleSession.csrfToken, error: 'That password is not the operator password.' }),
      }, 401);
    }
    ctx.loginThrottle.succeeded(attempt.attempt);
    const session = ctx.sessions.replace(request.consoleSession);
    session.principal = { kind: 'operator', signedInAt: ctx.clock.now() };
    request.consoleSession = session;
    return redirect(reply, '/tenants');
  });

  app.post('/logout', PUBLIC, async (request, reply) => {
    ctx.sessions.destroy(request.consoleSession);
    request.consoleSession = ctx.sessions.create();
    request.consoleSession.flash = { level: 'ok', text: 'Signed out.' };
    return redirect(reply, '/login');
  });

  app.get('/links', OPERATOR, async (request, reply) =>
    renderPage(request, reply, {
      title: 'Onboarding links',
      body: linksPage({ csrfToken: request.consoleSession.csrfToken, links: await ctx.links.list(), defaultTtlHours: DEFAULT_LINK_TTL_HOURS }),
    }));

  app.post('/links', OPERATOR, async (request, reply) => {
    const ttlHours = parseTtl(formField(request, 'ttlHours'));
    const issued = await ctx.links.issue({ accountId: formField(request, 'account') ?? '', consoleUrl: ctx.publicUrl, ...(ttlHours ? { ttlHours } : {}) });
    return renderPage(request, reply, {
      title: 'Onboarding link',
      body: linksPage({ csrfToken: request.consoleSession.csrfToken, links: await ctx.links.list(), defaultTtlHours: DEFAULT_LINK_TTL_HOURS, issued }),
    }, 201);
  });

  app.post('/links/:account/retire', OPERATOR, async (request, reply) => {
    const account = (request.params as { account: string }).account;
    const count = await ctx.links.revoke(account);
    request.consoleSession.flash = { level: 'ok', text: count > 0 ? `The onboarding link for account ${account} no longer works.` : `Account ${account} had no live link.` };
    return redirect(reply, '/links');
  });

  /** The customer's administrator arrives here from the link: a fresh session bound to that one tenant. */
  app.get(`${LINK_PATH_PREFIX}:token`, PUBLIC, async (request, reply) => {
    const link = await ctx.links.redeem((request.params as { token: string }).token);
    if (!link) {
      return renderPage(request, reply, {
        title: 'Link not valid',
        body: messagePage({
          title: 'This onboarding link does not work',
          message: 'It has expired, was replaced by a newer link, or was copied incompletely.',
          remedy: 'Ask your SuiteBridge contact for a new onboarding link.',
        }),
      }, 404);
    }
    const session = ctx.sessions.replace(request.consoleSession);
    session.principal = { kind: 'tenant', tenant: link.tenant, accountId: link.accountId, linkId: link.id, expiresAt: Date.parse(link.expiresAt) };
    session.onboarding = { tenant: link.tenant, accountId: link.accountId, connected: false };
    request.consoleSession = session;
    // A link opened from a mail client is a cross-site arrival: continue with a same-site navigation.
    return renderPage(request, reply, {
      title: 'Opening your onboarding',
      body: messagePage({ title: 'Opening your onboarding…', message: `Account ${link.accountId}.`, action: { href: '/', label: 'Continue' } }),
      refreshTo: '/',
    });
  });
}
