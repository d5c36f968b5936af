import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ActionOutcome } from '../backend';
import { OPERATOR } from '../access';
import { redirect, renderPage, type ConsoleContext } from '../context';
import { tenantPage, tenantsPage } from '../views/tenants';
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

export function registerTenantRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/tenants', OPERATOR, async (request, reply) => {
    const tenants = await ctx.backend.listTenants();
    return renderPage(request, reply, { title: 'Tenants', body: tenantsPage({ tenants, now: ctx.clock.now() }) });
  });

  app.get('/tenants/:tenant', OPERATOR, async (request, reply) => {
    const tenant = await ctx.backend.tenant(tenantParam(request));
    if (!tenant) {
      return renderPage(request, reply, {
        title: 'Tenant not found',
        body: messagePage({
          title: 'Tenant not found',
          message: `There is no tenant "${tenantParam(request)}" in this console's store.`,
          remedy: 'Pick one from the list, or send the account an onboarding link first.',
          action: { href: '/tenants', label: 'All tenants' },
        }),
      }, 404);
    }
    return renderPage(request, reply, {
      title: tenant.companyName ?? tenant.tenant,
      body: tenantPage({ tenant, csrfToken: request.consoleSession.csrfToken, now: ctx.clock.now() }),
    });
  });

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
}
