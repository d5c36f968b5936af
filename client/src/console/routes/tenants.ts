import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeAccountId } from '../../account';
import type { ActionOutcome } from '../backend';
import { OPERATOR } from '../access';
import { BackendFleet } from '../backendFleet';
import { redirect, renderPage, type ConsoleContext } from '../context';
import { DEFAULT_PAGE_SIZE, MAX_SEARCH_LENGTH, UNKNOWN_STATUS, type ConsoleFleet } from '../fleet';
import { ConsoleInputError } from '../inputError';
import { fleetHref, fleetPage, type FleetFilter } from '../views/fleet';
import { tenantHealthSections, type RepairShown } from '../views/tenantHealth';
import { tenantPage } from '../views/tenants';
import { messagePage } from '../views/message';

function tenantParam(request: FastifyRequest): string {
  return (request.params as { tenant: string }).tenant;
}

function flashOutcome(request: FastifyRequest, outcome: ActionOutcome): void {
  request.consoleSession.flash = {
    level: outcome.ok ? 'ok' : 'error',
    text: outcome.message,
    ...(outcome.remedy ? { remedy: outcome.remedy } : {}),
  };
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `?status=&q=&page=` of the list; anything else is a 400 naming the fix. */
function parseListQuery(request: FastifyRequest, fleet: ConsoleFleet): { filter: FleetFilter; page: number } {
  const status = queryText(request, 'status');
  const allowed = [...fleet.statuses, UNKNOWN_STATUS];
  if (status !== undefined && !allowed.includes(status)) {
    throw new ConsoleInputError(`There is no status "${status}".`, `Pick one of: ${allowed.join(', ')} (or All).`, 'status');
  }
  const search = queryText(request, 'q');
  if (search !== undefined && search.length > MAX_SEARCH_LENGTH) {
    throw new ConsoleInputError(`The search text is longer than ${MAX_SEARCH_LENGTH} characters.`, 'Search for part of a tenant name or account ID.', 'q');
  }
  const pageText = queryText(request, 'page');
  if (pageText !== undefined && !/^[1-9][0-9]{0,5}$/.test(pageText)) {
    throw new ConsoleInputError(`Page "${pageText}" is not a page number.`, 'Use the page links under the list.', 'page');
  }
  return { filter: { ...(status ? { status } : {}), ...(search ? { search } : {}) }, page: pageText ? Number(pageText) : 1 };
}

export function registerTenantRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const fleetOf = (): ConsoleFleet => ctx.fleet ?? new BackendFleet(ctx.backend);

  app.get('/tenants', OPERATOR, async (request, reply) => {
    const fleet = fleetOf();
    const { filter, page } = parseListQuery(request, fleet);
    const result = await fleet.list({ ...filter, page, pageSize: DEFAULT_PAGE_SIZE });
    // A page number past the end (the fleet shrank, or a hand-edited URL) goes to the last page that exists.
    if (result.page !== page && page > 1) return redirect(reply, fleetHref(filter, result.page));
    return renderPage(request, reply, {
      title: 'Tenants',
      body: fleetPage({ page: result, statuses: fleet.statuses, filter, now: ctx.clock.now(), statusesKnown: ctx.fleet !== undefined }),
    });
  });

  async function showTenant(request: FastifyRequest, reply: FastifyReply, repair?: RepairShown): Promise<FastifyReply> {
    const name = tenantParam(request);
    const tenant = await ctx.backend.tenant(name);
    if (!tenant) {
      return renderPage(request, reply, {
        title: 'Tenant not found',
        body: messagePage({
          title: 'Tenant not found',
          message: `There is no tenant "${name}" in this console's store.`,
          remedy: 'Pick one from the list, or send the account an onboarding link first.',
          action: { href: '/tenants', label: 'All tenants' },
        }),
      }, 404);
    }
    const fleet = fleetOf();
    const detail = await fleet.detail(tenant.tenant);
    const csrfToken = request.consoleSession.csrfToken;
    const now = ctx.clock.now();
    return renderPage(request, reply, {
      title: tenant.companyName ?? tenant.tenant,
      body: tenantPage({
        tenant,
        csrfToken,
        now,
        ...(repair ? { repair } : {}),
        ...(detail ? { health: tenantHealthSections({ detail, csrfToken, now, canRepair: fleet.repair !== undefined, canRedeliver: fleet.redeliver !== undefined }) } : {}),
      }),
    });
  }

  app.get('/tenants/:tenant', OPERATOR, async (request, reply) => showTenant(request, reply));

  app.post('/tenants/:tenant/rotate', OPERATOR, async (request, reply) => {
    const tenant = tenantParam(request);
    flashOutcome(request, await ctx.backend.rotateCertificate(tenant));
    return redirect(reply, `/tenants/${encodeURIComponent(tenant)}`);
  });

  app.post('/tenants/:tenant/test', OPERATOR, async (request, reply) => {
    const tenant = tenantParam(request);
    flashOutcome(request, await ctx.backend.testConnection(tenant));
    return redirect(reply, `/tenants/${encodeURIComponent(tenant)}`);
  });

  /**
   * Answers with the tenant page and the outcome rather than a redirect: a consent link is shown once. For a tenant this
   * console onboarded, the customer consents again through a new onboarding link (the sign-in returns to this console).
   */
  app.post('/tenants/:tenant/repair', OPERATOR, async (request, reply) => {
    const fleet = fleetOf();
    const tenant = await ctx.backend.tenant(tenantParam(request));
    if (!tenant || !fleet.repair) return showTenant(request, reply);
    const view = await fleet.repair(tenant.tenant);
    const shown: RepairShown = { view };
    if (view.outcome === 'consent_needed' && view.redirectUri === ctx.redirectUri && tenant.tenant === normalizeAccountId(view.accountId)) {
      shown.link = await ctx.links.issue({ accountId: view.accountId, consoleUrl: ctx.publicUrl });
    }
    return showTenant(request, reply, shown);
  });

  app.post('/tenants/:tenant/deliveries/:delivery/redeliver', OPERATOR, async (request, reply) => {
    const tenant = tenantParam(request);
    const fleet = fleetOf();
    if (fleet.redeliver) flashOutcome(request, await fleet.redeliver((request.params as { delivery: string }).delivery));
    return redirect(reply, `/tenants/${encodeURIComponent(tenant)}`);
  });
}
