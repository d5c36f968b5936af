import type { ResolvedIntegration } from '../../config/types';
import type { AuthCodeRow } from '../../data/systemStore';
import { authenticateClient } from '../clientAuth';
import { grantEnabled, nowSeconds, type GrantHandler, type TokenContext, type TokenResponse } from '../context';
import { invalidGrant, invalidRequest, unauthorizedClient } from '../errors';
import { CODE_VERIFIER, s256 } from '../pkce';
import { entityMayUseRole } from '../roleEligibility';
import { issueUserTokens } from './issueUserTokens';

function requireCodeParameters(ctx: TokenContext): { code: string; redirectUri: string } {
  const code = ctx.form.get('code');
  const redirectUri = ctx.form.get('redirect_uri');
  if (!code) throw invalidRequest('MissingParameter:code');
  if (!redirectUri) throw invalidRequest('MissingParameter:redirect_uri');
  return { code, redirectUri };
}

function authorizationCodeGrantEnabled(integration: ResolvedIntegration): void {
  if (!grantEnabled(integration, 'authorization_code')) throw unauthorizedClient('AuthorizationCodeGrantNotEnabled');
}

function findCode(ctx: TokenContext, code: string): AuthCodeRow {
  const row = ctx.store.findCode(code);
  if (!row) throw invalidGrant('InvalidAuthorizationCode');
  return row;
}

function codeBelongsToClient(row: AuthCodeRow, integration: ResolvedIntegration): void {
  if (row.client_id !== integration.clientId) throw invalidGrant('AuthorizationCodeIssuedToAnotherClient');
}

/** RFC 6749 §4.1.2: a replayed code is refused and the tokens it issued are revoked (the code may have leaked). */
function codeNotUsed(ctx: TokenContext, row: AuthCodeRow): void {
  if (row.used_at === null) return;
  ctx.store.revokeRefreshChain(row.code_hash, ctx.clock.now());
  throw invalidGrant('AuthorizationCodeAlreadyUsed');
}

function codeNotExpired(ctx: TokenContext, row: AuthCodeRow): void {
  if (ctx.clock.now() >= row.expires_at) throw invalidGrant('AuthorizationCodeExpired');
}

function redirectUriMatches(row: AuthCodeRow, redirectUri: string): void {
  if (row.redirect_uri !== redirectUri) throw invalidGrant('RedirectUriMismatch');
}

function codeVerifierMatches(ctx: TokenContext, row: AuthCodeRow): void {
  const verifier = ctx.form.get('code_verifier');
  if (row.code_challenge === null) {
    if (verifier !== null) throw invalidGrant('CodeVerifierWithoutChallenge');
    return;
  }
  if (!verifier || !CODE_VERIFIER.test(verifier) || s256(verifier) !== row.code_challenge) throw invalidGrant('CodeVerifierMismatch');
}

function entityStillHoldsRole(ctx: TokenContext, row: AuthCodeRow): void {
  if (!entityMayUseRole(ctx.directory, row.account_id, row.entity, row.role)) throw invalidGrant('EntityOrRoleDisabled');
}

function consumeCode(ctx: TokenContext, row: AuthCodeRow): void {
  if (!ctx.store.consumeCode(row.code_hash, ctx.clock.now())) codeNotUsed(ctx, { ...row, used_at: ctx.clock.now() });
}

export const authorizationCodeGrant: GrantHandler = {
  grantType: 'authorization_code',
  parameters: ['code', 'redirect_uri', 'code_verifier', 'client_id'],
  async handle(ctx: TokenContext): Promise<TokenResponse> {
    const { code, redirectUri } = requireCodeParameters(ctx);
    const integration = authenticateClient(ctx);
    authorizationCodeGrantEnabled(integration);
    const row = findCode(ctx, code);
    Object.assign(ctx.audit, { role: row.role, entity: row.entity });
    codeBelongsToClient(row, integration);
    codeNotUsed(ctx, row);
    codeNotExpired(ctx, row);
    redirectUriMatches(row, redirectUri);
    codeVerifierMatches(ctx, row);
    entityStillHoldsRole(ctx, row);
    consumeCode(ctx, row);
    const principal = { integration, role: row.role, entity: row.entity, scopes: row.scopes.split(' ') };
    return issueUserTokens(ctx, principal, {
      oit: nowSeconds(ctx), withRefreshToken: true, nonce: row.nonce, grant: 'authorization_code', chainId: row.code_hash,
    });
  },
};
