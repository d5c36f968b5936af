import type { FastifyInstance } from 'fastify';
import { accountFromHost, mediaType, rawBody, requestedUrl } from '../http';
import { authenticateClient } from '../oauth/clientAuth';
import type { TokenContext } from '../oauth/context';
import { OAuthError, invalidRequest } from '../oauth/errors';
import type { EmulatorServices } from '../services';
import { fallbackRealm, sendOAuthError } from './token';

/**
 * `POST …/revoke` with `token=<refresh or access token>`: a refresh token takes its whole rotation chain with it.
 * Response body and status are undocumented (UNCERTAIN, reference §3): the emulator follows RFC 7009 §2.2, 200 with an
 * empty body, also for an unknown, expired or already revoked token (RFC 7009 counts those as success: the client
 * cannot do anything else with them). Client authentication failures and another client's token are still refused.
 */
export function registerRevokeRoute(app: FastifyInstance, s: EmulatorServices): void {
  app.post('/services/rest/auth/oauth2/v1/revoke', async (request, reply) => {
    const audit: TokenContext['audit'] = {};
    try {
      if (mediaType(request) !== 'application/x-www-form-urlencoded') throw invalidRequest('ContentTypeMustBeFormUrlEncoded');
      const form = new URLSearchParams(rawBody(request));
      const token = form.get('token');
      if (!token) throw invalidRequest('MissingParameter:token');
      const integration = authenticateClient({
        form, authorization: request.headers.authorization, tokenUrl: requestedUrl(request), fallbackRealm: fallbackRealm(s, request), hostAccountId: accountFromHost(request, s.directory.accountIds()),
        store: s.store, directory: s.directory, issuer: s.issuer, config: s.config, clock: s.clock, audit,
      });
      const payload = await s.issuer.verifySignature(token);
      const jti = typeof payload?.jti === 'string' ? payload.jti : '';
      const refresh = s.store.findRefreshToken(jti);
      const access = s.store.findAccessToken(jti);
      const owner = refresh?.client_id ?? access?.client_id;
      if (owner !== undefined && owner !== integration.clientId) throw new OAuthError('invalid_grant', 'TokenIssuedToAnotherClient');
      // A refresh token takes its whole rotation chain with it (every refresh token and access token of the grant).
      if (refresh?.chain_id) s.store.revokeRefreshChain(refresh.chain_id, s.clock.now());
      else if (refresh) s.store.revokeRefreshToken(jti, s.clock.now());
      if (access) s.store.revokeAccessToken(jti, s.clock.now());
      s.store.audit({ at: s.clock.now(), ...audit, action: 'revoke', status: 'Success', detail: refresh ? 'RefreshTokenRevoked' : access ? 'AccessTokenRevoked' : 'UnknownToken' });
      return reply.code(200).send('');
    } catch (err) {
      if (err instanceof OAuthError) return sendOAuthError(s, reply, err, audit, 'revoke');
      throw err;
    }
  });
}
