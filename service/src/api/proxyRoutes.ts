import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SCRIPTS } from '../../../client/src/onboarding/services';
import { assertTenantName } from '../../../client/src/onboarding/settings';
import type { HttpMethod } from '../../../client/src/http/types';
import { requireTenantAccess } from './access';
import type { NetSuiteProxy, ProxyAnswer, ProxyCall } from './netsuiteProxy';
import { ApiProblem } from './problem';

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const DEFAULT_MAX_ROWS = 10_000;

type Params = { tenant: string; script?: string; deploy?: string; '*'?: string };

function callOf(request: FastifyRequest<{ Params: Params }>, method?: HttpMethod): ProxyCall {
  const body = request.body;
  return {
    tenant: request.params.tenant,
    method: method ?? (request.method as HttpMethod),
    query: request.query as ProxyCall['query'],
    headers: request.headers,
    ...(typeof body === 'string' ? { body } : {}),
  };
}

function passThrough(reply: FastifyReply, answer: ProxyAnswer): FastifyReply {
  reply.code(answer.status).headers(answer.headers).header('x-suitebridge-attempts', String(answer.attempts));
  return reply.send(answer.body === '' ? undefined : answer.body);
}

/**
 * The proxy: RESTlets, REST records and SuiteQL of one tenant, and its configuration through the `config` RESTlet.
 * Bodies are taken as text (up to bodyLimit) and forwarded unchanged.
 */
export async function proxyRoutes(app: FastifyInstance, o: { proxy: NetSuiteProxy; bodyLimit: number }): Promise<void> {
  const { proxy } = o;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: o.bodyLimit }, (_request, body, done) => done(null, body));

  const tenantFor = (request: FastifyRequest<{ Params: Params }>, scope: 'proxy' | 'tenants:read' | 'tenants:manage') => {
    const tenant = assertTenantName(request.params.tenant);
    requireTenantAccess(request, scope, tenant);
    return tenant;
  };

  app.route<{ Params: Params }>({
    method: METHODS,
    url: '/tenants/:tenant/restlets/:script/:deploy',
    handler: async (request, reply) => {
      tenantFor(request, 'proxy');
      return passThrough(reply, await proxy.restlet(callOf(request), request.params.script as string, request.params.deploy as string));
    },
  });

  app.route<{ Params: Params }>({
    method: METHODS,
    url: '/tenants/:tenant/records/*',
    handler: async (request, reply) => {
      tenantFor(request, 'proxy');
      return passThrough(reply, await proxy.record(callOf(request), request.params['*'] ?? ''));
    },
  });

  app.post<{ Params: Params; Querystring: { limit?: string; offset?: string; all?: string; maxRows?: string; pageSize?: string } }>('/tenants/:tenant/suiteql', async (request, reply) => {
    const tenant = tenantFor(request, 'proxy');
    const parsed = parseQuery(request.body);
    if (request.query.all !== 'true') {
      return passThrough(reply, await proxy.suiteqlPage({ ...callOf(request, 'POST'), headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(parsed) }));
    }
    const maxRows = positiveInt(request.query.maxRows, 'maxRows', DEFAULT_MAX_ROWS, 100_000);
    const pageSize = positiveInt(request.query.pageSize, 'pageSize', 1000, 1000);
    return proxy.suiteqlAll(tenant, parsed.q, parsed.params, { maxRows, pageSize });
  });

  app.get<{ Params: Params }>('/tenants/:tenant/config', async (request, reply) => {
    tenantFor(request, 'tenants:read');
    return passThrough(reply, await proxy.restlet({ ...callOf(request, 'GET'), headers: { accept: 'application/json' } }, SCRIPTS.config.script, SCRIPTS.config.deploy));
  });
  app.put<{ Params: Params }>('/tenants/:tenant/config', async (request, reply) => {
    tenantFor(request, 'tenants:manage');
    const call = callOf(request, 'PUT');
    return passThrough(reply, await proxy.restlet({ ...call, query: {}, headers: { accept: 'application/json', 'content-type': 'application/json' } }, SCRIPTS.config.script, SCRIPTS.config.deploy));
  });
}

function parseQuery(body: unknown): { q: string; params?: unknown[] } {
  let parsed: unknown;
  try {
    parsed = typeof body === 'string' ? JSON.parse(body) : undefined;
  } catch {
    parsed = undefined;
  }
  const q = (parsed as { q?: unknown } | undefined)?.q;
  const params = (parsed as { params?: unknown } | undefined)?.params;
  if (typeof q !== 'string' || q.trim() === '' || (params !== undefined && !Array.isArray(params))) {
    throw new ApiProblem(400, 'INVALID_ARGUMENT', 'The body must be JSON {"q": "<SuiteQL>", "params"?: [...]}.', 'Send Content-Type: application/json with the query in "q".');
  }
  return { q, ...(params ? { params: params as unknown[] } : {}) };
}

function positiveInt(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max)) throw new ApiProblem(400, 'INVALID_ARGUMENT', `${name} must be 1–${max}.`);
  return n;
}
