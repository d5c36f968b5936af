import type { FastifyReply, FastifyRequest } from 'fastify';
import { applyLatency } from '../faults/latency';
import type { EmulatorServices } from '../services';
import { auditResourceFailure, authenticateBearer, type Caller } from './bearer';
import { INVALID_LOGIN_DETAIL, sendProblem } from './problem';
import { restWebServicesRefusal } from './restPermissions';

/**
 * Runs a REST web services handler: bearer token with `rest_webservices`, the role's REST web services permissions
 * when asked (records, SuiteQL), then a concurrency slot
 * (429 problem JSON when the account is at its limit; UNCERTAIN body), released when the handler ends.
 */
export async function withRestCaller(
  s: EmulatorServices, request: FastifyRequest, reply: FastifyReply, action: string,
  handler: (caller: Caller) => Promise<FastifyReply> | FastifyReply,
  o: { restWebServicesPermissions?: boolean } = {},
): Promise<FastifyReply> {
  const auth = await authenticateBearer(s, request, 'rest_webservices');
  if (!auth.ok) {
    auditResourceFailure(s, action, auth.reason);
    return sendProblem(reply, 401, 'INVALID_LOGIN', INVALID_LOGIN_DETAIL);
  }
  const { caller } = auth;
  const refusal = o.restWebServicesPermissions ? restWebServicesRefusal(s, caller) : undefined;
  if (refusal) {
    auditResourceFailure(s, action, refusal.auditReason);
    return sendProblem(reply, refusal.status, refusal.code, refusal.detail);
  }
  if (!s.concurrency.tryEnter(caller.accountId)) {
    // UNCERTAIN body: only the 429 status is reported; code and Retry-After are settings (`shapes`).
    const retryAfter = s.config.shapes.restConcurrencyRetryAfterSeconds;
    if (retryAfter > 0) reply.header('Retry-After', String(retryAfter));
    return sendProblem(reply, 429, s.config.shapes.restConcurrencyErrorCode, 'Concurrent request limit exceeded. Request blocked.');
  }
  try {
    await applyLatency(s.faults);
    return await handler(caller);
  } finally {
    s.concurrency.leave(caller.accountId);
  }
}
