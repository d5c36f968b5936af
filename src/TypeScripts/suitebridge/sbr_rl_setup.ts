/**
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */

import * as runtime from 'N/runtime';
import type { EntryPoints } from 'N/types';
import { findAppRole } from './lib/appRole';
import { giveRole, holdsRole, loadEmployee } from './lib/employeeRoles';
import { guarded, sbrError } from './lib/errors';
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

/** Gives the app role to the integration employee. Idempotent: a second call reports changed: false. */
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
  const changed = !holdsRole(employee, role.internalId);
  if (changed) giveRole(employee, role.internalId);
  return { entity, roleId: role.internalId, roleScriptId: APP_ROLE_SCRIPT_ID, changed };
}

export const post: EntryPoints.RESTlet.post<{ entity: number }, SetupResponse> = guarded('sbr_rl_setup', setup);
