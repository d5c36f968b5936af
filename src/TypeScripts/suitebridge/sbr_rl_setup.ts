/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import * as runtime from 'N/runtime';
import type { EntryPoints } from 'N/types';
import { findAppRole } from './lib/appRole';
import { accessIsOff, grantRoleWithAccess, holdsRole, loadEmployee } from './lib/employeeRoles';
import { describeError, guarded, sbrError } from './lib/errors';
import { ADMINISTRATOR_ROLE_ID, APP_ROLE_SCRIPT_ID } from './lib/ids';
import { entityFromBody, parseBodyObject, rejectUnknownFields } from './lib/input';

export interface SetupResponse {
  entity: number;
  roleId: number;
  roleScriptId: string;
  changed: boolean;
}

function assertAdministrator(): void {
  const role = runtime.getCurrentUser().role;
  if (role !== ADMINISTRATOR_ROLE_ID) {
    throw sbrError(
      'SBR_FORBIDDEN',
      `setup must be called with the Administrator role (internal ID ${ADMINISTRATOR_ROLE_ID}); the caller's role is ${role}. Sign in as an administrator and authorize with that role.`,
    );
  }
}

/**
 * NetSuite refuses an employee save it finds incomplete (for example Give Access without an e-mail address). Its
 * message is a validation message meant for the administrator, so it is passed on with where to fix it by hand.
 */
function saveError(entity: number, e: unknown): ReturnType<typeof sbrError> {
  return sbrError(
    'SBR_EMPLOYEE_SAVE_FAILED',
    `NetSuite did not save employee ${entity} (${describeError(e).slice(0, 300)}). Open the employee at Lists > Employees, fix what NetSuite names, then on the Access subtab check Give Access and add the role ${APP_ROLE_SCRIPT_ID}, or call setup again.`,
  );
}

/**
 * Gives the integration employee the app role and login access ("Give Access"). Idempotent: when the employee already
 * holds the role with access, nothing is saved and the answer says changed: false.
 */
function setup(body?: unknown): SetupResponse {
  assertAdministrator();
  const request = parseBodyObject(body);
  rejectUnknownFields(request, ['entity']);
  const entity = entityFromBody(request['entity'], 'entity');

  const role = findAppRole();
  if (!role) {
    throw sbrError('SBR_APP_ROLE_MISSING', `role ${APP_ROLE_SCRIPT_ID} does not exist in this account; deploy or install SuiteBridge first.`);
  }
  if (role.inactive) {
    throw sbrError('SBR_APP_ROLE_INACTIVE', `role ${APP_ROLE_SCRIPT_ID} is inactive; reactivate it at Setup > Users/Roles > Manage Roles.`);
  }
  const employee = loadEmployee(entity);
  if (!employee) {
    throw sbrError('SBR_ENTITY_NOT_FOUND', `'entity' ${entity} is not an employee in this account; pass the integration user's employee internal ID.`);
  }
  const changed = !holdsRole(employee, role.internalId) || accessIsOff(employee);
  if (changed) {
    try {
      grantRoleWithAccess(employee, role.internalId);
    } catch (e) {
      throw saveError(entity, e);
    }
  }
  return { entity, roleId: role.internalId, roleScriptId: APP_ROLE_SCRIPT_ID, changed };
}

export const post: EntryPoints.RESTlet.post<{ entity: number }, SetupResponse> = guarded('sbr_rl_setup', setup);
