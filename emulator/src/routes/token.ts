import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountFromHost, mediaType, rawBody, requestedUrl } from '../http';
import type { TokenContext } from '../oauth/context';
import { OAuthError, invalidRequest } from '../oauth/errors';
import { grantRegistry } from '../oauth/grants/registry';
import { serviceUnavailablePage } from '../pages/serviceUnavailable';
import type { EmulatorServices } from '../services';

export const TOKEN_PATH = '/services/rest/auth/oauth2/v1/token';

export function fallbackRealm(s: EmulatorServices, request: FastifyRequest): string {
  const ids = s.directory.accountIds();
  return accountFromHost(request, ids) ?? ids[0] ?? '';
}

/** Writes NetSuite's terse token error and records the real reason in the login audit trail. */
export function sendOAuthError(s: EmulatorServices, reply: FastifyReply, err: OAuthError, ctx: TokenContext['audit'], action: string): FastifyReply {
  s.store.audit({ at: s.clock.now(), ...ctx, action, status: 'Failure', detail: err.auditReason });
  if (err.status === 401) reply.header('WWW-Authenticate', `Basic realm="${err.realm ?? ''}"`);
  return reply.code(err.status).header('Cache-Control', 'no-store').type('application/json;charset=utf-8').send(JSON.stringify({ error: err.error }));
}

function formBody(request: FastifyRequest): URLSearchParams {
  if (mediaType(request) !== 'application/x-www-form-urlencoded') throw invalidRequest('ContentTypeMustBeFormUrlEncoded');
  return new URLSearchParams(rawBody(request));
}

function grantHandlerFor(form: URLSearchParams) {
  const grantType = form.get('grant_type');
  if (!grantType) throw invalidRequest('MissingParameter:grant_type');
  const handler = grantRegistry.get(grantType);
  // Oracle lists "the grant_type value is incorrect" under invalid_request; unsupported_grant_type is not in its table.
  if (!handler) throw invalidRequest(`UnsupportedGrantType:${grantType}`);
  return handler;
}

export function registerTokenRoute(app: FastifyInstance, s: EmulatorServices): void {
  app.post(TOKEN_PATH, async (request, reply) => {
    if (s.faults.take('tokenEndpoint503')) return reply.code(503).type('text/html; charset=utf-8').send(serviceUnavailablePage());
    const audit: TokenContext['audit'] = {};
    let action = 'token';
    try {
      const form = formBody(request);
      const handler = grantHandlerFor(form);
      action = `token:${handler.grantType}`;
      const ctx: TokenContext = {
        form, authorization: request.headers.authorization, tokenUrl: requestedUrl(request),
        fallbackRealm: fallbackRealm(s, request), hostAccountId: accountFromHost(request, s.directory.accountIds()), store: s.store, directory: s.directory, issuer: s.issuer,
        config: s.config, clock: s.clock, audit,
      };
      const body = await handler.handle(ctx);
      s.store.audit({ at: s.clock.now(), ...audit, action, status: 'Success', detail: 'Success' });
      return reply.header('Cache-Control', 'no-store').type('application/json;charset=utf-8').send(JSON.stringify(body));
    } catch (err) {
      if (err instanceof OAuthError) return sendOAuthError(s, reply, err, audit, action);
      throw err;
    }
  });
}
