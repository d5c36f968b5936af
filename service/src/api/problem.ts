import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SuiteBridgeError } from '../../../client/src/errors';
import { redact } from '../../../client/src/redact';

/** Codes the HTTP API adds to SuiteBridge's own (client/src/errors.ts ErrorCode). */
export const API_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'INVALID_PATH',
  'INVALID_HEADER',
  'TENANT_NOT_READY',
  'ALREADY_ONBOARDED',
  'NOT_REDELIVERABLE',
  'METHOD_NOT_ALLOWED',
  'INTERNAL_ERROR',
] as const;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** RFC 9457 problem details, with SuiteBridge's error code and what to do about it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  remedy?: string;
  instance?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** A refusal the API answers with problem details. */
export class ApiProblem extends Error {
  constructor(readonly status: number, readonly code: string, detail: string, readonly remedy?: string) {
    super(detail);
  }
}

export function problemType(code: string): string {
  return `urn:suitebridge:error:${code}`;
}

/** SuiteBridge errors carry a code; the HTTP status follows from who is at fault (caller, NetSuite, us). */
function statusOfCode(code: string): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
    case 'INVALID_ACCOUNT_ID':
    case 'INSECURE_URL':
    case 'SUITEQL_LIMIT_EXCEEDED':
    case 'STATE_MISMATCH':
      return 400;
    case 'AUTHORIZATION_DENIED':
      return 409;
    case 'ONBOARDING_FAILED':
    case 'AUTHORIZATION_REQUIRED':
    case 'STORE_CONFLICT':
      return 409;
    case 'NETSUITE_UNAVAILABLE':
      return 503;
    case 'TIMEOUT':
      return 504;
    case 'STORE_ERROR':
    case 'DECRYPTION_FAILED':
      return 500;
    default:
      // Token, certificate, rotation and network failures: NetSuite (upstream) refused or could not be reached.
      return 502;
  }
}

export function toProblem(err: unknown, instance?: string): Problem {
  let status: number;
  let code: string;
  let detail: string;
  let remedy: string | undefined;
  if (err instanceof ApiProblem) {
    ({ status, code, remedy } = err);
    detail = err.message;
  } else if (err instanceof SuiteBridgeError) {
    code = err.code;
    status = statusOfCode(code);
    detail = err.message;
    remedy = err.remedy;
  } else {
    const fastify = err as Partial<FastifyError>;
    const s = typeof fastify.statusCode === 'number' ? fastify.statusCode : 500;
    if (fastify.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || s === 413) {
      status = 413;
      code = 'PAYLOAD_TOO_LARGE';
      detail = 'The request body is larger than this service accepts.';
      remedy = 'Send a smaller body (the service accepts up to 10 MiB unless its operator set bodyLimitBytes), or split the work into several calls.';
    } else if (s === 429) {
      status = 429;
      code = 'RATE_LIMITED';
      detail = fastify.message ?? 'Too many requests for this API key.';
      remedy = 'Wait for the time in Retry-After, or ask the operator for a higher per-key limit.';
    } else if (s >= 400 && s < 500) {
      status = s;
      code = 'INVALID_ARGUMENT';
      detail = fastify.message ?? 'The request is not valid.';
    } else {
      status = 500;
      code = 'INTERNAL_ERROR';
      detail = 'The service failed while answering; the error is in its log.';
      remedy = 'Try again; if it persists, send the service log lines around this time to the operator.';
    }
  }
  const problem: Problem = { type: problemType(code), title: TITLES[status] ?? 'Error', status, detail: redact(detail), code };
  if (remedy) problem.remedy = redact(remedy);
  if (instance) problem.instance = instance;
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** The API's error handler: every refusal and failure becomes problem details; 5xx are logged (redacted). */
export function problemErrorHandler(onServerError: (request: FastifyRequest, err: unknown) => void) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const problem = toProblem(err, request.url.split('?')[0]);
    if (problem.status >= 500) onServerError(request, err);
    return sendProblem(reply, problem);
  };
}
