import type { Database } from 'better-sqlite3';
import type { PermissionLevel } from '../config/types';

export type { PermissionLevel };

export interface Role {
  internalId: number;
  scriptId: string;
  name: string;
  isAdministrator: boolean;
  /** permkey → level. */
  permissions: Map<string, PermissionLevel>;
}

export interface AccountInfo {
  accountId: string;
  environment: string;
  concurrencyLimit: number;
}

export interface Employee {
  entityId: number;
  name: string;
  email: string;
  firstName: string;
  lastName: string;
  entityIdText: string;
  isInactive: boolean;
}

export interface SuiteQLPage {
  limit: number;
  offset: number;
}

/** The seam of docs/architecture.md between emulator-core and the RESTlet host. */
export interface AccountDirectory {
  account(accountId: string): AccountInfo | undefined;
  db(accountId: string): Database;
  getEmployee(accountId: string, entityId: number): Employee | undefined;
  rolesOf(accountId: string, entityId: number): Role[];
  getRole(accountId: string, roleId: number): Role | undefined;
  getRoleByScriptId(accountId: string, scriptId: string): Role | undefined;
  permissionLevel(accountId: string, roleId: number, permkey: string): PermissionLevel;
  assignRole(accountId: string, entityId: number, roleId: number): boolean;
  unassignRole(accountId: string, entityId: number, roleId: number): boolean;
  createRole(accountId: string, role: Omit<Role, 'internalId'>): Role;
  deleteRole(accountId: string, roleId: number): void;
  runSuiteQL(accountId: string, sql: string, params: unknown[], page?: SuiteQLPage): { rows: Record<string, unknown>[]; totalResults: number };
}
