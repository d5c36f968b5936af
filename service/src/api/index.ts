import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { redact } from '../../../client/src/redact';
import { instrumentedFetch } from '../instrumentedFetch';
import type { SuiteBridgeService } from '../service';
import { authenticate } from './access';
import type { ApiKeyStore } from './apiKeys';
import { requestFetch } from '../../../client/src/http/requestFetch';
import { NetSuiteProxy, type ProxyOptions } from './netsuiteProxy';
import { ApiProblem, problemErrorHandler, sendProblem, toProblem } from './problem';
import { proxyRoutes } from './proxyRoutes';
import { tenantRoutes } from './tenantRoutes';
import { onboardingRoutes, type OnboardingApiOptions } from './onboardingRoutes';

export interface ApiOptions {
  service: SuiteBridgeService;
  /** API keys (`new ApiKeyStore(store)` on the service's store). */
  keys: ApiKeyStore;
  proxy?: ProxyOptions;
  /** Requests per minute per API key, unless the key sets its own (default 600). */
  rateLimitPerMinute?: number;
  /** An ioredis client: rate limits counted across every replica that shares it (default: per replica, in memory). */
  rateLimitRedis?: unknown;
  /** Largest request body the proxy forwards (default 10 MiB, NetSuite's RESTlet payload limit). */
  bodyLimitBytes?: number;
  logger?: Logger;
  /** Onboarding over the API; where the tenants' NetSuite is (operator-set). */
  onboarding?: OnboardingApiOptions;
}

export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;
/** Paths pino never writes, whatever a log line carries. */
export const REDACTED_LOG_PATHS = ['headers.authorization', 'req.headers.authorization', 'request.headers.authorization', 'headers.cookie', 'req.headers.cookie', 'authorization'];

/** The OpenAPI 3.1 document of this API, checked in as service/openapi.json. */
export function openApiDocument(): Record<string, unknown> {
  // service/src/api → service/openapi.json; from the build (build/service/src/api) the same file in the repository.
  const candidates = [join(__dirname, '..', '..', 'openapi.json'), join(__dirname, '..', '..', '..', '..', 'service', 'openapi.json')];
  const path = candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/**
 * `/v1`: tenants, repair, certificates, configuration, webhook deliveries and the NetSuite proxy, for calling systems
 * in any language. Every route but /v1/openapi.json needs an API key; errors are RFC 9457 problem details.
 */
export async function suiteBridgeApi(app: FastifyInstance, o: ApiOptions): Promise<void> {
  const { keys } = o;
  const logger = (o.logger ?? o.service.logger).child({ component: 'api' }, { redact: { paths: REDACTED_LOG_PATHS, censor: '[REDACTED]' } });
  // Proxied calls count in /metrics (suitebridge_netsuite_calls_total, suitebridge_over_limit_total) like the jobs' own.
  const proxy = new NetSuiteProxy(o.service.orchestrator, {
    limiterFor: o.service.limiterFor,
    ...(o.service.keepFreeShare !== undefined ? { keepFreeShare: o.service.keepFreeShare } : {}),
    ...o.proxy,
    // undici's request rather than WHATWG fetch for the proxy's NetSuite calls (see requestFetch: p99 under load).
    fetch: instrumentedFetch(o.service.metrics, o.proxy?.fetch ?? requestFetch),
    observer: o.service.metrics.clientObserver,
  });
  const document = openApiDocument();

  app.setErrorHandler(problemErrorHandler((request, err) => {
    logger.error({ method: request.method, path: request.url.split('?')[0], keyId: request.apiKey?.id, err: redact(err instanceof Error ? err.message : String(err)) }, 'api request failed');
  }));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, toProblem(new ApiProblem(404, 'NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`, 'See /v1/openapi.json for the routes.'), request.url.split('?')[0])));

  app.get('/openapi.json', { config: { public: true } }, async () => document);

  const authenticateRequest = authenticate(keys);
  app.addHook('onRequest', async (request) => {
    if ((request.routeOptions.config as { public?: boolean } | undefined)?.public) return;
    await authenticateRequest(request);
  });
  await app.register(rateLimit, {
    hook: 'preHandler',
    timeWindow: 60_000,
    max: (request) => request.apiKey?.rateLimitPerMinute ?? o.rateLimitPerMinute ?? 600,
    keyGenerator: (request) => request.apiKey?.id ?? request.ip,
    ...(o.rateLimitRedis ? { redis: o.rateLimitRedis, nameSpace: 'suitebridge:api-rate:' } : {}),
    allowList: (request) => (request.routeOptions.config as { public?: boolean } | undefined)?.public === true,
    errorResponseBuilder: (_request, context) =>
      new ApiProblem(429, 'RATE_LIMITED', `This API key made more than ${context.max} requests in a minute.`, `Wait ${Math.ceil(context.ttl / 1000)} s (Retry-After), or ask the operator for a key with a higher limit (api-keys create --rate-limit-per-minute).`) as unknown as object,
  });
  app.addHook('onResponse', async (request, reply) => {
    const tenant = (request.params as { tenant?: string } | undefined)?.tenant;
    logger.info({ method: request.method, path: request.url.split('?')[0], status: reply.statusCode, keyId: request.apiKey?.id, ...(tenant ? { tenant } : {}), ms: Math.round(reply.elapsedTime) }, 'api request');
  });

  await app.register(tenantRoutes, { service: o.service, proxy });
  await app.register(onboardingRoutes, { orchestrator: o.service.orchestrator, ...(o.onboarding ? { onboarding: o.onboarding } : {}) });
  await app.register(proxyRoutes, { proxy, bodyLimit: o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT });
}

export { ApiKeyStore, API_KEY_SCOPES, type ApiKeyInfo, type ApiKeyScope } from './apiKeys';
export { NetSuiteProxy, type ProxyOptions } from './netsuiteProxy';
