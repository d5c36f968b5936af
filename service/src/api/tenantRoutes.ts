import type { FastifyInstance } from 'fastify';
import { assertTenantName } from '../../../client/src/onboarding/settings';
import { toSummary } from '../../../client/src/onboarding/view';
import type { SuiteBridgeService } from '../service';
import { CONNECTION_STATUSES, type ConnectionStatus } from '../status';
import { tenantsInStatus } from '../tenantListing';
import { canSeeTenant, requireScope, requireTenantAccess } from './access';
import type { NetSuiteProxy } from './netsuiteProxy';
import { ApiProblem } from './problem';
import { decodeCursor, encodeCursor, tenantItem } from './tenantViews';
import { WebhookRedeliveryError, type DeliveryRecord } from '../webhooks';

/** A delivery as the API lists it: without the kept event body. */
function deliveryItem(record: DeliveryRecord): Omit<DeliveryRecord, 'event'> {
  const { event: _event, ...rest } = record;
  return rest;
}

const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

function tenantParam(raw: string): string {
  return assertTenantName(raw);
}

/** Tenants (list, get, remove), repair, certificates and webhook deliveries. */
export async function tenantRoutes(app: FastifyInstance, o: { service: SuiteBridgeService; proxy: NetSuiteProxy }): Promise<void> {
  const { service } = o;
  const orchestrator = service.orchestrator;

  async function known(tenant: string) {
    const view = await orchestrator.get(tenant);
    if (!view) throw new ApiProblem(404, 'NOT_FOUND', `No tenant named "${tenant}".`, 'List tenants with GET /v1/tenants.');
    return view;
  }

  app.get<{ Querystring: { status?: string; limit?: string; cursor?: string } }>('/tenants', async (request) => {
    const key = requireScope(request, 'tenants:read');
    const { status, cursor } = request.query;
    if (status !== undefined && !(CONNECTION_STATUSES as readonly string[]).includes(status)) {
      throw new ApiProblem(400, 'INVALID_ARGUMENT', `Unknown status "${status}".`, `Use one of ${CONNECTION_STATUSES.join(', ')}.`);
    }
    const limitText = request.query.limit ?? String(DEFAULT_PAGE);
    const limit = /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_PAGE)) throw new ApiProblem(400, 'INVALID_ARGUMENT', `limit must be 1–${MAX_PAGE}.`);
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined) throw new ApiProblem(400, 'INVALID_ARGUMENT', 'The cursor is not one this API gave out.', 'Pass nextCursor from the previous page unchanged.');
    if (status !== undefined) {
      // By the status index: only the page's tenants are read, not every tenant.
      const page = await tenantsInStatus(service.store, service.statuses, { status: status as ConnectionStatus, limit, ...(after !== undefined ? { after } : {}), visible: (t) => canSeeTenant(key, t) });
      const items = page.tenants.map((t) => tenantItem(t.summary, t.state));
      const last = items[items.length - 1];
      return { items, ...(page.more && last ? { nextCursor: encodeCursor(last.tenant) } : {}) };
    }
    const [statusList, summaries] = await Promise.all([service.statuses.list(), orchestrator.list()]);
    const states = new Map(statusList.map((s) => [s.tenant, s]));
    const all = summaries
      .filter((t) => canSeeTenant(key, t.tenant))
      .sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0))
      .map((t) => tenantItem(t, states.get(t.tenant)));
    const start = after === undefined ? 0 : all.findIndex((t) => t.tenant > after);
    const items = start < 0 ? [] : all.slice(start, start + limit);
    const last = items[items.length - 1];
    const more = start >= 0 && start + limit < all.length;
    return { items, ...(more && last ? { nextCursor: encodeCursor(last.tenant) } : {}) };
  });

  app.get<{ Params: { tenant: string } }>('/tenants/:tenant', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    requireTenantAccess(request, 'tenants:read', tenant);
    await known(tenant);
    return tenantItem(toSummary(await orchestrator.credentials(tenant)), await service.statuses.get(tenant));
  });

  app.delete<{ Params: { tenant: string }; Querystring: { keepCertificate?: string } }>('/tenants/:tenant', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    requireTenantAccess(request, 'tenants:manage', tenant);
    await known(tenant);
    const keep = request.query.keepCertificate === 'true';
    const result = await orchestrator.remove(tenant, { revokeCertificate: !keep });
    await service.statuses.remove(tenant);
    o.proxy.forget(tenant);
    return { tenant, removed: true, ...result };
  });

  app.post<{ Params: { tenant: string } }>('/tenants/:tenant/repair', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    requireTenantAccess(request, 'tenants:manage', tenant);
    await known(tenant);
    const result = await service.repair(tenant);
    return { tenant, ...result };
  });

  app.get<{ Params: { tenant: string } }>('/tenants/:tenant/certificates', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    requireTenantAccess(request, 'tenants:read', tenant);
    await known(tenant);
    const current = (await orchestrator.credentials(tenant)).certificate?.certificateId;
    const list = await (await orchestrator.connect(tenant)).certificates.list();
    return { items: list.map((c) => ({ ...c, inUse: c.certificateId === current })) };
  });

  app.post<{ Params: { tenant: string } }>('/tenants/:tenant/certificates/rotate', async (request) => {
    const tenant = tenantParam(request.params.tenant);
    requireTenantAccess(request, 'tenants:manage', tenant);
    await known(tenant);
    const previous = (await orchestrator.credentials(tenant)).certificate?.certificateId;
    await orchestrator.rotateCertificate(tenant);
    const now = (await orchestrator.credentials(tenant)).certificate;
    return { tenant, certificateId: now?.certificateId ?? null, ...(now?.notAfter ? { notAfter: now.notAfter } : {}), ...(previous ? { previousCertificateId: previous } : {}) };
  });

  app.get('/events/deliveries', async (request) => {
    const key = requireScope(request, 'tenants:read');
    const items = (await service.deliveries.list()).filter((d) => (d.tenant === undefined ? !key.tenants : canSeeTenant(key, d.tenant)));
    return { items: items.map(deliveryItem) };
  });

  app.post<{ Params: { id: string } }>('/events/deliveries/:id/redeliver', async (request) => {
    const key = requireScope(request, 'tenants:manage');
    const { id } = request.params;
    const notFound = () => new ApiProblem(404, 'NOT_FOUND', `No webhook delivery "${id}".`, 'List deliveries with GET /v1/events/deliveries and pass an item\'s id.');
    const record = await service.deliveries.get(id);
    // A key limited to some tenants sees only their deliveries; others are unknown to it, as in the list.
    if (!record || (record.tenant === undefined ? key.tenants !== undefined : !canSeeTenant(key, record.tenant))) throw notFound();
    try {
      const { delivery, attempt } = await service.redeliver(id);
      return { delivery: deliveryItem(delivery), attempt };
    } catch (err) {
      if (err instanceof WebhookRedeliveryError) {
        if (err.reason === 'unknown_delivery') throw notFound();
        throw new ApiProblem(409, 'NOT_REDELIVERABLE', err.message, err.remedy);
      }
      throw err;
    }
  });
}
