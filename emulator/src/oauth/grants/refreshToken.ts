import type { ResolvedIntegration } from '../../config/types';
import type { RefreshTokenRow } from '../../data/systemStore';
import { authenticateClient } from '../clientAuth';
import { grantEnabled, nowSeconds, type GrantHandler, type TokenContext, type TokenResponse } from '../context';
import { invalidGrant, invalidRequest, unauthorizedClient } from '../errors';
import { entityMayUseRole } from '../roleEligibility';
import { issueUserTokens } from './issueUserTokens';

function requireRefreshTokenParameter(ctx: TokenContext): string {
  const token = ctx.form.get('refresh_token');
  if (!token) throw invalidRequest('MissingParameter:refresh_token');
  return token;
}

async function findRefreshToken(ctx: TokenContext, token: string): Promise<RefreshTokenRow> {
  const payload = await ctx.issuer.verifySignature(token);
  const jti = typeof payload?.jti === 'string' ? payload.jti : undefined;
  const row = jti ? ctx.store.findRefreshToken(jti) : undefined;
  if (!row) throw invalidGrant('InvalidRefreshToken');
  return row;
}

function tokenBelongsToClient(row: RefreshTokenRow, integration: ResolvedIntegration): void {
  if (row.client_id !== integration.clientId) throw invalidGrant('RefreshTokenIssuedToAnotherClient');
}

function tokenNotRevoked(row: RefreshTokenRow): void {
  if (row.revoked_at !== null) throw invalidGrant('RefreshTokenRevoked');
}

function tokenNotExpired(ctx: TokenContext, row: RefreshTokenRow): void {
  if (nowSeconds(ctx) >= row.exp) throw invalidGrant('RefreshTokenExpired');
}

/** Public clients: `oit` marks the chain start; past "Maximum Time for Token Rotation" the chain ends (UNCERTAIN rule). */
function withinRotationWindow(ctx: TokenContext, row: RefreshTokenRow, integration: ResolvedIntegration): void {
  if (integration.publicClient && nowSeconds(ctx) - row.oit >= integration.maxRotationHours * 3600) {
    throw invalidGrant('MaximumTokenRotationTimeExceeded');
  }
}

/** Public-client refresh tokens are single use (rotation). */
function notAlreadyRotated(row: RefreshTokenRow, integration: ResolvedIntegration): void {
  if (integration.publicClient && row.used_at !== null) throw invalidGrant('RefreshTokenAlreadyUsed');
}

function entityStillHoldsRole(ctx: TokenContext, row: RefreshTokenRow): void {
  if (!entityMayUseRole(ctx.directory, row.account_id, row.entity, row.role)) throw invalidGrant('EntityOrRoleDisabled');
}

export const refreshTokenGrant: GrantHandler = {
  grantType: 'refresh_token',
  parameters: ['refresh_token', 'client_id'],
  async handle(ctx: TokenContext): Promise<TokenResponse> {
    const token = requireRefreshTokenParameter(ctx);
    const integration = authenticateClient(ctx);
    if (!grantEnabled(integration, 'authorization_code')) throw unauthorizedClient('AuthorizationCodeGrantRequired');
    const row = await findRefreshToken(ctx, token);
    Object.assign(ctx.audit, { role: row.role, entity: row.entity });
    tokenBelongsToClient(row, integration);
    tokenNotRevoked(row);
    tokenNotExpired(ctx, row);
    withinRotationWindow(ctx, row, integration);
    notAlreadyRotated(row, integration);
    entityStillHoldsRole(ctx, row);
    const rotates = integration.publicClient || integration.confidentialRefreshReturnsRefreshToken;
    if (rotates && !ctx.store.consumeRefreshToken(row.jti, ctx.clock.now())) throw invalidGrant('RefreshTokenAlreadyUsed');
    const principal = { integration, role: row.role, entity: row.entity, scopes: row.scopes.split(' ') };
    return issueUserTokens(ctx, principal, {
      oit: row.oit, withRefreshToken: rotates, nonce: null, grant: 'refresh_token', parentRefreshJti: row.jti, chainId: row.chain_id,
    });
  },
};
