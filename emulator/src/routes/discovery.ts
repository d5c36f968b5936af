import type { FastifyInstance } from 'fastify';
import { parseHost } from '../hosts';
import { NETSUITE_ISSUER } from '../oauth/claims';
import { ASSERTION_ALGORITHMS } from '../oauth/grants/clientCredentials';
import { userinfoBody } from '../oauth/userinfo';
import { auditResourceFailure, authenticateBearer } from '../resource/bearer';
import { INVALID_LOGIN_DETAIL, sendProblem } from '../resource/problem';
import type { EmulatorServices } from '../services';
import { page } from '../pages/html';

const logoutPage = () => page('Logged out', '<p>You have been logged out of the application.</p>');

const OAUTH = '/services/rest/auth/oauth2/v1';

export function registerDiscoveryRoutes(app: FastifyInstance, s: EmulatorServices): void {
  app.get(`${OAUTH}/keys`, async (_request, reply) => reply.type('application/json').send(JSON.stringify({ keys: [s.signingKey.jwk] })));

  app.get('/.well-known/openid-configuration', async (request, reply) => {
    const requestHost = request.headers.host ?? '';
    const base = `${request.protocol}://${requestHost}`;
    // Authorize is on the account's app host; everything else here is on the suitetalk host that serves this document.
    const host = parseHost(requestHost);
    const appBase = host.kind === 'suitetalk' ? `${request.protocol}://${requestHost.replace(/\.suitetalk\.localhost/i, '.app.localhost')}` : base;
    return reply.type('application/json').send(JSON.stringify({
      issuer: NETSUITE_ISSUER,
      authorization_endpoint: `${appBase}/app/login/oauth2/authorize.nl`,
      token_endpoint: `${base}${OAUTH}/token`,
      revocation_endpoint: `${base}${OAUTH}/revoke`,
      userinfo_endpoint: `${base}${OAUTH}/userinfo`,
      jwks_uri: `${base}${OAUTH}/keys`,
      end_session_endpoint: `${base}${OAUTH}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      scopes_supported: ['restlets', 'rest_webservices', 'suite_analytics', 'mcp', 'openid', 'email'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'none', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
      id_token_signing_alg_values_supported: [s.signingKey.alg],
      subject_types_supported: ['public'],
      prompt_values_supported: ['none', 'login', 'consent'],
    }));
  });

  /** OIDC logout (§1.2): revokes the id token and the access and refresh tokens issued with it; client auth optional. */
  app.get<{ Querystring: { id_token_hint?: string } }>(`${OAUTH}/logout`, async (request, reply) => {
    const hint = request.query.id_token_hint;
    const payload = hint ? await s.issuer.verifySignature(hint) : undefined;
    const jti = typeof payload?.jti === 'string' ? payload.jti : undefined;
    if (!jti || !s.store.findIdToken(jti)) {
      return reply.code(400).type('application/json').send(JSON.stringify({ error: 'invalid_request' }));
    }
    s.store.revokeIdTokenFamily(jti, s.clock.now());
    s.store.audit({ at: s.clock.now(), action: 'logout', status: 'Success', detail: 'IdTokenRevoked' });
    return reply.code(200).type('text/html; charset=utf-8').send(logoutPage());
  });

  app.get(`${OAUTH}/userinfo`, async (request, reply) => {
    const auth = await authenticateBearer(s, request, 'rest_webservices').then((r) => (r.ok ? r : authenticateBearer(s, request, 'restlets')));
    if (!auth.ok) {
      auditResourceFailure(s, 'userinfo', auth.reason);
      return sendProblem(reply, 401, 'INVALID_LOGIN', INVALID_LOGIN_DETAIL);
    }
    const { caller } = auth;
    return reply.type('application/json').send(JSON.stringify(userinfoBody(s, caller)));
  });
}
