import type { FastifyRequest } from 'fastify';
import { accountFromHost } from '../http';
import { entityMayUseRole } from '../oauth/roleEligibility';
import type { EmulatorServices } from '../services';

export interface Caller {
  accountId: string;
  clientId: string;
  role: number;
  entity: number;
  scopes: string[];
  jti: string;
}

export type BearerResult = { ok: true; caller: Caller } | { ok: false; reason: string };

/** Verifies an access token for a resource: signature, known access token, not revoked, not expired, scope, account. */
export async function authenticateBearer(s: EmulatorServices, request: FastifyRequest, requiredScope: 'restlets' | 'rest_webservices'): Promise<BearerResult> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return { ok: false, reason: header ? 'UnsupportedAuthorizationScheme' : 'MissingAuthorizationHeader' };
  const payload = await s.issuer.verifySignature(match[1]);
  if (!payload || typeof payload.jti !== 'string') return { ok: false, reason: 'InvalidSignature' };
  const row = s.store.findAccessToken(payload.jti);
  if (!row) return { ok: false, reason: 'InvalidToken' };
  if (row.revoked_at !== null) return { ok: false, reason: 'TokenRevoked' };
  if (Math.floor(s.clock.now() / 1000) >= row.exp) return { ok: false, reason: 'TokenExpired' };
  const scopes = row.scopes.split(' ');
  if (!scopes.includes(requiredScope)) return { ok: false, reason: 'InvalidScope' };
  const hostAccount = accountFromHost(request, s.directory.accountIds());
  if (hostAccount !== undefined && hostAccount !== row.account_id) return { ok: false, reason: 'InvalidAccount' };
  if (!s.store.integration(row.client_id)) return { ok: false, reason: 'InvalidIntegration' };
  if (!entityMayUseRole(s.directory, row.account_id, row.entity, row.role)) return { ok: false, reason: 'EntityOrRoleDisabled' };
  return { ok: true, caller: { accountId: row.account_id, clientId: row.client_id, role: row.role, entity: row.entity, scopes, jti: row.jti } };
}

/** Records a failed resource login like NetSuite's Login Audit Trail. */
export function auditResourceFailure(s: EmulatorServices, action: string, reason: string): void {
  s.store.audit({ at: s.clock.now(), action, status: 'Failure', detail: reason });
}
