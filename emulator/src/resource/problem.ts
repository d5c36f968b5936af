import type { FastifyReply } from 'fastify';
import { restletErrorBody } from '../restlet/restletBody';

const TITLES: Record<number, { title: string; section: string }> = {
  400: { title: 'Bad Request', section: 'sec10.4.1' },
  401: { title: 'Unauthorized', section: 'sec10.4.2' },
  403: { title: 'Forbidden', section: 'sec10.4.4' },
  404: { title: 'Not Found', section: 'sec10.4.5' },
  405: { title: 'Method Not Allowed', section: 'sec10.4.6' },
  421: { title: 'Misdirected Request', section: 'sec10.4' },
  429: { title: 'Too Many Requests', section: 'sec10.4' },
  500: { title: 'Internal Server Error', section: 'sec10.5.1' },
};

export const INVALID_LOGIN_DETAIL =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

/** REST web services error body (§7): problem JSON with `o:errorDetails`. */
export function problemBody(status: number, errorCode: string, detail: string, errorPath?: string): Record<string, unknown> {
  const meta = TITLES[status] ?? { title: 'Error', section: 'sec10' };
  const entry: Record<string, unknown> = { detail, 'o:errorCode': errorCode };
  if (errorPath) entry['o:errorPath'] = errorPath;
  return {
    type: `https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#${meta.section}`,
    title: meta.title,
    status,
    'o:errorDetails': [entry],
  };
}

export function sendProblem(reply: FastifyReply, status: number, errorCode: string, detail: string, errorPath?: string): FastifyReply {
  return reply.code(status).type('application/vnd.oracle.resource+json; type=error; charset=utf-8')
    .send(JSON.stringify(problemBody(status, errorCode, detail, errorPath)));
}

/** RESTlet error body (§7): `{"error" : {"code" : …, "message" : …}}`, spaced like NetSuite's and the RESTlet host's. */
export function sendRestletError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(restletErrorBody(code, message));
}
