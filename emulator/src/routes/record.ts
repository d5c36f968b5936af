import type { FastifyInstance } from 'fastify';
import { sendProblem } from '../resource/problem';
import { withRestCaller } from '../resource/restGuard';
import type { EmulatorServices } from '../services';

/** Record types the emulator serves over REST, with the columns it exposes. */
const RECORDS = new Map<string, { table: string; fields: string[] }>([
  ['employee', { table: 'employee', fields: ['entityid', 'firstname', 'lastname', 'email', 'isinactive', 'giveaccess'] }],
  ['customer', { table: 'customer', fields: ['entityid', 'companyname', 'email', 'datecreated', 'isinactive'] }],
]);

const BOOLEAN_FIELDS = new Set(['isinactive', 'giveaccess']);
const CAMEL: Record<string, string> = {
  entityid: 'entityId', firstname: 'firstName', lastname: 'lastName', isinactive: 'isInactive', giveaccess: 'giveAccess',
  companyname: 'companyName', datecreated: 'dateCreated',
};

export function registerRecordRoute(app: FastifyInstance, s: EmulatorServices): void {
  app.get<{ Params: { type: string; id: string } }>('/services/rest/record/v1/:type/:id', async (request, reply) =>
    withRestCaller(s, request, reply, 'record', (caller) => {
      // A Map: a plain-object lookup would find `__proto__` or `constructor` on the prototype.
      const spec = RECORDS.get(request.params.type.toLowerCase());
      if (!spec) return sendProblem(reply, 400, 'INVALID_RCRD_TYPE', `Record type '${request.params.type}' is not available in the emulator (employee, customer).`);
      const id = Number(request.params.id);
      const row = Number.isInteger(id)
        ? (s.directory.db(caller.accountId).prepare(`SELECT id, ${spec.fields.join(', ')} FROM ${spec.table} WHERE id = ?`).get(id) as Record<string, unknown> | undefined)
        : undefined;
      if (!row) return sendProblem(reply, 404, 'NONEXISTENT_ID', `The record instance does not exist. Provide a valid record instance ID.`);
      const base = `${request.protocol}://${request.headers.host ?? ''}`;
      const body: Record<string, unknown> = {
        links: [{ rel: 'self', href: `${base}/services/rest/record/v1/${request.params.type}/${id}` }],
        id: String(row.id),
      };
      for (const f of spec.fields) {
        if (row[f] === null || row[f] === undefined) continue;
        body[Object.hasOwn(CAMEL, f) ? CAMEL[f]! : f] = BOOLEAN_FIELDS.has(f) ? row[f] === 'T' : row[f];
      }
      return reply.type('application/vnd.oracle.resource+json; type=singular-resource; charset=utf-8').send(JSON.stringify(body));
    }, { restWebServicesPermissions: true }));
}
