import type { Clock } from '../clock';
import { ErrorCode, SuiteBridgeError, TokenEndpointError } from '../errors';
import { redact } from '../redact';
import { fetchWithTimeout } from './fetchWithTimeout';
import { diagnose, type TokenRequestGrant } from './likelyCauses';
import type { TokenSet } from './types';

export interface TokenEndpointCall {
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs?: number;
  url: string;
  grant: TokenRequestGrant;
  form: Record<string, string>;
  /** Confidential clients: HTTP Basic. Public clients put client_id in `form` instead. */
  basicAuth?: { clientId: string; clientSecret: string };
}

/** NetSuite documents 3600 s and sends it as a string; a missing value falls back to the documented lifetime. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;
const MAX_ERROR_DESCRIPTION = 300;

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

/** POSTs a form to the token or revoke endpoint and returns the raw response after mapping failures to errors. */
export async function postTokenForm(call: TokenEndpointCall): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (call.basicAuth) headers['authorization'] = basicAuthorization(call.basicAuth.clientId, call.basicAuth.clientSecret);
  const response = await fetchWithTimeout(
    call.fetch,
    call.url,
    { method: 'POST', headers, body: new URLSearchParams(call.form).toString() },
    call.timeoutMs,
  );
  if (!response.ok) throw await tokenEndpointError(response, call.grant);
  return response;
}

/** Requests tokens and normalises the answer into a TokenSet. */
export async function requestTokens(call: TokenEndpointCall, requestedScopes: readonly string[]): Promise<TokenSet> {
  const sentAt = call.clock.now();
  const response = await postTokenForm(call);
  const body = await readJsonObject(response, call.grant);
  return parseTokenResponse(body, sentAt, requestedScopes, call.grant);
}

async function readJsonObject(response: Response, grant: TokenRequestGrant): Promise<Record<string, unknown>> {
  const text = await response.text();
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
