import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { CertificateApiError, createCertificate, integrationOf, listCertificates, revokeCertificate } from '../certificates/certificateService';
import { flatCreated, flatListItem, nestedView, type MappingParties } from '../certificates/certificateViews';
import type { ResolvedIntegration } from '../config/types';
import type { CertificateRow } from '../data/systemStore';
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

/** Errors in the configured shape: plain text with the status (`nested`, default) or REST problem JSON (`flat`). */
function guarded(s: EmulatorServices, reply: FastifyReply, run: () => FastifyReply): FastifyReply {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof CertificateApiError)) throw err;
    if (s.config.shapes.certificateApi === 'flat') return sendProblem(reply, err.status, err.code, err.message, err.path);
    return reply.code(err.status).type('text/plain; charset=utf-8').send(err.message);
  }
}

const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));

/** A stable internal ID for an integration record (the emulator keeps no numeric IDs for them). */
function integrationInternalId(clientId: string): number {
  return 100 + (parseInt(createHash('sha256').update(clientId).digest('hex').slice(0, 6), 16) % 9000);
}

function partiesOf(s: EmulatorServices, request: FastifyRequest, integration: ResolvedIntegration, row: CertificateRow): MappingParties {
  const host = String(request.headers.host ?? '').replace('.restlets.', '.app.');
  return {
    integration, integrationInternalId: integrationInternalId(integration.clientId),
    entityName: s.directory.getEmployee(row.account_id, row.entity)?.name ?? '',
    roleName: s.directory.getRole(row.account_id, row.role)?.name ?? '',
    uiOrigin: `${request.protocol}://${host}`,
  };
}

/** The certificate rotation endpoint (§5): list, create, revoke. Shapes UNCERTAIN, see docs/emulator.md. */
export function registerCertificateRoutes(app: FastifyInstance, s: EmulatorServices): void {
  app.get<{ Params: { clientId: string } }>(CERTIFICATES_PATH, async (request, reply) =>
    withRestCaller(s, request, reply, 'certificates:list', (caller) => guarded(s, reply, () => {
      const integration = integrationOf(s, caller, request.params.clientId);
      const rows = listCertificates(s, caller, integration);
      const nested = s.config.shapes.certificateApi === 'nested';
      return json(reply, 200, rows.map((row) => (nested ? nestedView(row, partiesOf(s, request, integration, row)) : flatListItem(row))));
    })));

  app.post<{ Params: { clientId: string } }>(CERTIFICATES_PATH, async (request, reply) =>
    withRestCaller(s, request, reply, 'certificates:create', (caller) => guarded(s, reply, () => {
      const integration = integrationOf(s, caller, request.params.clientId);
      const row = createCertificate(s, caller, integration, jsonBody(request));
      const nested = s.config.shapes.certificateApi === 'nested';
      return json(reply, 200, nested ? nestedView(row, partiesOf(s, request, integration, row)) : flatCreated(row));
    })));

  app.post<{ Params: { clientId: string; certificateId: string } }>(`${CERTIFICATES_PATH}/:certificateId/revoke`, async (request, reply) =>
    withRestCaller(s, request, reply, 'certificates:revoke', (caller) => guarded(s, reply, () => {
      const integration = integrationOf(s, caller, request.params.clientId);
      revokeCertificate(s, caller, integration, request.params.certificateId);
      return reply.code(200).type('text/plain; charset=utf-8').send('Successfully revoked');
    })));
}
