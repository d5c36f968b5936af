import type { Database } from 'better-sqlite3';
import type { ResolvedAccount } from '../config/types';
import { ADMINISTRATOR_ROLE_ID } from '../config/defaults';
import { ACCOUNT_SCHEMA, PERMISSION_LEVELS } from './accountSchema';
import { seedAccount } from './accountSeed';
import { openDatabase } from './open';
import { registerSuiteQLFunctions, runSelect } from './suiteql';
import type { AccountDirectory, AccountInfo, Employee, PermissionLevel, Role, SuiteQLPage } from './directoryTypes';

export type { AccountDirectory, AccountInfo, Employee, PermissionLevel, Role } from './directoryTypes';

const FIRST_CUSTOM_ROLE_ID = 1001;

interface RoleRow { id: number; scriptid: string; name: string }
interface EmployeeRow { id: number; entityid: string; firstname: string | null; lastname: string | null; email: string | null; isinactive: string }

/** The emulated accounts: one SQLite database each, NetSuite table names. */
export class SqliteAccountDirectory implements AccountDirectory {
  private readonly accounts = new Map<string, { info: AccountInfo; db: Database }>();

  constructor(accounts: ResolvedAccount[], dataDir: string | undefined, now: () => number) {
    for (const account of accounts) {
      const db = openDatabase(dataDir, `account-${account.accountId}`);
      db.exec(ACCOUNT_SCHEMA);
      registerSuiteQLFunctions(db);
      seedAccount(db, account, new Date(now()).toISOString().slice(0, 10));
      this.accounts.set(account.accountId, {
        info: { accountId: account.accountId, environment: account.environment, concurrencyLimit: account.concurrencyLimit },
        db,
      });
    }
  }

  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  account(accountId: string): AccountInfo | undefined {
    const entry = this.accounts.get(accountId);
    return entry ? { ...entry.info } : undefined;
  }

  db(accountId: string): Database {
    const entry = this.accounts.get(accountId);
    if (!entry) throw new Error(`Unknown emulated account ${accountId}; configured accounts: ${this.accountIds().join(', ')}`);
    return entry.db;
  }

  getEmployee(accountId: string, entityId: number): Employee | undefined {
    const row = this.db(accountId).prepare('SELECT * FROM employee WHERE id = ?').get(entityId) as EmployeeRow | undefined;
    return row ? toEmployee(row) : undefined;
  }

  findEmployeeByEmail(accountId: string, email: string): Employee | undefined {
    const row = this.db(accountId).prepare('SELECT * FROM employee WHERE lower(email) = lower(?)').get(email) as EmployeeRow | undefined;
    return row ? toEmployee(row) : undefined;
  }

  rolesOf(accountId: string, entityId: number): Role[] {
    const rows = this.db(accountId)
      .prepare(`SELECT r.id, r.scriptid, r.name FROM employeerolesforsearch er JOIN role r ON r.id = er.role
        WHERE er.entity = ? AND r.isinactive = 'F' ORDER BY r.id`)
      .all(entityId) as RoleRow[];
    return rows.map((row) => this.toRole(accountId, row));
  }

  holdsRole(accountId: string, entityId: number, roleId: number): boolean {
    return this.rolesOf(accountId, entityId).some((r) => r.internalId === roleId);
  }

  getRole(accountId: string, roleId: number): Role | undefined {
    const row = this.db(accountId).prepare('SELECT id, scriptid, name FROM role WHERE id = ?').get(roleId) as RoleRow | undefined;
    return row ? this.toRole(accountId, row) : undefined;
  }

  getRoleByScriptId(accountId: string, scriptId: string): Role | undefined {
    const row = this.db(accountId).prepare('SELECT id, scriptid, name FROM role WHERE scriptid = ?').get(scriptId) as RoleRow | undefined;
    return row ? this.toRole(accountId, row) : undefined;
  }

  permissionLevel(accountId: string, roleId: number, permkey: string): PermissionLevel {
    if (roleId === ADMINISTRATOR_ROLE_ID) return 'FULL';
    const row = this.db(accountId).prepare('SELECT permlevel FROM rolepermissions WHERE role = ? AND permkey = ?').get(roleId, permkey) as { permlevel: number } | undefined;
    return row ? (PERMISSION_LEVELS[row.permlevel] ?? 'NONE') : 'NONE';
  }

  assignRole(accountId: string, entityId: number, roleId: number): boolean {
    const result = this.db(accountId).prepare('INSERT OR IGNORE INTO employeerolesforsearch (entity, role) VALUES (?, ?)').run(entityId, roleId);
    return result.changes > 0;
  }

  unassignRole(accountId: string, entityId: number, roleId: number): boolean {
    return this.db(accountId).prepare('DELETE FROM employeerolesforsearch WHERE entity = ? AND role = ?').run(entityId, roleId).changes > 0;
  }

  createRole(accountId: string, role: Omit<Role, 'internalId'>): Role {
    const db = this.db(accountId);
    return db.transaction(() => {
      const max = (db.prepare('SELECT MAX(id) AS m FROM role WHERE id >= ?').get(FIRST_CUSTOM_ROLE_ID) as { m: number | null }).m;
      const internalId = max === null ? FIRST_CUSTOM_ROLE_ID : max + 1;
      db.prepare("INSERT INTO role (id, scriptid, name, iscustom) VALUES (?, ?, ?, 'T')").run(internalId, role.scriptId.toUpperCase(), role.name);
      const insert = db.prepare('INSERT INTO rolepermissions (role, permkey, permlevel) VALUES (?, ?, ?)');
      for (const [key, level] of role.permissions) insert.run(internalId, key, PERMISSION_LEVELS.indexOf(level));
      return this.toRole(accountId, { id: internalId, scriptid: role.scriptId, name: role.name });
    })();
  }

  /** Replaces a role's permissions (bundle update; not in the written contract, offered to the RESTlet host). */
  setRolePermissions(accountId: string, roleId: number, permissions: Map<string, PermissionLevel>): void {
    const db = this.db(accountId);
    db.transaction(() => {
      db.prepare('DELETE FROM rolepermissions WHERE role = ?').run(roleId);
      const insert = db.prepare('INSERT INTO rolepermissions (role, permkey, permlevel) VALUES (?, ?, ?)');
      for (const [key, level] of permissions) insert.run(roleId, key, PERMISSION_LEVELS.indexOf(level));
    })();
  }

  deleteRole(accountId: string, roleId: number): void {
    if (roleId === ADMINISTRATOR_ROLE_ID) throw new Error('The Administrator role (3) cannot be deleted.');
    const db = this.db(accountId);
    db.transaction(() => {
      db.prepare('DELETE FROM employeerolesforsearch WHERE role = ?').run(roleId);
      db.prepare('DELETE FROM rolepermissions WHERE role = ?').run(roleId);
      db.prepare('DELETE FROM role WHERE id = ?').run(roleId);
    })();
  }

  runSuiteQL(accountId: string, sql: string, params: unknown[], page?: SuiteQLPage): { rows: Record<string, unknown>[]; totalResults: number } {
    return runSelect(this.db(accountId), sql, params, page);
  }

  close(): void {
    for (const { db } of this.accounts.values()) db.close();
  }

  private toRole(accountId: string, row: RoleRow): Role {
    const permissions = new Map<string, PermissionLevel>();
    const rows = this.db(accountId).prepare('SELECT permkey, permlevel FROM rolepermissions WHERE role = ?').all(row.id) as { permkey: string; permlevel: number }[];
    for (const p of rows) permissions.set(p.permkey, PERMISSION_LEVELS[p.permlevel] ?? 'NONE');
    return {
      internalId: row.id,
      scriptId: row.scriptid.toLowerCase(),
      name: row.name,
      isAdministrator: row.id === ADMINISTRATOR_ROLE_ID,
      permissions,
    };
  }
}

function toEmployee(row: EmployeeRow): Employee {
  return {
    entityId: row.id,
    name: row.entityid,
    email: row.email ?? '',
    firstName: row.firstname ?? '',
    lastName: row.lastname ?? '',
    entityIdText: row.entityid,
    isInactive: row.isinactive === 'T',
  };
}
