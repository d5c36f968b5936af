import { NetSuiteApiError } from '../errors';
import type { HttpResult } from '../http/types';
import { redact } from '../redact';

type ErrorKind = 'restlet' | 'rest';

interface ParsedError {
  netsuiteCode: string;
  message: string;
  errorPath?: string;
}

const MAX_ECHOED_BODY = 300;

/** Turns a non-2xx NetSuite response into a NetSuiteApiError; the message is redacted. */
export function toNetSuiteApiError(result: HttpResult, kind: ErrorKind, what: string): NetSuiteApiError {
  const parsed = parseRestletError(result.body) ?? parseProblemJson(result.body) ?? fallbackError(result);
  const path = parsed.errorPath ? ` at ${parsed.errorPath}` : '';
  const message = redact(`${what} failed with HTTP ${result.status} ${parsed.netsuiteCode}${path}: ${parsed.message}`);
  const details: ConstructorParameters<typeof NetSuiteApiError>[1] = { status: result.status, netsuiteCode: parsed.netsuiteCode, kind };
  if (parsed.errorPath !== undefined) details.errorPath = parsed.errorPath;
  const retryAfter = result.headers.get('retry-after');
  const wait = retryAfter ? ` NetSuite asked to retry after ${retryAfter.slice(0, 40)}${/^\d+$/.test(retryAfter.trim()) ? ' s' : ''}.` : '';
  const remedy = remedyFor(result.status, parsed.netsuiteCode, kind);
  return new NetSuiteApiError(message + wait, details, remedy === undefined ? {} : { remedy });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RESTlet errors: {"error" : {"code" : "SSS_…", "message" : "…"}}. */
function parseRestletError(body: string): ParsedError | undefined {
  const json = parseJson(body);
  if (!isRecord(json) || !isRecord(json.error)) return undefined;
  const { code, message } = json.error;
  if (typeof code !== 'string') return undefined;
  return { netsuiteCode: code, message: typeof message === 'string' ? message : '(no message)' };
}

/** REST web services problem JSON: {title, status, "o:errorDetails": [{detail, "o:errorCode", "o:errorPath"}]}. */
function parseProblemJson(body: string): ParsedError | undefined {
  const json = parseJson(body);
  if (!isRecord(json)) return undefined;
  const details = json['o:errorDetails'];
  const first = Array.isArray(details) && isRecord(details[0]) ? details[0] : undefined;
  const code = first?.['o:errorCode'];
  const title = typeof json.title === 'string' ? json.title : undefined;
  if (typeof code !== 'string' && title === undefined) return undefined;
  const detail = first?.detail;
  const parsed: ParsedError = {
    netsuiteCode: typeof code === 'string' ? code : 'UNKNOWN',
    message: typeof detail === 'string' ? detail : (title ?? '(no detail)'),
  };
  const errorPath = first?.['o:errorPath'];
  if (typeof errorPath === 'string') parsed.errorPath = errorPath;
  return parsed;
}

function fallbackError(result: HttpResult): ParsedError {
  const text = result.body.trim();
  const snippet = text.length > MAX_ECHOED_BODY ? `${text.slice(0, MAX_ECHOED_BODY)}…` : text;
  const location = result.headers.get('location');
  const message = location ? `redirected to ${hostOf(location)}` : snippet || '(empty body)';
  return { netsuiteCode: `HTTP_${result.status}`, message };
}

function hostOf(location: string): string {
  try {
    return new URL(location).host || 'another location';
  } catch {
    return 'another location';
  }
}

function remedyFor(status: number, code: string, kind: ErrorKind): string | undefined {
  if (code === 'SSS_REQUEST_LIMIT_EXCEEDED' || status === 429) {
    return 'The account concurrency limit was exceeded even after retries: lower `concurrency` or share one limiter per account across workers.';
  }
  if (kind === 'restlet' && code === 'INVALID_LOGIN_CREDENTIALS') {
    return 'NetSuite refused the login for this RESTlet. With a valid OAuth 2.0 token this means the role is Web Services Only, and such roles cannot call RESTlets: clear "Web Services Only" on the role (iswebserviceonlyrole F) or use another role. Otherwise check the Login Audit Trail.';
  }
  if (status === 401 || code === 'INVALID_LOGIN' || code === 'INVALID_LOGIN_ATTEMPT') {
    return kind === 'rest'
      ? 'NetSuite rejected the access token even after a fresh one: check the Login Audit Trail, that the role has "Log in using OAuth 2.0 Access Tokens" and "REST Web Services", and that the token has the rest_webservices scope.'
      : 'NetSuite rejected the access token even after a fresh one: check the Login Audit Trail, that the role has "Log in using OAuth 2.0 Access Tokens", and that the token has the restlets scope.';
  }
  if (status >= 300 && status < 400) {
    return 'NetSuite redirected: the host is for another data center or domain. Use the account-specific host from resolveEndpoints (restlets.api for RESTlets).';
  }
  if (status === 403) {
    return kind === 'restlet'
      ? 'The role may not run this RESTlet (deployment audience) or the host is wrong: check the deployment and the restlets.api host.'
      : 'The role lacks a permission for this record or operation: REST web services need "REST Web Services" and "SuiteAnalytics Workbook" (Edit) besides the record permissions; check the role in NetSuite.';
  }
  if (status === 404) return 'Check the script and deployment IDs (or record type and ID) and that the deployment is released.';
  return undefined;
}
