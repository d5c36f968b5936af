import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountFromHost, mediaType, queryOf, rawBody } from '../http';
import { checkAuthorizeRequest, type AuthorizeRequest } from '../oauth/authorizeRequest';
import { oauthRolesOf } from '../oauth/roleEligibility';
import { checkCredentials, currentSession, startSession } from '../oauth/session';
import { consentPage, errorPage, loginPage } from '../pages/oauthPages';
import type { EmulatorServices } from '../services';

export const AUTHORIZE_PATH = '/app/login/oauth2/authorize.nl';
const FLOW_LIFETIME_MS = 30 * 60 * 1000;

interface Flow { request: AuthorizeRequest; createdAt: number; authenticatedEntity?: number }

function redirectWith(reply: FastifyReply, redirectUri: string, params: Array<[string, string | undefined]>): FastifyReply {
  const url = new URL(redirectUri);
  for (const [k, v] of params) if (v !== undefined) url.searchParams.append(k, v);
  return reply.redirect(url.toString(), 302);
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);
}

export function registerAuthorizeRoutes(app: FastifyInstance, s: EmulatorServices): void {
  const flows = new Map<string, Flow>();

  function newFlow(request: AuthorizeRequest): string {
    const now = s.clock.now();
    for (const [id, f] of flows) if (now - f.createdAt > FLOW_LIFETIME_MS) flows.delete(id);
    const id = randomBytes(18).toString('base64url');
    flows.set(id, { request, createdAt: now });
    return id;
  }

  function errorRedirect(reply: FastifyReply, r: AuthorizeRequest, error: string): FastifyReply {
    return redirectWith(reply, r.redirectUri, [['error', error], ['state', r.state]]);
  }

  /** Success: state, role, entity, company, code — in Oracle's order. */
  function issueCode(reply: FastifyReply, flowId: string, r: AuthorizeRequest, entity: number, role: number): FastifyReply {
    flows.delete(flowId);
    const code = randomBytes(32).toString('base64url');
    s.store.insertCode(code, {
      client_id: r.integration.clientId, account_id: r.integration.accountId, redirect_uri: r.redirectUri,
      code_challenge: r.codeChallenge, scopes: r.scopes.join(' '), role, entity, nonce: r.nonce,
      expires_at: s.clock.now() + s.config.limits.authCodeLifetimeSeconds * 1000,
    });
    return redirectWith(reply, r.redirectUri, [
      ['state', r.state], ['role', String(role)], ['entity', String(entity)], ['company', r.integration.accountId], ['code', code],
    ]);
  }

  function showLogin(reply: FastifyReply, flowId: string, r: AuthorizeRequest, error?: string, email?: string): FastifyReply {
    const o = { action: AUTHORIZE_PATH, fields: { flow: flowId }, accountId: r.integration.accountId, ...(error ? { error } : {}), ...(email ? { email } : {}) };
    return html(reply, error ? 401 : 200, loginPage(o));
  }

  function consentNeeded(r: AuthorizeRequest, entity: number): boolean {
    if (r.prompt.has('consent')) return true;
    const policy = r.integration.consentPolicy;
    if (policy === 'ALWAYS_ASK') return true;
    if (policy === 'NEVER_ASK') return false;
    return s.store.consent(r.integration.clientId, r.integration.accountId, entity) === undefined;
  }

  /** After the checks: log in if needed, then consent if the policy or prompt asks, then the code. */
  function continueFlow(request: FastifyRequest, reply: FastifyReply, flowId: string): FastifyReply {
    const flow = flows.get(flowId) as Flow;
    const r = flow.request;
    const accountId = r.integration.accountId;
    const entity = r.prompt.has('login') ? flow.authenticatedEntity : flow.authenticatedEntity ?? currentSession(s, request, accountId)?.entity;
    if (entity === undefined) {
      if (r.prompt.has('none')) return errorRedirect(reply, r, 'login_required');
      return showLogin(reply, flowId, r);
    }
    const roles = oauthRolesOf(s.directory, accountId, entity);
    if (roles.length === 0) return errorRedirect(reply, r, 'access_denied');
    if (consentNeeded(r, entity)) {
      if (r.prompt.has('none')) return errorRedirect(reply, r, 'consent_required');
      flow.authenticatedEntity = entity;
      const previous = s.store.consent(r.integration.clientId, accountId, entity)?.role;
      const employee = s.directory.getEmployee(accountId, entity);
      return html(reply, 200, consentPage({
        action: AUTHORIZE_PATH, flow: flowId, applicationName: r.integration.name, userName: employee?.name ?? String(entity),
        accountId, scopes: r.scopes, roles: roles.map((x) => ({ internalId: x.internalId, name: x.name })),
        selectedRole: roles.some((x) => x.internalId === previous) ? (previous as number) : (roles[0]?.internalId ?? 0),
      }));
    }
    const previous = s.store.consent(r.integration.clientId, accountId, entity)?.role;
    const role = roles.find((x) => x.internalId === previous) ?? roles[0];
    return issueCode(reply, flowId, r, entity, role?.internalId ?? 0);
  }

  app.get(AUTHORIZE_PATH, async (request, reply) => {
    // An integration record belongs to one account: on another account's app host its client ID is unknown.
    const hostAccount = accountFromHost(request, s.directory.accountIds());
    const check = checkAuthorizeRequest(queryOf(request), (id) => {
      const integration = s.store.integration(id);
      return integration && (hostAccount === undefined || integration.accountId === hostAccount) ? integration : undefined;
    });
    if (check.kind === 'page') return html(reply, 400, errorPage('Authorization error', check.message));
    if (check.kind === 'redirect') return redirectWith(reply, check.redirectUri, [['error', check.error], ['state', check.state]]);
    return continueFlow(request, reply, newFlow(check.request));
  });

  app.post(AUTHORIZE_PATH, async (request, reply) => {
    if (mediaType(request) !== 'application/x-www-form-urlencoded') return html(reply, 400, errorPage('Authorization error', 'The form must be posted as application/x-www-form-urlencoded.'));
    const form = new URLSearchParams(rawBody(request));
    const flowId = form.get('flow') ?? '';
    const flow = flows.get(flowId);
    if (!flow) return html(reply, 400, errorPage('Authorization error', 'This sign-in page has expired. Start the authorization again from the application.'));
    const r = flow.request;
    const action = form.get('action');
    if (action === 'login') {
      const email = form.get('email') ?? '';
      const entity = checkCredentials(s, r.integration.accountId, email, form.get('password') ?? '');
      s.store.audit({ at: s.clock.now(), accountId: r.integration.accountId, clientId: r.integration.clientId, entity, action: 'ui-login', status: entity === undefined ? 'Failure' : 'Success', detail: entity === undefined ? 'InvalidCredentials' : 'Success' });
      if (entity === undefined) return showLogin(reply, flowId, r, 'You have entered an invalid email address or password. Please try again.', email);
      flow.authenticatedEntity = entity;
      startSession(s, reply, r.integration.accountId, entity);
      return continueFlow(request, reply, flowId);
    }
    const entity = flow.authenticatedEntity;
    if (entity === undefined) return showLogin(reply, flowId, r);
    if (action === 'deny') {
      flows.delete(flowId);
      return errorRedirect(reply, r, 'access_denied');
    }
    if (action === 'allow') {
      const roleId = Number(form.get('role'));
      const allowed = oauthRolesOf(s.directory, r.integration.accountId, entity);
      if (!allowed.some((x) => x.internalId === roleId)) return html(reply, 400, errorPage('Authorization error', 'Choose one of your roles that has the "Log in using OAuth 2.0 Access Tokens" permission.'));
      s.store.recordConsent(r.integration.clientId, r.integration.accountId, entity, roleId, s.clock.now());
      return issueCode(reply, flowId, r, entity, roleId);
    }
    return html(reply, 400, errorPage('Authorization error', 'Unknown action; use the Allow or Deny button.'));
  });
}
