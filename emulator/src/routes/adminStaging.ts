import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_PREFIX } from '../hosts';
import { mediaType, rawBody } from '../http';
import type { EmulatorServices } from '../services';

/**
 * Emulator-only admin routes that stage what goes wrong in a customer's account after onboarding, so the SuiteBridge
 * service can be tested end to end: a revoked certificate, a role taken from the integration user, a disabled entity,
 * a sandbox refresh, time moved on by days. (Uninstalling the bundle is `DELETE /__emulator/bundles/:account/:bundle`.)
 * Loopback-only like the rest of the admin API (admin.ts registers that guard for every admin path).
 */
export const STAGING_PREFIX = `${ADMIN_PREFIX}/staging`;
const DAY_SECONDS = 86_400;

const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
const stagingError = (reply: FastifyReply, status: number, code: string, message: string) => json(reply, status, { error: { code, message } });

function jsonBody(request: FastifyRequest): Record<string, unknown> {
  if (mediaType(request) !== 'application/json') return {};
  try {
    const parsed = JSON.parse(rawBody(request)) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function internalId(value: string): number | undefined {
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

export function registerAdminStagingRoutes(app: FastifyInstance, s: EmulatorServices): void {
  const unknownAccount = (reply: FastifyReply, accountId: string) =>
    stagingError(reply, 404, 'UNKNOWN_ACCOUNT', `No emulated account ${accountId}; accounts: ${s.directory.accountIds().join(', ')}.`);

  // A certificate revoked at NetSuite (by an administrator of the customer, or by another tool).
  app.post<{ Params: { certificateId: string } }>(`${STAGING_PREFIX}/certificates/:certificateId/revoke`, async (request, reply) => {
    const row = s.store.certificate(request.params.certificateId);
    if (!row) return stagingError(reply, 404, 'UNKNOWN_CERTIFICATE', `No certificate ${request.params.certificateId}.`);
    if (row.revoked_at !== null) return stagingError(reply, 400, 'ALREADY_REVOKED', `Certificate ${row.certificate_id} is already revoked.`);
    s.store.revokeCertificate(row.certificate_id, s.clock.now());
    return json(reply, 200, { revoked: true, certificateId: row.certificate_id, accountId: row.account_id });
  });

  // The role removed from (or given back to) the integration user.
  app.post<{ Params: { accountId: string; entity: string; role: string } }>(`${STAGING_PREFIX}/accounts/:accountId/employees/:entity/roles/:role`, async (request, reply) => {
    const { accountId } = request.params;
    const entity = internalId(request.params.entity);
    const role = internalId(request.params.role);
    if (!s.directory.account(accountId)) return unknownAccount(reply, accountId);
    if (entity === undefined || !s.directory.getEmployee(accountId, entity)) return stagingError(reply, 404, 'UNKNOWN_ENTITY', `No employee ${request.params.entity} in account ${accountId}.`);
    if (role === undefined || !s.directory.getRole(accountId, role)) return stagingError(reply, 404, 'UNKNOWN_ROLE', `No role ${request.params.role} in account ${accountId}.`);
    const assigned = jsonBody(request).assigned;
    if (typeof assigned !== 'boolean') return stagingError(reply, 400, 'INVALID_REQUEST', 'Send JSON {"assigned": false} to remove the role, {"assigned": true} to give it back.');
    if (assigned) s.directory.assignRole(accountId, entity, role);
    else s.directory.unassignRole(accountId, entity, role);
    return json(reply, 200, { accountId, entity, role, assigned });
  });

  // The integration user's employee record made inactive (or active again).
  app.post<{ Params: { accountId: string; entity: string } }>(`${STAGING_PREFIX}/accounts/:accountId/employees/:entity/inactive`, async (request, reply) => {
    const { accountId } = request.params;
    const entity = internalId(request.params.entity);
    if (!s.directory.account(accountId)) return unknownAccount(reply, accountId);
    if (entity === undefined || !s.directory.getEmployee(accountId, entity)) return stagingError(reply, 404, 'UNKNOWN_ENTITY', `No employee ${request.params.entity} in account ${accountId}.`);
    const inactive = jsonBody(request).inactive;
    if (typeof inactive !== 'boolean') return stagingError(reply, 400, 'INVALID_REQUEST', 'Send JSON {"inactive": true} to disable the entity, {"inactive": false} to enable it again.');
    s.directory.db(accountId).prepare('UPDATE employee SET isinactive = ? WHERE id = ?').run(inactive ? 'T' : 'F', entity);
    return json(reply, 200, { accountId, entity, inactive });
  });

  // CONFIRMED (Oracle): a sandbox refresh clears M2M certificate mappings and OAuth 2.0 authorized applications;
  // integration records are copied from production. Only sandbox accounts can be refreshed.
  app.post<{ Params: { accountId: string } }>(`${STAGING_PREFIX}/accounts/:accountId/sandbox-refresh`, async (request, reply) => {
    const { accountId } = request.params;
    const account = s.directory.account(accountId);
    if (!account) return unknownAccount(reply, accountId);
    if (account.environment !== 'SANDBOX') return stagingError(reply, 400, 'NOT_A_SANDBOX', `Account ${accountId} is ${account.environment}; only a sandbox can be refreshed.`);
    const db = s.store.db;
    const now = s.clock.now();
    const wiped = db.transaction(() => ({
      certificateMappings: db.prepare('DELETE FROM certificate WHERE account_id = ?').run(accountId).changes,
      authorizedApplications: db.prepare('DELETE FROM consent WHERE account_id = ?').run(accountId).changes,
      refreshTokens: db.prepare('UPDATE refresh_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL').run(now, accountId).changes,
      accessTokens: db.prepare('UPDATE access_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL').run(now, accountId).changes,
    }))();
    return json(reply, 200, { accountId, refreshedAt: new Date(now).toISOString(), wiped });
  });

  // Time moved on by whole days (certificate expiry, rotation windows); same clock as POST /__emulator/clock.
  app.post(`${STAGING_PREFIX}/clock/advance-days`, async (request, reply) => {
    const days = jsonBody(request).days;
    if (typeof days !== 'number' || !Number.isFinite(days)) return stagingError(reply, 400, 'INVALID_CLOCK', 'Send JSON {"days": n} (may be fractional or negative).');
    s.clock.advanceSeconds(days * DAY_SECONDS);
    return json(reply, 200, { offsetSeconds: s.clock.offsetSeconds, now: new Date(s.clock.now()).toISOString() });
  });
}
