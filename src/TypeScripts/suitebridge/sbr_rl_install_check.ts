/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import type { EntryPoints } from 'N/types';
import { findAppRole, type AppRole } from './lib/appRole';
import type { Check } from './lib/checks';
import { guarded } from './lib/errors';
import { startUsageMeter } from './lib/governance';
import { APP_ROLE_SCRIPT_ID } from './lib/ids';
import { optionalIdParam, type JsonObject } from './lib/input';
import {
  appRoleCheck,
  bundleInstalledCheck,
  callerPermissionsCheck,
  configRecordCheck,
  entityRoleCheck,
  featuresCheck,
  scriptBundleCheck,
} from './lib/installChecks';

export interface InstallCheckResponse {
  ok: boolean;
  unitsUsed: number;
  remainingUsage: number;
  appRole: { internalId: number; scriptId: string } | null;
  checks: Check[];
}

function lookupAppRole(): { role: AppRole | null; error: unknown } {
  try {
    return { role: findAppRole(), error: undefined };
  } catch (e) {
    return { role: null, error: e };
  }
}

function installCheck(params?: JsonObject): InstallCheckResponse {
  const meter = startUsageMeter();
  const bundleId = optionalIdParam(params, 'bundleId', 'SBR_INVALID_BUNDLE_ID');
  const entity = optionalIdParam(params, 'entity', 'SBR_INVALID_ENTITY');

  const { role, error } = lookupAppRole();
  const usableRole = role && !role.inactive ? role : null;
  const checks: Check[] = [
    bundleInstalledCheck(bundleId),
    scriptBundleCheck(bundleId),
    featuresCheck(),
    appRoleCheck(role, error),
    entityRoleCheck(entity, usableRole),
    callerPermissionsCheck(),
    configRecordCheck(),
  ];
  return {
    ok: checks.every((c) => c.ok),
    unitsUsed: meter.used(),
    remainingUsage: meter.remaining(),
    appRole: role ? { internalId: role.internalId, scriptId: APP_ROLE_SCRIPT_ID } : null,
    checks,
  };
}

export const get: EntryPoints.RESTlet.get<JsonObject, InstallCheckResponse> = guarded('sbr_rl_install_check', installCheck);
