import type { SqliteAccountDirectory } from '../data/directory';
import type { Role } from '../data/directoryTypes';

export const LOGIN_OAUTH2_PERMISSION = 'ADMI_LOGIN_OAUTH2';

/** A role may sign in with OAuth 2.0 when it is Administrator or has "Log in using OAuth 2.0 Access Tokens". */
export function roleAllowsOAuth(directory: SqliteAccountDirectory, accountId: string, role: Role): boolean {
  return role.isAdministrator || directory.permissionLevel(accountId, role.internalId, LOGIN_OAUTH2_PERMISSION) !== 'NONE';
}

export function oauthRolesOf(directory: SqliteAccountDirectory, accountId: string, entity: number): Role[] {
  return directory.rolesOf(accountId, entity).filter((r) => roleAllowsOAuth(directory, accountId, r));
}

/** The entity still exists, is active, holds the role, and the role still allows OAuth 2.0 sign-in. */
export function entityMayUseRole(directory: SqliteAccountDirectory, accountId: string, entity: number, roleId: number): boolean {
  const employee = directory.getEmployee(accountId, entity);
  if (!employee || employee.isInactive) return false;
  return oauthRolesOf(directory, accountId, entity).some((r) => r.internalId === roleId);
}
