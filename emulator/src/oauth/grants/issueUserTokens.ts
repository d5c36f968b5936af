import type { TokenContext, TokenResponse } from '../context';
import type { IssuedGrant, Principal } from '../tokenIssuer';
import { ACCESS_TOKEN_SECONDS } from '../claims';

/** Access token (+ refresh token, + id token for `openid`). `expires_in` is the string "3600" as in Oracle's samples. */
export async function issueUserTokens(
  ctx: TokenContext,
  principal: Principal,
  o: { oit: number; withRefreshToken: boolean; nonce: string | null; grant: IssuedGrant; parentRefreshJti?: string; chainId: string | null },
): Promise<TokenResponse> {
  let refresh: { token: string; jti: string } | undefined;
  if (o.withRefreshToken) refresh = await ctx.issuer.refreshToken(principal, o.oit, o.chainId);
  const access = await ctx.issuer.userAccessToken(principal, o.grant, o.oit, refresh?.jti ?? o.parentRefreshJti ?? null);
  const response: TokenResponse = { access_token: access.token };
  if (refresh) response.refresh_token = refresh.token;
  response.expires_in = String(ACCESS_TOKEN_SECONDS);
  response.token_type = 'Bearer';
  if (principal.scopes.includes('openid')) {
    const employee = ctx.directory.getEmployee(principal.integration.accountId, principal.entity);
    response.id_token = await ctx.issuer.idToken(principal, employee?.email ?? '', o.nonce, { accessJti: access.jti, refreshJti: refresh?.jti ?? o.parentRefreshJti ?? null });
  }
  return response;
}
