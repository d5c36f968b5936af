import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { holdSlot } from '../faults/latency';
import { queryOf, rawBody } from '../http';
import { auditResourceFailure, authenticateBearer } from '../resource/bearer';
import { sendRestletError } from '../resource/problem';
import { BundleRegistry } from '../restlet/bundleRegistry';
import { isWebServicesOnlyRole } from '../restlet/permissions';
import type { RestletCall } from '../restletSeam';
import type { EmulatorServices } from '../services';

export const RESTLET_PATH = '/app/site/hosting/restlet.nl';

/** `restlet.nl?script=&deploy=`: token → user, account concurrency, then RestletHost.handle(). */
export function registerRestletRoute(app: FastifyInstance, s: EmulatorServices): void {
  const bundles = new BundleRegistry((accountId) => s.directory.db(accountId));
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const auth = await authenticateBearer(s, request, 'restlets');
    if (!auth.ok) {
      auditResourceFailure(s, 'restlet', auth.reason);
      // UNCERTAIN code (reference §7, one blog; setting shapes.restletAuthFailureCode); NetSuite's RESTlet error shape.
      return sendRestletError(reply, 401, s.config.shapes.restletAuthFailureCode, 'Invalid login attempt.');
    }
    const { caller } = auth;
    const role = s.directory.getRole(caller.accountId, caller.role);
    if (role && isWebServicesOnlyRole(bundles.installedRoles(caller.accountId), role)) {
      // CONFIRMED (Oracle): a Web Services Only role cannot call RESTlets; the call gets INVALID_LOGIN_CREDENTIALS.
      auditResourceFailure(s, 'restlet', 'WebServicesOnlyRole');
      return sendRestletError(reply, 401, 'INVALID_LOGIN_CREDENTIALS', 'Invalid login attempt. The role is a Web Services Only role, which cannot call RESTlets; sign in with a role that is not Web Services Only.');
    }
    const query = queryOf(request);
    if (!query.script || !query.deploy) {
      return sendRestletError(reply, 400, 'SSS_MISSING_REQD_ARGUMENT', 'The script and deploy query parameters are required: restlet.nl?script=<id>&deploy=<id>.');
    }
    if (!s.concurrency.tryEnter(caller.accountId)) {
      return sendRestletError(reply, 400, 'SSS_REQUEST_LIMIT_EXCEEDED', 'The request could not be processed because the account concurrency limit was exceeded. Retry later.');
    }
    try {
      const body = rawBody(request);
      const call: RestletCall = {
        accountId: caller.accountId, scriptId: query.script, deployId: query.deploy,
        method: request.method as RestletCall['method'], query, body: body === '' ? undefined : body,
        contentType: request.headers['content-type'], user: { entityId: caller.entity, roleId: caller.role },
      };
      const result = await holdSlot(s.faults, () => s.restlets.host.handle(call));
      return reply.code(result.status).header('X-Emulator-Governance-Units', String(result.unitsUsed))
        .type(result.contentType).send(result.body);
    } finally {
      s.concurrency.leave(caller.accountId);
    }
  };
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) app.route({ method, url: RESTLET_PATH, handler });
}
