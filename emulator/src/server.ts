import Fastify, { type FastifyInstance } from 'fastify';
import { applyLatency, isResourcePath } from './faults/latency';
import { routeByHost } from './hostRouting';
import { ADMIN_PREFIX } from './hosts';
import { registerAdminRoutes } from './routes/admin';
import { registerAdminStagingRoutes } from './routes/adminStaging';
import { registerAuthorizeRoutes } from './routes/authorize';
import { registerBundlePage } from './routes/bundles';
import { registerCertificateRoutes } from './routes/certificates';
import { registerDiscoveryRoutes } from './routes/discovery';
import { registerGovernanceRoute } from './routes/governance';
import { registerRecordRoute } from './routes/record';
import { registerRestletRoute, RESTLET_PATH } from './routes/restlet';
import { registerRevokeRoute } from './routes/revoke';
import { registerSuiteQLRoute } from './routes/suiteql';
import { registerTokenRoute } from './routes/token';
import { sendProblem, sendRestletError } from './resource/problem';
import type { EmulatorServices } from './services';

const MAX_BODY_BYTES = 12 * 1024 * 1024;

/** Each path answers only on its NetSuite host (hosts.ts); served NetSuite requests are logged with their Host. */
function registerHostRouting(app: FastifyInstance, s: EmulatorServices): void {
  app.addHook('onRequest', async (request, reply) => {
    return routeByHost(request, reply, { routing: s.config.hostRouting, accountIds: () => s.directory.accountIds(), baseUrl: s.baseUrl });
  });
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (path.startsWith(ADMIN_PREFIX)) return;
    s.requests.add({ at: new Date(s.clock.now()).toISOString(), method: request.method, host: request.headers.host ?? '', path, status: reply.statusCode });
  });
}

/** Faults that act before routing: dropped connections, then latency (resources add theirs inside the slot). */
function registerFaultHooks(app: FastifyInstance, s: EmulatorServices): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(ADMIN_PREFIX)) return;
    if (s.faults.take('dropConnections')) {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (!isResourcePath(request.url)) await applyLatency(s.faults);
  });
}

/** Unexpected failures never leak internals: a generic body in the shape of the surface that failed. */
function registerErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const status = typeof (err as { statusCode?: number }).statusCode === 'number' && (err as { statusCode: number }).statusCode < 500
      ? (err as { statusCode: number }).statusCode : 500;
    if (status >= 500) request.log.error({ err }, 'emulator internal error');
    if (request.url.startsWith(RESTLET_PATH)) return sendRestletError(reply, status, status >= 500 ? 'UNEXPECTED_ERROR' : 'INVALID_REQUEST', status >= 500 ? 'An unexpected error occurred.' : 'The request is malformed.');
    return sendProblem(reply, status, status >= 500 ? 'UNEXPECTED_ERROR' : 'INVALID_CONTENT', status >= 500 ? 'An unexpected error occurred.' : 'The request is malformed.');
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, 'NONEXISTENT_RESOURCE', `No emulated NetSuite endpoint at ${request.method} ${request.url.split('?')[0]}.`));
}

export function buildApp(s: EmulatorServices): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, forceCloseConnections: true });
  // Routes read the raw body themselves, so each surface answers bad bodies in its own NetSuite error shape.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // Fastify ignores GET bodies by default; NetSuite answers a GET RESTlet request that has one with 400, so read them.
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  registerHostRouting(app, s);
  // Clients measure NetSuite's clock from the Date header; it must be the emulator's clock, not the host's.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('date', new Date(s.clock.now()).toUTCString());
  });
  registerFaultHooks(app, s);
  registerErrorHandlers(app);
  registerAdminRoutes(app, s);
  registerAdminStagingRoutes(app, s);
  registerAuthorizeRoutes(app, s);
  registerTokenRoute(app, s);
  registerRevokeRoute(app, s);
  registerDiscoveryRoutes(app, s);
  registerCertificateRoutes(app, s);
  registerSuiteQLRoute(app, s);
  registerRecordRoute(app, s);
  registerGovernanceRoute(app, s);
  registerRestletRoute(app, s);
  registerBundlePage(app, s);
  return app;
}
