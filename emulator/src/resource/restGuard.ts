import type { FastifyReply, FastifyRequest } from 'fastify';
import { applyLatency } from '../faults/latency';
import type { EmulatorServices } from '../services';
import { auditResourceFailure, authenticateBearer, type Caller } from './bearer';
import { INVALID_LOGIN_DETAIL, sendProblem } from './problem';

/**
 * Runs a REST web services handler: bearer token with `rest_webservices`, then a concurrency slot
 * (429 problem JSON when the account is at its limit; UNCERTAIN body), released when the handler ends.
 */
export async function withRestCaller(
  s: EmulatorServices, request: FastifyRequest, reply: FastifyReply, action: string,
  handler: (caller: Caller) => Promise<FastifyReply> | FastifyReply,
): Promise<FastifyReply> {
  const auth = await authenticateBearer(s, request, 'rest_webservices');
  if (!auth.ok) {
    auditResourceFailure(s, action, auth.reason);
    return sendProblem(reply, 401, 'INVALID_LOGIN', INVALID_LOGIN_DETAIL);
  }
  const { caller } = auth;
  if (!s.concurrency.tryEnter(caller.accountId)) {
    return sendProblem(reply, 429, 'CONCURRENCY_LIMIT_EXCEEDED',
      'Concurrent request limit exceeded. Request blocked.');
  }
  try {
    await applyLatency(s.faults);
    return await handler(caller);
  } finally {
    s.concurrency.leave(caller.accountId);
  }
}
