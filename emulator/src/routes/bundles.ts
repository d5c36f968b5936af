import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountFromHost, mediaType, queryOf, rawBody } from '../http';
import { checkCredentials, currentSession, startSession } from '../oauth/session';
import { bundlePage } from '../pages/bundlePages';
import { errorPage, loginPage } from '../pages/oauthPages';
import type { EmulatorServices } from '../services';

export const BUNDLE_PAGE_PATH = '/app/bundler/installbundle.nl';

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);
}

export function isBundleInstallError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'BundleInstallError';
}

/** Bundle install page: login required, Administrator only; runs BundleInstaller. */
export function registerBundlePage(app: FastifyInstance, s: EmulatorServices): void {
  function target(request: FastifyRequest): { accountId: string | undefined; bundleId: string; action: string } {
    const q = queryOf(request);
    // On an account's app host the account is the host's; `account=` only names it on a single-origin emulator.
    const hostAccount = accountFromHost(request, s.directory.accountIds());
    const accountId = hostAccount !== undefined && q.account !== undefined && q.account !== hostAccount ? undefined : hostAccount ?? q.account;
    const bundleId = q.id ?? s.config.bundleId;
    const params = new URLSearchParams({ id: bundleId, ...(accountId ? { account: accountId } : {}) });
    return { accountId, bundleId, action: `${BUNDLE_PAGE_PATH}?${params.toString()}` };
  }

  function isInstalled(accountId: string, bundleId: string): boolean {
    return s.restlets.installer.installed(accountId).some((b) => b.bundleId === bundleId);
  }

  function render(request: FastifyRequest, reply: FastifyReply, extra: { message?: string; error?: string; status?: number } = {}): FastifyReply {
    const { accountId, bundleId, action } = target(request);
    if (!accountId || !s.directory.account(accountId)) {
      return html(reply, 400, errorPage('Bundle installation', `Open this page on the account's app host: http://<account ID lower-cased, _ → ->.app.localhost:<port>${BUNDLE_PAGE_PATH}?id=<bundle> (known accounts: ${s.directory.accountIds().join(', ')}).`));
    }
    const session = currentSession(s, request, accountId);
    if (!session) return html(reply, extra.status ?? 200, loginPage({ action, fields: { op: 'login' }, accountId, ...(extra.error ? { error: extra.error } : {}) }));
    const isAdmin = s.directory.rolesOf(accountId, session.entity).some((r) => r.isAdministrator);
    if (!isAdmin) return html(reply, 403, errorPage('Bundle installation', 'Only an Administrator can install or uninstall bundles.'));
    const userName = s.directory.getEmployee(accountId, session.entity)?.name ?? String(session.entity);
    return html(reply, extra.status ?? 200, bundlePage({ action, accountId, bundleId, installed: isInstalled(accountId, bundleId), userName, ...extra }));
  }

  app.get(BUNDLE_PAGE_PATH, async (request, reply) => render(request, reply));

  app.post(BUNDLE_PAGE_PATH, async (request, reply) => {
    const { accountId, bundleId } = target(request);
    if (!accountId || !s.directory.account(accountId) || mediaType(request) !== 'application/x-www-form-urlencoded') return render(request, reply);
    const form = new URLSearchParams(rawBody(request));
    // The contract's `?action=uninstall` works as well as the page's own hidden `op` field.
    const op = form.get('op') ?? (queryOf(request).action === 'uninstall' ? 'uninstall' : 'install');
    if (op === 'login') {
      const entity = checkCredentials(s, accountId, form.get('email') ?? '', form.get('password') ?? '');
      if (entity === undefined) return render(request, reply, { error: 'You have entered an invalid email address or password. Please try again.', status: 401 });
      startSession(s, reply, accountId, entity);
      return reply.redirect(target(request).action, 303);
    }
    const session = currentSession(s, request, accountId);
    if (!session || !s.directory.rolesOf(accountId, session.entity).some((r) => r.isAdministrator)) return render(request, reply);
    try {
      if (op === 'install') {
        await s.restlets.installer.install(accountId, bundleId, { entityId: session.entity });
        return render(request, reply, { message: `Bundle ${bundleId} was installed.` });
      }
      if (op === 'uninstall') {
        await s.restlets.installer.uninstall(accountId, bundleId, { entityId: session.entity });
        return render(request, reply, { message: `Bundle ${bundleId} was uninstalled.` });
      }
      return render(request, reply, { error: 'Unknown operation.', status: 400 });
    } catch (err) {
      if (isBundleInstallError(err)) {
        return render(request, reply, { error: (err as Error).message, status: 400 });
      }
      throw err;
    }
  });
}
