import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PUBLIC, TENANT, operatorOf, tenantOf } from '../access';
import type { OnboardingStatusView, StepNumber } from '../backend';
import { formField, redirect, renderPage, type ConsoleContext } from '../context';
import { ConsoleInputError } from '../inputError';
import { flowCookie, flowCookieName, parseCookies, randomId, type ConsoleSession } from '../session';
import { landingPage } from '../views/access';
import { connectPage, finishPage, installPage, progressPage } from '../views/onboarding';
import { messagePage } from '../views/message';

type ConnectedOnboarding = { tenant: string; accountId: string };

/** The onboarding of this link session once its consent is done; never another tenant than the link's. */
function connected(request: FastifyRequest): ConnectedOnboarding | undefined {
  const principal = tenantOf(request);
  const onboarding = request.consoleSession.onboarding;
  if (!principal || !onboarding?.connected || onboarding.tenant !== principal.tenant) return undefined;
  return { tenant: onboarding.tenant, accountId: onboarding.accountId };
}

/** A page reached from NetSuite's cross-site redirect: continue with a same-site navigation (see layout `refreshTo`). */
function continuePage(request: FastifyRequest, reply: import('fastify').FastifyReply, next: string) {
  return renderPage(request, reply, {
    title: 'Connected',
    body: messagePage({ title: 'Connected', message: 'NetSuite confirmed the sign-in. Continuing…', action: { href: next, label: 'Continue' } }),
    refreshTo: next,
  });
}

function stepDone(status: OnboardingStatusView, step: StepNumber): boolean {
  return status.steps.some((s) => s.step === step && s.state === 'done');
}

/** Where a connected browser belongs, from the orchestrator's view of the tenant. */
export function pageFor(status: OnboardingStatusView | undefined): string {
  if (!status) return '/onboarding/install';
  if (status.complete) return '/onboarding/finish';
  return stepDone(status, 2) ? '/onboarding/progress' : '/onboarding/install';
}

export function statusRevision(status: OnboardingStatusView): string {
  return [status.events.length, status.steps.map((s) => `${s.step}${s.state}`).join(''), status.error ? 'e' : '', status.complete ? 'c' : ''].join(':');
}

function emptyStatus(current: ConnectedOnboarding): OnboardingStatusView {
  return { tenant: current.tenant, accountId: current.accountId, steps: [], events: [], complete: false };
}

function parseEntity(value: string | undefined): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (!/^[1-9][0-9]{0,9}$/.test(trimmed)) {
    throw new ConsoleInputError(
      'The integration user must be an employee internal ID (a positive whole number).',
      'Leave the field empty to use the administrator who connected, or enter the internal ID shown on the employee record.',
      'entity',
    );
  }
  return Number(trimmed);
}

const START_AGAIN = { href: '/', label: 'Start again' };

export function registerOnboardingRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/', PUBLIC, async (request, reply) => {
    if (operatorOf(request)) return redirect(reply, '/tenants');
    const principal = tenantOf(request);
    if (!principal) return renderPage(request, reply, { title: 'SuiteBridge', body: landingPage() });
    const current = connected(request);
    if (current) return redirect(reply, pageFor(await ctx.backend.status(current.tenant)));
    return renderPage(request, reply, {
      title: 'Connect your NetSuite account',
      body: connectPage({ csrfToken: request.consoleSession.csrfToken, accountId: principal.accountId }),
    });
  });

  /** The account comes from the link this session was opened with; a posted account ID is ignored. */
  app.post('/connect', TENANT, async (request, reply) => {
    const principal = tenantOf(request)!;
    const accountId = principal.accountId;
    const started = await ctx.backend.startAuthorization({ accountId });
    if (started.tenant !== principal.tenant) {
      throw new ConsoleInputError(`Account ${accountId} is kept under another tenant name (${started.tenant}).`, 'Ask your SuiteBridge contact for a new onboarding link.', 'account');
    }
    if (started.kind === 'resume') {
      const rotated = ctx.sessions.rotate(request.consoleSession);
      rotated.onboarding = { tenant: started.tenant, accountId, connected: true };
      request.consoleSession = rotated;
      return redirect(reply, '/');
    }
    const binding = randomId();
    request.consoleSession.onboarding = { tenant: started.tenant, accountId, pendingState: started.state, connected: false };
    request.consoleSession.flowBinding = binding;
    reply.header('set-cookie', flowCookie(binding, ctx.secureCookies));
    return redirect(reply, started.url);
  });

  app.get('/callback', PUBLIC, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    // NetSuite's redirect is cross-site: the Strict session cookie is absent, the Lax flow cookie finds the session.
    const flow = parseCookies(request.headers.cookie).get(flowCookieName(ctx.secureCookies));
    const owner: ConsoleSession | undefined = request.consoleSession.flowBinding ? request.consoleSession : ctx.sessions.findByFlow(flow);
    const session = owner && owner.flowBinding !== undefined && owner.flowBinding === flow ? owner : undefined;
    if (session && session !== request.consoleSession) request.consoleSession = session;
    const principal = session?.principal?.kind === 'tenant' ? session.principal : undefined;
    const pending = session?.onboarding;
    if (!session || !principal || !pending?.pendingState || pending.tenant !== principal.tenant || query.state !== pending.pendingState) {
      return renderPage(request, reply, {
        title: 'Sign-in not recognised',
        body: messagePage({
          title: 'This sign-in does not belong to this browser',
          message: 'The NetSuite response does not match a connection started in this browser session, or it was already used.',
          remedy: 'Start the connection again from this console, in the same browser.',
          action: START_AGAIN,
        }),
      }, 400);
    }
    delete pending.pendingState;
    delete session.flowBinding;
    reply.header('set-cookie', flowCookie('', ctx.secureCookies, 0));
    if (query.error !== undefined) {
      const denied = query.error === 'access_denied';
      return renderPage(request, reply, {
        title: denied ? 'Access not granted' : 'NetSuite refused the connection',
        body: messagePage({
          title: denied ? 'You chose not to allow access' : 'NetSuite refused the connection',
          message: denied
            ? 'SuiteBridge cannot set itself up without your consent. Nothing was changed in your account.'
            : `NetSuite answered "${query.error}"${query.error_description ? `: ${query.error_description}` : ''}.`,
          remedy: denied
            ? 'Connect again and choose Allow when you are ready.'
            : 'Check that the integration record is enabled and lists this redirect URI, then connect again.',
          action: START_AGAIN,
        }),
      }, denied ? 200 : 400);
    }
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    await ctx.backend.completeAuthorization({ tenant: pending.tenant, callbackUrl: `${ctx.redirectUri}${search}` });
    const status = await ctx.backend.status(pending.tenant);
    if (!status || !stepDone(status, 1)) {
      return renderPage(request, reply, {
        title: 'Connection failed',
        body: messagePage({
          title: 'The connection could not be completed',
          message: status?.error?.message ?? 'NetSuite did not confirm the sign-in.',
          ...(status?.error?.remedy ? { remedy: status.error.remedy } : {}),
          action: START_AGAIN,
        }),
      }, 502);
    }
    const rotated = ctx.sessions.rotate(session);
    rotated.onboarding = { tenant: pending.tenant, accountId: pending.accountId, connected: true };
    request.consoleSession = rotated;
    return continuePage(request, reply, pageFor(status));
  });

  app.get('/onboarding/install', TENANT, async (request, reply) => {
    const current = connected(request);
    if (!current) return redirect(reply, '/');
    const status = (await ctx.backend.status(current.tenant)) ?? emptyStatus(current);
    if (stepDone(status, 2)) return redirect(reply, pageFor(status));
    return renderPage(request, reply, {
      title: 'Install the bundle',
      body: installPage({ csrfToken: request.consoleSession.csrfToken, status }),
    });
  });

  app.post('/onboarding/check', TENANT, async (request, reply) => {
    const current = connected(request);
    if (!current) return redirect(reply, '/');
    const entity = parseEntity(formField(request, 'entity'));
    await ctx.backend.recheckInstall(current.tenant, entity === undefined ? {} : { integrationEntity: entity });
    return redirect(reply, pageFor(await ctx.backend.status(current.tenant)));
  });

  app.post('/onboarding/retry', TENANT, async (request, reply) => {
    const current = connected(request);
    if (!current) return redirect(reply, '/');
    const entity = parseEntity(formField(request, 'entity'));
    await ctx.backend.retry(current.tenant, entity === undefined ? {} : { integrationEntity: entity });
    return redirect(reply, pageFor(await ctx.backend.status(current.tenant)));
  });

  app.get('/onboarding/progress', TENANT, async (request, reply) => {
    const current = connected(request);
    if (!current) return redirect(reply, '/');
    const status = (await ctx.backend.status(current.tenant)) ?? emptyStatus(current);
    if (status.complete || !stepDone(status, 2)) return redirect(reply, pageFor(status));
    return renderPage(request, reply, {
      title: 'Setting up long-term access',
      body: progressPage({ csrfToken: request.consoleSession.csrfToken, status }),
      poll: { statusUrl: '/onboarding/status.json', revision: statusRevision(status) },
    });
  });

  app.get('/onboarding/status.json', TENANT, async (request, reply) => {
    const current = connected(request);
    if (!current) return reply.code(401).send({ error: 'not_connected', next: '/' });
    const status = (await ctx.backend.status(current.tenant)) ?? emptyStatus(current);
    return reply.send({
      revision: statusRevision(status),
      complete: status.complete,
      error: status.error !== undefined,
      steps: status.steps.map((s) => ({ step: s.step, state: s.state })),
      ...(status.complete ? { next: '/onboarding/finish' } : {}),
    });
  });

  app.get('/onboarding/finish', TENANT, async (request, reply) => {
    const current = connected(request);
    if (!current) return redirect(reply, '/');
    const status = await ctx.backend.status(current.tenant);
    if (!status?.complete) return redirect(reply, pageFor(status));
    return renderPage(request, reply, { title: 'Finished', body: finishPage({ status }) });
  });

  /**
   * "Onboard another account". A link opens one account's onboarding by design: the operator starts the next one with
   * a new link; the customer's administrator is told that each account gets its own link from the vendor.
   */
  app.get('/another', PUBLIC, async (request, reply) => {
    if (operatorOf(request)) return redirect(reply, '/links');
    const principal = tenantOf(request);
    return renderPage(request, reply, {
      title: 'Onboard another account',
      body: messagePage({
        title: 'Onboard another account',
        message: principal
          ? `Your onboarding link connects account ${principal.accountId} only. Each NetSuite account is connected through its own link: ask your SuiteBridge contact to send you a new onboarding link for the other account.`
          : 'Each NetSuite account is connected through its own onboarding link, which your SuiteBridge contact sends you.',
        remedy: principal ? 'Open the new link when it arrives; it starts at step 1 for that account.' : 'Operators: sign in and create an onboarding link for the account.',
        action: principal ? { href: '/', label: 'Back to your onboarding' } : { href: '/login', label: 'Operator sign-in' },
      }),
    });
  });

  app.post('/onboarding/restart', TENANT, async (request, reply) => {
    const principal = tenantOf(request)!;
    request.consoleSession.onboarding = { tenant: principal.tenant, accountId: principal.accountId, connected: false };
    return redirect(reply, '/');
  });
}
