import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { faultProblems } from '../config/validate';
import type { FaultsConfig } from '../config/types';
import { isLoopback, mediaType, rawBody } from '../http';
import { ADMIN_PREFIX } from '../hosts';
import type { EmulatorServices } from '../services';
import { isBundleInstallError } from './bundles';

export { ADMIN_PREFIX };

const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
const adminError = (reply: FastifyReply, status: number, code: string, message: string) => json(reply, status, { error: { code, message } });

function jsonBody(request: FastifyRequest): unknown {
  if (mediaType(request) !== 'application/json') return undefined;
  try {
    return JSON.parse(rawBody(request));
  } catch {
    return undefined;
  }
}

/** Emulator-only admin API: no auth, loopback callers only. */
export function registerAdminRoutes(app: FastifyInstance, s: EmulatorServices): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith(`${ADMIN_PREFIX}/`) && !isLoopback(request.ip)) {
      return adminError(reply, 403, 'LOOPBACK_ONLY', 'The emulator admin API answers loopback callers only.');
    }
    return undefined;
  });

  app.get(`${ADMIN_PREFIX}/seed`, async (_request, reply) => json(reply, 200, s.seed()));

  app.get<{ Querystring: { account?: string } }>(`${ADMIN_PREFIX}/login-audit`, async (request, reply) =>
    json(reply, 200, s.store.auditTrail(request.query.account).map((e) => ({ ...e, at: new Date(e.at).toISOString() }))));

  app.get<{ Querystring: { account?: string } }>(`${ADMIN_PREFIX}/script-log`, async (request, reply) =>
    json(reply, 200, s.restlets.host.logs(request.query.account)));

  app.get(`${ADMIN_PREFIX}/requests`, async (_request, reply) => json(reply, 200, s.requests.list()));

  // Per account: peak in flight and over-limit answers (RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED, REST 429); POST resets.
  app.get<{ Querystring: { account?: string } }>(`${ADMIN_PREFIX}/concurrency`, async (request, reply) =>
    json(reply, 200, s.concurrency.stats(request.query.account)));
  app.post<{ Querystring: { account?: string } }>(`${ADMIN_PREFIX}/concurrency/reset`, async (request, reply) => {
    s.concurrency.reset(request.query.account);
    return json(reply, 200, { reset: request.query.account ?? 'all' });
  });

  app.get(`${ADMIN_PREFIX}/faults`, async (_request, reply) => json(reply, 200, s.faults.snapshot()));
  app.put(`${ADMIN_PREFIX}/faults`, async (request, reply) => {
    const body = jsonBody(request);
    const problems = faultProblems(body);
    if (problems.length) return adminError(reply, 400, 'INVALID_FAULTS', problems.join('; '));
    return json(reply, 200, s.faults.update(body as FaultsConfig));
  });

  app.post(`${ADMIN_PREFIX}/clock`, async (request, reply) => {
    const body = jsonBody(request) as { offsetSeconds?: unknown; advanceSeconds?: unknown } | undefined;
    const { offsetSeconds, advanceSeconds } = body ?? {};
    const valid = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
    if (!body || !valid(offsetSeconds) || !valid(advanceSeconds) || (offsetSeconds === undefined && advanceSeconds === undefined)) {
      return adminError(reply, 400, 'INVALID_CLOCK', 'Send JSON {"offsetSeconds": n} to set the offset or {"advanceSeconds": n} to move the clock.');
    }
    if (typeof offsetSeconds === 'number') s.clock.setOffsetSeconds(offsetSeconds);
    if (typeof advanceSeconds === 'number') s.clock.advanceSeconds(advanceSeconds);
    return json(reply, 200, { offsetSeconds: s.clock.offsetSeconds, now: new Date(s.clock.now()).toISOString() });
  });

  app.get<{ Params: { accountId: string } }>(`${ADMIN_PREFIX}/bundles/:accountId`, async (request, reply) => {
    if (!s.directory.account(request.params.accountId)) return adminError(reply, 404, 'UNKNOWN_ACCOUNT', `No emulated account ${request.params.accountId}.`);
    return json(reply, 200, s.restlets.installer.installed(request.params.accountId));
  });

  app.post(`${ADMIN_PREFIX}/bundles`, async (request, reply) => {
    const body = jsonBody(request) as { accountId?: unknown; bundleId?: unknown } | undefined;
    const accountId = body?.accountId;
    const bundleId = body?.bundleId ?? s.config.bundleId;
    if (typeof accountId !== 'string' || typeof bundleId !== 'string') {
      return adminError(reply, 400, 'INVALID_REQUEST', 'Send JSON {"accountId": "1234567", "bundleId": "512345"}.');
    }
    if (!s.directory.account(accountId)) return adminError(reply, 404, 'UNKNOWN_ACCOUNT', `No emulated account ${accountId}.`);
    try {
      return json(reply, 200, (await s.restlets.installer.install(accountId, bundleId)) ?? { installed: true });
    } catch (err) {
      if (isBundleInstallError(err)) return adminError(reply, 400, 'BUNDLE_INSTALL_FAILED', err.message);
      throw err;
    }
  });

  app.delete<{ Params: { accountId: string; bundleId: string } }>(`${ADMIN_PREFIX}/bundles/:accountId/:bundleId`, async (request, reply) => {
    const { accountId, bundleId } = request.params;
    if (!s.directory.account(accountId)) return adminError(reply, 404, 'UNKNOWN_ACCOUNT', `No emulated account ${accountId}.`);
    try {
      await s.restlets.installer.uninstall(accountId, bundleId);
      return json(reply, 200, { uninstalled: true, accountId, bundleId });
    } catch (err) {
      if (isBundleInstallError(err)) return adminError(reply, 400, 'BUNDLE_UNINSTALL_FAILED', err.message);
      throw err;
    }
  });
}
