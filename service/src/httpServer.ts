import Fastify, { type FastifyInstance } from 'fastify';
import type { SuiteBridgeService } from './service';
import { suiteBridgeApi, type ApiOptions } from './api';
import { securityHeaders } from './securityHeaders';
import { checkServiceTls, type ServiceTls } from './tls';

/**
 * The service's HTTP endpoints for orchestrators and operators: liveness, readiness (Redis and the store answer),
 * Prometheus metrics, tenant statuses and webhook delivery attempts. No secrets in any answer; bind it to a private
 * interface (default 127.0.0.1), or serve HTTPS with `tls`.
 */
export function buildServiceHttp(service: SuiteBridgeService, o: { api?: Omit<ApiOptions, 'service'>; tls?: ServiceTls } = {}): FastifyInstance {
  // With `tls` (PEM certificate and key, checked here) the endpoints are served over HTTPS.
  const app = o.tls ? (Fastify({ logger: false, https: checkServiceTls(o.tls) }) as unknown as FastifyInstance) : Fastify({ logger: false });
  // Helmet's default headers, computed once (see securityHeaders.ts for why not @fastify/helmet per request).
  securityHeaders(app);
  // The HTTP API and NetSuite proxy (service/src/api), when API keys are configured.
  if (o.api) void app.register(suiteBridgeApi, { ...o.api, service, prefix: '/v1' });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await service.readiness();
    return reply.code(ready.redis && ready.store ? 200 : 503).send({ ready: ready.redis && ready.store, ...ready });
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await service.metrics.registry.metrics();
    return reply.type(service.metrics.registry.contentType).send(body);
  });
  // Tenant statuses and webhook deliveries are served only under /v1, behind API keys (tenants:read).
  return app;
}
