import { timingSafeEqual } from 'node:crypto';
import type { ResolvedIntegration } from '../config/types';
import type { TokenContext } from './context';
import { invalidClient, invalidRequest } from './errors';

interface BasicCredentials { clientId: string; secret: string }

function parseBasic(header: string | undefined): BasicCredentials | undefined {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? { clientId: decoded, secret: '' } : { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Counts the client-authentication methods present: Basic header, client_secret in the body, client assertion. */
export function rejectMultipleAuthMethods(ctx: TokenContext): void {
  const basic = ctx.authorization !== undefined && /^Basic\s/i.test(ctx.authorization);
  const methods = [basic, ctx.form.has('client_secret'), ctx.form.has('client_assertion')].filter(Boolean).length;
  if (methods > 1) throw invalidRequest('MultipleClientAuthenticationMethods');
  if (ctx.authorization !== undefined && !basic) throw invalidRequest('UnsupportedAuthorizationScheme');
}

/**
 * An integration record lives in one account: on another account's host its client ID is unknown, as in NetSuite.
 */
export function integrationOnHost(ctx: TokenContext, clientId: string): ResolvedIntegration {
  const integration = ctx.store.integration(clientId);
  if (!integration || (ctx.hostAccountId !== undefined && integration.accountId !== ctx.hostAccountId)) {
    throw invalidClient('InvalidIntegration', ctx.fallbackRealm);
  }
  return integration;
}

/**
 * Confidential clients: HTTP Basic with ID and secret. Public clients: `client_id` in the body, or a Basic header
 * carrying only the ID. Anything else is `invalid_client` (401, WWW-Authenticate).
 */
export function authenticateClient(ctx: TokenContext): ResolvedIntegration {
  rejectMultipleAuthMethods(ctx);
  if (ctx.form.has('client_assertion')) throw invalidRequest('ClientAssertionNotAllowedForThisGrant');
  const basic = parseBasic(ctx.authorization);
  const bodyId = ctx.form.get('client_id') ?? undefined;
  if (basic && bodyId !== undefined && bodyId !== basic.clientId) throw invalidRequest('ClientIdMismatch');
  const clientId = basic?.clientId ?? bodyId;
  if (!clientId) throw invalidClient('ClientAuthenticationFailed', ctx.fallbackRealm);
  const integration = integrationOnHost(ctx, clientId);
  ctx.audit.clientId = integration.clientId;
  ctx.audit.accountId = integration.accountId;
  const realm = integration.accountId;
  if (integration.publicClient) {
    if (ctx.form.has('client_secret') || (basic && basic.secret !== '')) throw invalidClient('ClientAuthenticationFailed', realm);
    return integration;
  }
  if (!basic || !integration.clientSecret || !sameSecret(basic.secret, integration.clientSecret)) {
    throw invalidClient('ClientAuthenticationFailed', realm);
  }
  return integration;
}
