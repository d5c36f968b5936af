import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../resource/problem';
import { withRestCaller } from '../resource/restGuard';
import type { EmulatorServices } from '../services';

/** `GET /services/rest/system/v1/governanceLimits` — administrators only (§1.2). */
export function registerGovernanceRoute(app: FastifyInstance, s: EmulatorServices): void {
  app.get('/services/rest/system/v1/governanceLimits', async (request, reply) =>
    withRestCaller(s, request, reply, 'governanceLimits', (caller) => {
      const role = s.directory.getRole(caller.accountId, caller.role);
      if (!role?.isAdministrator) return sendProblem(reply, 403, 'INSUFFICIENT_PERMISSION', 'Only administrators can read the account governance limits.');
      const limit = s.directory.account(caller.accountId)?.concurrencyLimit ?? 0;
      // Field names and the limitType value are UNCERTAIN (setting shapes.governanceLimitsFields). The emulator
      // allocates no integration-specific limits, so the whole account limit is unallocated.
      const unallocatedKey = s.config.shapes.governanceLimitsFields === 'soap' ? 'unallocatedConcurrencyLimit' : 'accountUnallocatedConcurrencyLimit';
      return reply.type('application/json; charset=utf-8').send(JSON.stringify({
        accountConcurrencyLimit: limit,
        [unallocatedKey]: limit,
        limitType: 'accountLimit',
      }));
    }));
}
