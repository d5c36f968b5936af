/**
 * Where N/record and N/search read and write: employees through the directory, custom records in a table of
 * the account's database named after the record type (columns id, name, isinactive, custrecord_*).
 */
import type { ScriptContext } from './context';
import { SuiteScriptError } from './errors';
import type { RecordCostClass } from './governance';
import type { CustomRecordTypeDef } from './sdfProject';
import type { PermissionLevel } from './types';

export type Lines = Record<string, unknown>[];

export interface RecordData {
  body: Record<string, unknown>;
  sublists: Record<string, Lines>;
}

export interface RecordBacking {
  readonly type: string;
  readonly costClass: RecordCostClass;
  /** Name shown in permission errors. */
  readonly permissionLabel: string;
  permissionLevel(): PermissionLevel;
  load(id: number): RecordData | undefined;
  /** Inserts and returns the new internal ID. */
  insert(data: RecordData): number;
  update(id: number, before: RecordData, after: RecordData): void;
  remove(id: number): void;
  /** Value as scripts see it (booleans for checkboxes, strings for select values). */
  present(fieldId: string, stored: unknown): unknown;
}

export function backingFor(ctx: ScriptContext, type: unknown): RecordBacking {
  if (typeof type !== 'string' || type === '') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'Missing a required argument: type');
  }
  const wanted = type.toLowerCase();
  if (wanted === 'employee') return new EmployeeBacking(ctx);
  const def = ctx.recordTypes.find((t) => t.scriptId.toLowerCase() === wanted);
  if (def) return new CustomRecordBacking(ctx, def);
  throw new SuiteScriptError(
    'SSS_INVALID_RECORD_TYPE',
    `Invalid record type "${type}". The emulator's N/record supports employee and the custom record types ` +
      'installed in this account.',
  );
}

const EMPLOYEE_BODY_FIELDS = ['entityid', 'firstname', 'lastname', 'email', 'isinactive'] as const;

class EmployeeBacking implements RecordBacking {
  readonly type = 'employee';
  readonly costClass = 'standard';
  readonly permissionLabel = 'Employees';

  constructor(private readonly ctx: ScriptContext) {}

  permissionLevel(): PermissionLevel {
    return this.ctx.permissions.level('LIST_EMPLOYEE');
  }

  load(id: number): RecordData | undefined {
    const e = this.ctx.directory.getEmployee(this.ctx.accountId, id);
    if (!e) return undefined;
    const roles = this.ctx.directory.rolesOf(this.ctx.accountId, id);
    return {
      body: {
        id: e.entityId,
        entityid: e.entityIdText ?? e.name ?? String(e.entityId),
        firstname: e.firstName ?? e.name?.split(' ')[0] ?? '',
        lastname: e.lastName ?? e.name?.split(' ').slice(1).join(' ') ?? '',
        email: e.email ?? '',
        isinactive: e.isInactive ?? false,
      },
      sublists: { roles: roles.map((r) => ({ selectedrole: r.internalId })) },
    };
  }

  insert(): number {
    throw new SuiteScriptError('SSS_NOT_EMULATED', 'Creating employees is not emulated; seed them in the emulator configuration.');
  }

  remove(): number {
    throw new SuiteScriptError('SSS_NOT_EMULATED', 'Deleting employees is not emulated.');
  }

  update(id: number, before: RecordData, after: RecordData): void {
    for (const field of EMPLOYEE_BODY_FIELDS) {
      if (String(before.body[field]) !== String(after.body[field])) {
        throw new SuiteScriptError(
          'SSS_NOT_EMULATED',
          `Saving the employee field "${field}" is not emulated; only the roles sublist is saved.`,
        );
      }
    }
    const held = new Set((before.sublists['roles'] ?? []).map((l) => Number(l['selectedrole'])));
    const wanted = new Set((after.sublists['roles'] ?? []).map((l) => Number(l['selectedrole'])));
    for (const roleId of wanted) {
      if (held.has(roleId)) continue;
      if (!Number.isInteger(roleId) || !this.ctx.directory.getRole(this.ctx.accountId, roleId)) {
        throw new SuiteScriptError('INVALID_KEY_OR_REF', `Invalid selectedrole reference key ${String(roleId)}.`);
      }
      this.ctx.directory.assignRole(this.ctx.accountId, id, roleId);
    }
    const removed = [...held].filter((r) => !wanted.has(r));
    for (const roleId of removed) this.ctx.directory.unassignRole(this.ctx.accountId, id, roleId);
  }

  present(fieldId: string, stored: unknown): unknown {
    if (fieldId === 'selectedrole') return stored === null || stored === undefined ? '' : String(stored);
    return stored;
  }
}

type SqlValue = string | number | null;

class CustomRecordBacking implements RecordBacking {
  readonly costClass = 'custom';
  readonly type: string;
  readonly permissionLabel: string;
  private readonly fieldTypes: Map<string, string>;

  constructor(
    private readonly ctx: ScriptContext,
    private readonly def: CustomRecordTypeDef,
  ) {
    this.type = def.scriptId.toLowerCase();
    this.permissionLabel = def.recordName;
    this.fieldTypes = new Map([
      ['name', 'TEXT'],
      ['isinactive', 'CHECKBOX'],
      ...def.fields.map((f) => [f.scriptId.toLowerCase(), f.fieldType] as [string, string]),
    ]);
  }

  permissionLevel(): PermissionLevel {
    return this.ctx.permissions.customRecordLevel(this.type);
  }

  private get db() {
    return this.ctx.directory.db(this.ctx.accountId);
  }

  load(id: number): RecordData | undefined {
    const row = this.db.prepare(`SELECT * FROM ${this.type} WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    const body: Record<string, unknown> = { id: row['id'] };
    for (const field of this.fieldTypes.keys()) body[field] = row[field] ?? null;
    return { body, sublists: {} };
  }

  private columnsOf(body: Record<string, unknown>): [string, SqlValue][] {
    return [...this.fieldTypes.keys()]
      .filter((f) => f in body)
      .map((f) => [f, this.store(f, body[f])] as [string, SqlValue]);
  }

  insert(data: RecordData): number {
    const cols = this.columnsOf({ isinactive: false, ...data.body });
    const sql = `INSERT INTO ${this.type} (${cols.map((c) => c[0]).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    return Number(this.db.prepare(sql).run(...cols.map((c) => c[1])).lastInsertRowid);
  }

  update(id: number, _before: RecordData, after: RecordData): void {
    const cols = this.columnsOf(after.body);
    if (cols.length === 0) return;
    const sql = `UPDATE ${this.type} SET ${cols.map((c) => `${c[0]} = ?`).join(', ')} WHERE id = ?`;
    this.db.prepare(sql).run(...cols.map((c) => c[1]), id);
  }

  remove(id: number): void {
    this.db.prepare(`DELETE FROM ${this.type} WHERE id = ?`).run(id);
  }

  private store(fieldId: string, value: unknown): SqlValue {
    if (value === null || value === undefined) return null;
    const type = this.fieldTypes.get(fieldId);
    if (type === 'CHECKBOX') return value === true || value === 'T' ? 'T' : 'F';
    if (type === 'INTEGER' || type === 'FLOAT' || type === 'CURRENCY' || type === 'PERCENT') {
      const n = Number(value);
      return Number.isFinite(n) ? n : null;
    }
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  present(fieldId: string, stored: unknown): unknown {
    if (this.fieldTypes.get(fieldId) === 'CHECKBOX') return stored === true || stored === 'T';
    if (stored === null || stored === undefined) return fieldId === 'id' ? stored : '';
    return stored;
  }
}
