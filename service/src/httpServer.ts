import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import type { SuiteBridgeService } from './service';

/**
 * The service's HTTP endpoints for orchestrators and operators: liveness, readiness (Redis and the store answer),
 * Prometheus metrics, tenant statuses and webhook delivery attempts. No secrets in any answer; bind it to a private
 * interface (default 127.0.0.1).
 */
export function buildServiceHttp(service: SuiteBridgeService): FastifyInstance {
  const app = Fastify({ logger: false });
  void app.register(helmet);
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await service.readiness();
    return reply.code(ready.redis && ready.store ? 200 : 503).send({ ready: ready.redis && ready.store, ...ready });
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await service.metrics.registry.metrics();
    return reply.type(service.metrics.registry.contentType).send(body);
  });
  app.get('/tenants', async () => service.statuses.list());
  app.get('/webhooks/deliveries', async () => service.deliveries.list());
  return app;
}
