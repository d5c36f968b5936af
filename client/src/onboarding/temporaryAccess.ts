import { TokenEndpointError } from '../errors';
import { ReauthorizationNeeded } from './errors';
import type { TenantSession } from './session';

const MARGIN_MS = 60_000;

/**
 * The administrator's access token from step 1, refreshed when it is about to expire. The new token set is
 * persisted right after the refresh: public clients get a one-time refresh token, so the old one is spent.
 */
export async function temporaryAccessToken(session: TenantSession): Promise<string> {
  const tokens = session.record.authorization.tokens;
  if (!tokens) throw new ReauthorizationNeeded(`Tenant "${session.tenant}" holds no temporary access token.`);
  if (tokens.expiresAt - MARGIN_MS > session.clock.now()) return tokens.accessToken;
  if (!tokens.refreshToken) throw new ReauthorizationNeeded('The temporary access token expired and there is no refresh token.');
  try {
    const fresh = await session.services.authorization.refresh(tokens.refreshToken);
    const merged = { ...fresh, refreshToken: fresh.refreshToken ?? tokens.refreshToken };
    await session.commit((r) => {
      r.authorization.tokens = merged;
    });
    return merged.accessToken;
  } catch (err) {
    if (err instanceof TokenEndpointError && err.error === 'invalid_grant') {
      await session.commit(
        (r) => {
          delete r.authorization.tokens;
        },
        { step: 'authorize', action: 'temporary-access-expired', detail: 'refresh token no longer valid; authorization needed again' },
      );
      throw new ReauthorizationNeeded('The temporary refresh token is no longer valid (expired, used or revoked).', { cause: err });
    }
    throw err;
  }
}
