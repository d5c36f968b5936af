import type { ResolvedIntegration } from '../config/types';

/** A validated authorize.nl request, kept server-side while the user logs in and consents. */
export interface AuthorizeRequest {
  integration: ResolvedIntegration;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string | null;
  nonce: string | null;
  prompt: Set<'none' | 'login' | 'consent'>;
}

/** Outcome of the §10 checks: an on-page error (never a redirect), an error redirect, or a valid request. */
export type AuthorizeCheck =
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; redirectUri: string; error: string; state: string | undefined }
  | { kind: 'ok'; request: AuthorizeRequest };

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const PROMPTS = ['none', 'login', 'consent'] as const;

class RedirectError {
  constructor(readonly error: string) {}
}

function clientKnownAndRedirectExact(q: Record<string, string>, find: (id: string) => ResolvedIntegration | undefined): ResolvedIntegration | string {
  const clientId = q.client_id;
  if (!clientId) return 'The request is missing client_id. Check the integration record\'s client ID.';
  const integration = find(clientId);
  if (!integration) return 'Invalid client ID (unauthorized_client). The integration record was not found or is disabled.';
  if (!q.redirect_uri || !integration.redirectUris.includes(q.redirect_uri)) {
    return 'Invalid redirect_uri. The redirect URI must match one of the integration record\'s redirect URIs exactly.';
  }
  return integration;
}

function responseTypeIsCode(q: Record<string, string>): void {
  if (q.response_type === undefined) throw new RedirectError('invalid_request');
  if (q.response_type !== 'code') throw new RedirectError('unsupported_response_type');
}

export function stateIsValid(state: string | undefined): state is string {
  return state !== undefined && state.length >= 22 && state.length <= 1024 && PRINTABLE_ASCII.test(state);
}

function scopesWithinRecord(q: Record<string, string>, integration: ResolvedIntegration): string[] {
  // A missing required parameter is invalid_request (Oracle's step-one table); a present but unusable scope is invalid_scope.
  if (q.scope === undefined) throw new RedirectError('invalid_request');
  const scopes = q.scope.split(' ').filter(Boolean);
  if (scopes.length === 0 || !scopes.every((s) => integration.scopes.includes(s))) throw new RedirectError('invalid_scope');
  if (scopes.includes('mcp') && scopes.length > 1) throw new RedirectError('invalid_scope');
  return [...new Set(scopes)];
}

/** S256 only (plain unsupported since 2020.2); public clients must use PKCE. */
function pkceIsS256(q: Record<string, string>, integration: ResolvedIntegration): string | null {
  const challenge = q.code_challenge;
  const method = q.code_challenge_method;
  if (challenge === undefined) {
    if (method !== undefined || integration.publicClient) throw new RedirectError('invalid_request');
    return null;
  }
  if (method !== 'S256' || !CODE_CHALLENGE.test(challenge)) throw new RedirectError('invalid_request');
  return challenge;
}

function promptValues(q: Record<string, string>): Set<'none' | 'login' | 'consent'> {
  const values = (q.prompt ?? '').split(' ').filter(Boolean);
  if (!values.every((v) => (PROMPTS as readonly string[]).includes(v))) throw new RedirectError('invalid_request');
  const set = new Set(values as Array<'none' | 'login' | 'consent'>);
  if (set.has('none') && set.size > 1) throw new RedirectError('invalid_request');
  return set;
}

/** The authorize checks in §10 order. */
export function checkAuthorizeRequest(q: Record<string, string>, find: (id: string) => ResolvedIntegration | undefined): AuthorizeCheck {
  const integration = clientKnownAndRedirectExact(q, find);
  if (typeof integration === 'string') return { kind: 'page', message: integration };
  const redirectUri = q.redirect_uri as string;
  const echoState = stateIsValid(q.state) ? q.state : undefined;
  try {
    if (!integration.grants.includes('authorization_code')) throw new RedirectError('unauthorized_client');
    responseTypeIsCode(q);
    if (!stateIsValid(q.state)) throw new RedirectError('invalid_request');
    const scopes = scopesWithinRecord(q, integration);
    const codeChallenge = pkceIsS256(q, integration);
    const prompt = promptValues(q);
    return { kind: 'ok', request: { integration, redirectUri, state: q.state, scopes, codeChallenge, nonce: q.nonce ?? null, prompt } };
  } catch (err) {
    if (err instanceof RedirectError) return { kind: 'redirect', redirectUri, error: err.error, state: echoState };
    throw err;
  }
}
