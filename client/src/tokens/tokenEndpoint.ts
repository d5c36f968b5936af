import type { Clock } from '../clock';
import { ErrorCode, SuiteBridgeError, TokenEndpointError, TransportError } from '../errors';
import { redact } from '../redact';
import { fetchWithTimeout } from './fetchWithTimeout';
import { diagnose, type TokenRequestGrant } from './likelyCauses';
import { resolveTokenRetry, tokenRetryDelay, type ResolvedTokenRetry } from './tokenRetry';
import type { TokenSet } from './types';

export interface TokenEndpointCall {
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs?: number;
  url: string;
  grant: TokenRequestGrant;
  /** The form, or a function building it per attempt (client credentials: a fresh assertion each time). */
  form: Record<string, string> | (() => Promise<Record<string, string>>);
  /** Confidential clients: HTTP Basic. Public clients put client_id in `form` instead. */
  basicAuth?: { clientId: string; clientSecret: string };
  /** Default: resolveTokenRetry({}). */
  retry?: ResolvedTokenRetry;
  /**
   * Whether a failure after which NetSuite may have processed the request (502, 504, reset after sending, timeout,
   * cut body) is retried here. Default true; refreshes pass false because a processed refresh rotated the token
   * (TokenManager re-reads the store before it tries again).
   */
  retryWhenOutcomeUnknown?: boolean;
  /** Sees the Date header of every answer (clock offset measurement). */
  onResponse?: (observation: DateObservation) => void;
}

export interface DateObservation {
  /** The Date header, or null. */
  date: string | null;
  /** Local clock when the request was sent and when the headers arrived. */
  sentAt: number;
  receivedAt: number;
}

/** NetSuite documents 3600 s and sends it as a string; a missing value falls back to the documented lifetime. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;
const MAX_ERROR_DESCRIPTION = 300;
/** Failures where the request cannot have reached NetSuite's OAuth service. */
const NOT_DELIVERED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const DEFAULT_RETRY = resolveTokenRetry();

/** Errors after which NetSuite may or may not have processed the request (a refresh may have rotated). */
const outcomeUnknown = new WeakSet<object>();

/** True when a token request failed in a way that leaves open whether NetSuite processed it. */
export function isOutcomeUnknown(err: unknown): boolean {
  return typeof err === 'object' && err !== null && outcomeUnknown.has(err);
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

interface Exchange {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * POSTs a form to the token or revoke endpoint, retrying 429/502/503/504, connection failures and cut bodies per
 * the retry policy, and returns the successful answer with its body read. Refusals become TokenEndpointError.
 */
export async function postTokenForm(call: TokenEndpointCall): Promise<Exchange> {
  const retry = call.retry ?? DEFAULT_RETRY;
  for (let attempt = 0; ; attempt++) {
    const outcome = await sendOnce(call);
    if (outcome.kind === 'answer' && outcome.exchange.status >= 200 && outcome.exchange.status < 300) return outcome.exchange;
    const failure = outcome.kind === 'answer' ? errorFromExchange(outcome.exchange, call.grant) : outcome.error;
    const fault = classify(outcome);
    if (fault === undefined) throw failure;
    if (!fault.delivered || fault.unknown) outcomeUnknown.add(failure);
    if (fault.unknown && call.retryWhenOutcomeUnknown === false) throw failure;
    const retryAfter = outcome.kind === 'answer' ? outcome.exchange.headers.get('retry-after') : null;
    const delayMs = attempt < retry.maxRetries ? tokenRetryDelay(retry, attempt, retryAfter, call.clock.now()) : undefined;
    if (delayMs === undefined) throw failure;
    retry.onRetry?.({ grant: call.grant, attempt: attempt + 1, reason: fault.reason, delayMs });
    await retry.sleep(delayMs);
  }
}

type Outcome = { kind: 'answer'; exchange: Exchange } | { kind: 'failed'; error: TransportError; reason: string; delivered: boolean };

async function sendOnce(call: TokenEndpointCall): Promise<Outcome> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (call.basicAuth) headers['authorization'] = basicAuthorization(call.basicAuth.clientId, call.basicAuth.clientSecret);
  const form = typeof call.form === 'function' ? await call.form() : call.form;
  const sentAt = call.clock.now();
  let response: Response;
  try {
    response = await fetchWithTimeout(call.fetch, call.url, { method: 'POST', headers, body: new URLSearchParams(form).toString() }, call.timeoutMs);
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    const code = socketCode(err);
    return { kind: 'failed', error: err, reason: err.code === 'TIMEOUT' ? 'timeout' : code ?? 'network', delivered: code === undefined || !NOT_DELIVERED_CODES.has(code) };
  }
  call.onResponse?.({ date: response.headers.get('date'), sentAt, receivedAt: call.clock.now() });
  try {
    return { kind: 'answer', exchange: { status: response.status, headers: response.headers, text: await response.text() } };
  } catch (err) {
    return { kind: 'failed', error: cutBody(call, response.status, err), reason: 'cut_body', delivered: true };
  }
}

interface Fault {
  reason: string;
  delivered: boolean;
  /** NetSuite may have processed the request. */
  unknown: boolean;
}

/** 429 and 503 are refusals (nothing was done); 502/504 and failures after sending leave the outcome open. */
function classify(outcome: Outcome): Fault | undefined {
  if (outcome.kind === 'failed') return { reason: outcome.reason, delivered: outcome.delivered, unknown: outcome.delivered };
  const status = outcome.exchange.status;
  if (status === 429 || status === 503) return { reason: `http_${status}`, delivered: true, unknown: false };
  if (status === 502 || status === 504) return { reason: `http_${status}`, delivered: true, unknown: true };
  return undefined;
}

function socketCode(err: TransportError): string | undefined {
  let current: unknown = err.cause;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function cutBody(call: TokenEndpointCall, status: number, cause: unknown): TransportError {
  return new TransportError(ErrorCode.NETWORK_ERROR, `The token endpoint's answer (HTTP ${status}) to the ${call.grant} request was cut off before its end.`, {
    cause,
    remedy: 'A proxy or the network dropped the connection mid-answer; try again. If it repeats, check proxies between you and NetSuite.',
  });
}

/** Requests tokens and normalises the answer into a TokenSet. */
export async function requestTokens(call: TokenEndpointCall, requestedScopes: readonly string[]): Promise<TokenSet> {
  let sentAt = call.clock.now();
  const observe = call.onResponse;
  const exchange = await postTokenForm({
    ...call,
    // expires_in counts from the attempt that succeeded, not from the first one.
    onResponse: (observation) => {
      sentAt = observation.sentAt;
      observe?.(observation);
    },
  });
  const body = readJsonObject(exchange, call.grant);
  return parseTokenResponse(body, sentAt, requestedScopes, call.grant);
}

function readJsonObject(response: Exchange, grant: TokenRequestGrant): Record<string, unknown> {
  const text = response.text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through: a 200 that is not JSON (HTML login page, proxy) is an invalid response
  }
  throw invalidResponse(`the ${grant} response (HTTP ${response.status}) is not a JSON object`);
}

function invalidResponse(detail: string): SuiteBridgeError {
  return new SuiteBridgeError(ErrorCode.INVALID_TOKEN_RESPONSE, `Token endpoint returned an unusable answer: ${detail}.`, {
    remedy: 'Check that the token URL points at NetSuite (or the emulator) and not at a proxy or login page.',
  });
}

function parseExpiresIn(value: unknown): number {
  if (value === undefined || value === null || value === '') return DEFAULT_EXPIRES_IN_SECONDS;
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) throw invalidResponse('expires_in is not a non-negative number');
  return seconds;
}

export function parseTokenResponse(
  body: Record<string, unknown>,
  sentAt: number,
  requestedScopes: readonly string[],
  grant: TokenRequestGrant = 'authorization_code',
): TokenSet {
  const accessToken = body['access_token'];
  if (typeof accessToken !== 'string' || accessToken.length === 0) throw invalidResponse(`no access_token in the ${grant} response`);
  const tokenType = body['token_type'];
  if (tokenType !== undefined && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw invalidResponse(`token_type ${JSON.stringify(String(tokenType).slice(0, 20))} is not bearer`);
  }
  const tokens: TokenSet = {
    accessToken,
    expiresAt: sentAt + parseExpiresIn(body['expires_in']) * 1000,
    scopes: typeof body['scope'] === 'string' && body['scope'].trim() !== '' ? body['scope'].trim().split(/[\s,]+/) : [...requestedScopes],
    tokenType: 'Bearer',
  };
  if (typeof body['refresh_token'] === 'string' && body['refresh_token'] !== '') tokens.refreshToken = body['refresh_token'];
  if (typeof body['id_token'] === 'string' && body['id_token'] !== '') tokens.idToken = body['id_token'];
  return tokens;
}

/** Maps a failed token/revoke response to a TokenEndpointError with the Login Audit Trail's likely causes. */
export async function tokenEndpointError(response: Response, grant: TokenRequestGrant): Promise<TokenEndpointError> {
  const text = await response.text().catch(() => '');
  return errorFromExchange({ status: response.status, headers: response.headers, text }, grant);
}

function errorFromExchange(response: Exchange, grant: TokenRequestGrant): TokenEndpointError {
  const text = response.text;
  let error = `http_${response.status}`;
  let description: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (parsed && typeof parsed.error === 'string' && /^[\x20-\x7e]{1,64}$/.test(parsed.error)) {
      error = parsed.error;
      if (typeof parsed.error_description === 'string') {
        description = redact(parsed.error_description).slice(0, MAX_ERROR_DESCRIPTION);
      }
    }
  } catch {
    // not JSON: keep http_<status>
  }
  const { likelyCauses, remedy } = diagnose(grant, error, response.status);
  const what = grant === 'revoke' ? 'Token revocation' : `Token request (${grant})`;
  const message =
    `${what} failed: HTTP ${response.status} ${error}${description ? ` (${description})` : ''}. ` +
    `Likely causes: ${likelyCauses.join('; ')}.`;
  return new TokenEndpointError(
    message,
    { status: response.status, error, grant, likelyCauses, ...(description !== undefined ? { errorDescription: description } : {}) },
    { remedy },
  );
}
