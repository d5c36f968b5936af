import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CertificateApiError, createCertificate, integrationOf, listCertificates, revokeCertificate, viewOf } from '../certificates/certificateService';
import { mediaType, rawBody } from '../http';
import { sendProblem } from '../resource/problem';
import { withRestCaller } from '../resource/restGuard';
import type { EmulatorServices } from '../services';

export const CERTIFICATES_PATH = '/services/rest/auth/oauth2/v1/clients/:clientId/certificates';

function jsonBody(request: FastifyRequest): unknown {
  const text = rawBody(request);
  if (mediaType(request) !== 'application/json') throw new CertificateApiError(400, 'INVALID_CONTENT', 'Send the certificate as JSON with Content-Type: application/json.');
  try {
    return JSON.parse(text);
  } catch {
    throw new CertificateApiError(400, 'INVALID_CONTENT', 'The request body is not valid JSON.');
  }
}

function guarded(reply: FastifyReply, run: () => FastifyReply): FastifyReply {
  try {
    return run();
  } catch (err) {
    if (err instanceof CertificateApiError) return sendProblem(reply, err.status, err.code, err.message, err.path);
    throw err;
  }
}

const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));

/** The certificate rotation endpoint (§5): list, create, revoke. Shapes UNCERTAIN, see README.md, "Local NetSuite emulator". */
export function registerCertificateRoutes(app: FastifyInstance, s: EmulatorServices): void {
  app.get<{ Params: { clientId: string } }>(CERTIFICATES_PATH, async (request, reply) =>
    withRestCaller(s, request, reply, 'certificates:list', (caller) => guarded(reply, () => {
      const integration = integrationOf(s, caller, request.params.clientId);
      return json(reply, 200, listCertificates(s, caller, integration).map(viewOf));
    })));

  app.post<{ Params: { clientId: string } }>(CERTIFICATES_PATH, async (request, reply) =>
    withRestCaller(s, request, reply, 'certificates:create', (caller) => guarded(reply, () => {
      const integration = integrationOf(s, caller, request.params.clientId);
      const row = createCertificate(s, caller, integration, jsonBody(request));
      return json(reply, 200, { ...viewOf(row), invalidated: false });
    })));

  app.post<{ Params: { clientId: string; certificateId: string } }>(`${CERTIFICATES_PATH}/:certificateId/revoke`, async (request, reply) =>
    withRestCaller(s, request, reply, 'certificates:revoke', (caller) => guarded(reply, () => {
      const integration = integrationOf(s, caller, request.params.clientId);
      revokeCertificate(s, caller, integration, request.params.certificateId);
      return reply.code(200).type('text/plain; charset=utf-8').send('Successfully revoked');
    })));
}
