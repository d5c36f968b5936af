import { NetSuiteApiError } from '../../errors';
import { SCRIPTS, type InstallCheckResponse } from '../services';
import type { TenantSession } from '../session';
import { temporaryAccessToken } from '../temporaryAccess';
import type { InstallCheck } from '../types';
import type { StepOutcome } from './authorize';

/**
 * `entity_role` fails until step 3 gives the integration user the app role (through `setup`), so it does
 * not hold the onboarding at step 2.
 */
const FIXED_LATER = new Set(['entity_role']);

export function integrationEntityOf(session: TenantSession): number | undefined {
  return session.record.settings.integrationEntity ?? session.record.consent?.entity;
}

export function blockingFailures(checks: InstallCheck[]): InstallCheck[] {
  return checks.filter((c) => !c.ok && !FIXED_LATER.has(c.id));
}

/** The install_check RESTlet ships in the bundle: before installation NetSuite says the script does not exist. */
function isMissingScript(err: unknown): boolean {
  return err instanceof NetSuiteApiError && /INVALID_SCRIPTLET_ID|SSS_INVALID_SCRIPT/i.test(err.netsuiteCode);
}

async function installCheck(session: TenantSession, token: string, params: Record<string, string>): Promise<InstallCheckResponse> {
  try {
    return await session.services.restlet(token).get<InstallCheckResponse>(SCRIPTS.installCheck.script, SCRIPTS.installCheck.deploy, params);
  } catch (err) {
    if (!isMissingScript(err)) throw err;
    const { bundleId, installUrl } = session.record.settings;
    return {
      ok: false,
      appRole: null,
      checks: [
        {
          id: 'bundle_installed',
          ok: false,
          detail: `Bundle ${bundleId} is not installed: the install_check RESTlet it contains does not exist in this account.`,
          remedy: `Install bundle ${bundleId} as an administrator: ${installUrl} (Customization > SuiteBundler > Search & Install Bundles), then check again.`,
        },
      ],
    };
  }
}

/** Step 2: verify the bundle with install_check using the temporary token; waits while checks fail. */
export async function runBundle(session: TenantSession, o: { recheck?: boolean } = {}): Promise<StepOutcome> {
  const previous = session.record.bundle;
  if (previous && previous.appRole && blockingFailures(previous.checks).length === 0 && !o.recheck) return 'done';
  const settings = session.record.settings;
  const token = await temporaryAccessToken(session);
  const params: Record<string, string> = { bundleId: settings.bundleId };
  const entity = integrationEntityOf(session);
  if (entity !== undefined) params.entity = String(entity);
  session.progress('bundle', 'install-check', `Checking the installation of bundle ${settings.bundleId}.`);
  const result = await installCheck(session, token, params);
  session.checkpoint('bundle:checked');
  const failures = blockingFailures(result.checks);
  const ok = failures.length === 0 && result.appRole !== null;
  await session.commit(
    (r) => {
      r.bundle = { ok, checks: result.checks, appRole: result.appRole, checkedAt: session.nowIso() };
    },
    {
      step: 'bundle',
      action: 'install-check',
      detail: ok
        ? `bundle ${settings.bundleId} verified; app role internal ID ${result.appRole?.internalId ?? '?'}`
        : failures.length === 1 && failures[0]!.id === 'bundle_installed'
          ? `bundle ${settings.bundleId} not installed yet; waiting for an administrator to install it`
          : `install check not passed yet (${failures.map((c) => c.id).join(', ') || 'app role missing'}); waiting for an administrator to fix it`,
    },
  );
  if (!ok) {
    const failedChecks = failures.length ? failures : [{ id: 'app_role', ok: false, detail: 'The app role was not found.', remedy: 'Install the bundle.' }];
    session.emit({ type: 'waiting', tenant: session.tenant, step: 'bundle', reason: 'bundle', installUrl: settings.installUrl, failedChecks, at: session.nowIso() });
    return 'waiting';
  }
  session.checkpoint('bundle:done');
  return 'done';
}
