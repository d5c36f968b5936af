import * as runtime from 'N/runtime';
import * as suiteAppInfo from 'N/suiteAppInfo';
import type { AppRole } from './appRole';
import { EXPECTED_APP_ROLE_PERMISSIONS } from './appRolePermissions';
import { runCheck, skipped, type Check } from './checks';
import { readConfigRows } from './configStore';
import { accessIsOff, holdsRole, loadEmployee } from './employeeRoles';
import { describeError } from './errors';
import { enableFeatureRemedy, featureState } from './features';
import { REQUIRED_FEATURES, type RequiredFeature } from './requiredFeatures';
import { APP_ROLE_SCRIPT_ID, CONFIG_RECORD_TYPE, OUR_SCRIPT_IDS, sameScriptId } from './ids';

const DEPLOY_REMEDY = 'Deploy the SDF project (suitecloud project:deploy) or install the SuiteBridge bundle.';

/** 5 units when bundleId is given. Oracle documents bundleId as an integer, so the number is passed as is. */
export function bundleInstalledCheck(bundleId: number | undefined): Check {
  if (bundleId === undefined) return skipped('bundle_installed', 'no bundleId parameter given');
  return runCheck('bundle_installed', DEPLOY_REMEDY, () => {
    const installed = suiteAppInfo.isBundleInstalled({ bundleId });
    return {
      id: 'bundle_installed',
      ok: installed,
      detail: installed ? `bundle ${bundleId} is installed` : `bundle ${bundleId} is not installed in this account`,
      remedy: installed ? '' : `Install bundle ${bundleId} at Customization > SuiteBundler > Search & Install Bundles.`,
    };
  });
}

function bundlesOf(map: Record<string, number[]>, scriptId: string): string[] {
  const key = Object.keys(map).find((k) => sameScriptId(k, scriptId));
  return key === undefined ? [] : (map[key] ?? []).map(String);
}

/** 10 units. Reports which bundle holds each of our scripts. */
export function scriptBundleCheck(bundleId: number | undefined): Check {
  return runCheck('script_bundle', DEPLOY_REMEDY, () => {
    const map = suiteAppInfo.listBundlesContainingScripts({ scriptIds: [...OUR_SCRIPT_IDS] });
    const lines = OUR_SCRIPT_IDS.map((id) => ({ id, bundles: bundlesOf(map, id) }));
    const detail = lines.map((l) => `${l.id}: ${l.bundles.length ? l.bundles.join(', ') : 'no bundle'}`).join('; ');
    if (bundleId === undefined) {
      const none = lines.every((l) => l.bundles.length === 0);
      return { id: 'script_bundle', ok: true, detail: none ? `not in any bundle (deployed with SDF): ${detail}` : detail, remedy: '' };
    }
    const missing = lines.filter((l) => !l.bundles.includes(String(bundleId))).map((l) => l.id);
    return {
      id: 'script_bundle',
      ok: missing.length === 0,
      detail,
      remedy: missing.length
        ? `Add ${missing.join(', ')} to bundle ${bundleId} in Bundle Builder, then update the bundle in this account.`
        : '',
    };
  });
}

/**
 * 0 units. A feature NetSuite reports off fails the check. A feature whose state cannot be read fails it too, unless
 * its ID is UNCERTAIN: then the read error is a note, because the ID rather than the account may be wrong.
 */
export function featuresCheck(): Check {
  return runCheck('features', enableFeatureRemedy(REQUIRED_FEATURES), () => {
    const on: RequiredFeature[] = [];
    const off: RequiredFeature[] = [];
    const unreadable: string[] = [];
    const notes: string[] = [];
    for (const feature of REQUIRED_FEATURES) {
      const state = featureState(feature);
      if (state === true) on.push(feature);
      else if (state === false) off.push(feature);
      else if (feature.idStatus === 'UNCERTAIN') notes.push(`${feature.id} not checked: feature ID UNCERTAIN, NetSuite answered ${state.message}`);
      else unreadable.push(`${feature.id} unreadable (${state.message})`);
    }
    const problems = [...(off.length ? [`not in effect: ${off.map((f) => f.id).join(', ')}`] : []), ...unreadable];
    const summary = problems.length ? problems : [`in effect: ${on.map((f) => f.id).join(', ')}`];
    const remedies = [
      ...(off.length ? [enableFeatureRemedy(off)] : []),
      ...(unreadable.length ? ['Call install_check again; if a feature stays unreadable, check it at Setup > Company > Enable Features.'] : []),
    ];
    return { id: 'features', ok: problems.length === 0, detail: [...summary, ...notes].join('; '), remedy: remedies.join(' ') };
  });
}

export function appRoleCheck(role: AppRole | null, lookupError: unknown): Check {
  if (lookupError !== undefined) {
    return { id: 'app_role', ok: false, detail: `check failed: ${describeError(lookupError)}`, remedy: DEPLOY_REMEDY };
  }
  if (!role) {
    return { id: 'app_role', ok: false, detail: `role ${APP_ROLE_SCRIPT_ID} not found`, remedy: DEPLOY_REMEDY };
  }
  if (role.inactive) {
    return {
      id: 'app_role',
      ok: false,
      detail: `role ${APP_ROLE_SCRIPT_ID} (internal ID ${role.internalId}) is inactive`,
      remedy: 'Reactivate the role at Setup > Users/Roles > Manage Roles.',
    };
  }
  return {
    id: 'app_role',
    ok: true,
    detail: `role ${APP_ROLE_SCRIPT_ID} has internal ID ${role.internalId}; use it when mapping the client credentials certificate`,
    remedy: '',
  };
}

/** 5 units when an entity is given and the role exists. */
export function entityRoleCheck(entity: number | undefined, role: AppRole | null): Check {
  if (entity === undefined) return skipped('entity_role', 'no entity parameter given');
  if (!role) {
    return { id: 'entity_role', ok: false, detail: `cannot check entity ${entity}: the app role is missing or inactive`, remedy: DEPLOY_REMEDY };
  }
  const remedyOnError = 'Call install_check as Administrator: reading employee roles needs access to employee records.';
  return runCheck('entity_role', remedyOnError, () => {
    const employee = loadEmployee(entity);
    if (!employee) {
      return { id: 'entity_role', ok: false, detail: `employee ${entity} not found`, remedy: 'Pass the internal ID of the integration employee.' };
    }
    const holds = holdsRole(employee, role.internalId);
    const noAccess = holds && accessIsOff(employee);
    const setupRemedy = `POST {"entity": ${entity}} to the setup RESTlet as Administrator, or on the employee's Access subtab check Give Access and add the role.`;
    return {
      id: 'entity_role',
      ok: holds && !noAccess,
      detail: !holds
        ? `employee ${entity} does not hold role ${role.internalId}`
        : noAccess
          ? `employee ${entity} holds role ${role.internalId} but Give Access is off, so it cannot sign in with it`
          : `employee ${entity} holds role ${role.internalId}`,
      remedy: holds && !noAccess ? '' : setupRemedy,
    };
  });
}

const LEVELS: readonly number[] = [0, 1, 2, 3, 4];

/** A runtime.Permission level, or why the answer is not one (a thrown error, or a value that is not a level). */
function readPermission(user: runtime.User, key: string): number | string {
  try {
    const answer: unknown = user.getPermission({ name: key });
    const level = typeof answer === 'number' || typeof answer === 'string' ? Number(answer) : Number.NaN;
    return LEVELS.includes(level) ? level : `answered ${answer === '' ? 'an empty string' : String(answer)}, not a permission level`;
  } catch (e) {
    return `unreadable (${describeError(e)})`;
  }
}

/** 0 units. Only meaningful when the caller runs as the app role. */
export function callerPermissionsCheck(): Check {
  const user = runtime.getCurrentUser();
  if (!sameScriptId(user.roleId, APP_ROLE_SCRIPT_ID)) {
    return skipped('caller_permissions', `caller runs as role ${user.roleId || user.role}, not ${APP_ROLE_SCRIPT_ID}`);
  }
  const problems: string[] = [];
  const notes: string[] = [];
  for (const expected of EXPECTED_APP_ROLE_PERMISSIONS) {
    const level = readPermission(user, expected.key);
    let shortfall: string | undefined;
    if (typeof level === 'string') shortfall = `${expected.key} ${level}`;
    else if (level < expected.level) shortfall = `${expected.key} is level ${level}, needs ${expected.level}`;
    if (shortfall === undefined) notes.push(`${expected.key} ok`);
    else if (expected.uncertainKey) {
      notes.push(
        `${shortfall} (the key is UNCERTAIN: check "Manage own OAuth 2.0 Client Credentials certificates" on the role's Permissions > Setup subtab)`,
      );
    } else problems.push(shortfall);
  }
  return {
    id: 'caller_permissions',
    ok: problems.length === 0,
    detail: [...problems, ...notes].join('; '),
    remedy: problems.length ? `Redeploy the role ${APP_ROLE_SCRIPT_ID} from the SDF project so its permissions match.` : '',
  };
}

/** 10 units. */
export function configRecordCheck(): Check {
  const remedy = `${DEPLOY_REMEDY} The app role needs EDIT access on ${CONFIG_RECORD_TYPE}.`;
  return runCheck('config_record', remedy, () => {
    const rows = readConfigRows();
    const active = [...rows.values()].filter((r) => !r.inactive).length;
    return { id: 'config_record', ok: true, detail: `${CONFIG_RECORD_TYPE} present with ${active} active entries`, remedy: '' };
  });
}
