import * as runtime from 'N/runtime';
import * as suiteAppInfo from 'N/suiteAppInfo';
import type { AppRole } from './appRole';
import { EXPECTED_APP_ROLE_PERMISSIONS } from './appRolePermissions';
import { runCheck, skipped, type Check } from './checks';
import { readConfigRows } from './configStore';
import { holdsRole, loadEmployee } from './employeeRoles';
import { describeError } from './errors';
import { enableFeatureRemedy, missingFeatures, REQUIRED_FEATURES } from './features';
import { APP_ROLE_SCRIPT_ID, CONFIG_RECORD_TYPE, OUR_SCRIPT_IDS, sameScriptId } from './ids';

const DEPLOY_REMEDY = 'Deploy the SDF project (suitecloud project:deploy) or install the SuiteBridge bundle.';

/** 5 units when bundleId is given. */
export function bundleInstalledCheck(bundleId: number | undefined): Check {
  if (bundleId === undefined) return skipped('bundle_installed', 'no bundleId parameter given');
  return runCheck('bundle_installed', DEPLOY_REMEDY, () => {
    const installed = suiteAppInfo.isBundleInstalled({ bundleId: String(bundleId) });
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

/** 0 units. */
export function featuresCheck(): Check {
  return runCheck('features', enableFeatureRemedy(REQUIRED_FEATURES), () => {
    const missing = missingFeatures();
    return {
      id: 'features',
      ok: missing.length === 0,
      detail: missing.length
        ? `not in effect: ${missing.map((f) => f.id).join(', ')}`
        : `in effect: ${REQUIRED_FEATURES.map((f) => f.id).join(', ')}`,
      remedy: missing.length ? enableFeatureRemedy(missing) : '',
    };
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
    return {
      id: 'entity_role',
      ok: holds,
      detail: holds ? `employee ${entity} holds role ${role.internalId}` : `employee ${entity} does not hold role ${role.internalId}`,
      remedy: holds ? '' : `POST {"entity": ${entity}} to the setup RESTlet as Administrator, or add the role on the employee's Access tab.`,
    };
  });
}

function readPermission(user: runtime.User, key: string): number | Error {
  try {
    return Number(user.getPermission({ name: key }));
  } catch (e) {
    return new Error(describeError(e));
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
    if (level instanceof Error) {
      (expected.uncertainKey ? notes : problems).push(`${expected.key} unreadable (${level.message})`);
    } else if (level < expected.level) {
      problems.push(`${expected.key} is level ${level}, needs ${expected.level}`);
    } else {
      notes.push(`${expected.key} ok`);
    }
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
