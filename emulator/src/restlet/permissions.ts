/** Role and permission rules: audience tokens, permission levels, custom-record access. */
import type { CustomRecordTypeDef } from './sdfProject';
import type { AccountDirectory, PermissionLevel, Role } from './types';

export const ADMINISTRATOR_ROLE_ID = 3;

/** `runtime.Permission` numbers. */
export const PERMISSION_NUMBER: Record<PermissionLevel, number> = { NONE: 0, VIEW: 1, CREATE: 2, EDIT: 3, FULL: 4 };

/** Standard roles written as enums in SDF (`audslctrole`, `permittedrole`) and their internal IDs. */
const STANDARD_ROLE_IDS: Record<string, number> = { ADMINISTRATOR: ADMINISTRATOR_ROLE_ID };

export function maxLevel(...levels: PermissionLevel[]): PermissionLevel {
  return levels.reduce<PermissionLevel>((best, l) => (PERMISSION_NUMBER[l] > PERMISSION_NUMBER[best] ? l : best), 'NONE');
}

export function atLeast(level: PermissionLevel, required: PermissionLevel): boolean {
  return PERMISSION_NUMBER[level] >= PERMISSION_NUMBER[required];
}

/** Does an SDF role reference (`[scriptid=customrole_x]`, `ADMINISTRATOR`) name this role? */
export function roleReferenceMatches(reference: string, role: Role): boolean {
  const bracket = /^\[scriptid=([^\]]+)\]$/i.exec(reference.trim());
  if (bracket?.[1]) return bracket[1].toLowerCase() === role.scriptId.toLowerCase();
  const upper = reference.trim().toUpperCase();
  const standardId = STANDARD_ROLE_IDS[upper];
  if (standardId !== undefined) return role.internalId === standardId;
  return upper === role.scriptId.toUpperCase();
}

/** Strips SDF's reference brackets: `[scriptid=customrecord_x]` → `customrecord_x`. */
export function bareScriptId(reference: string): string {
  const bracket = /^\[scriptid=([^\]]+)\]$/i.exec(reference.trim());
  return (bracket?.[1] ?? reference).trim().toLowerCase();
}

/**
 * Is this account role one a bundle installed with `iswebserviceonlyrole` T? Oracle: such a role cannot call RESTlets
 * (they are SuiteScript, not web services). Snapshots from before the flag was recorded count as not WS-only.
 */
export function isWebServicesOnlyRole(installed: ReadonlyArray<{ scriptId: string; webServiceOnly?: boolean }>, role: Pick<Role, 'scriptId'>): boolean {
  return installed.some((r) => r.webServiceOnly === true && r.scriptId.toLowerCase() === role.scriptId.toLowerCase());
}

export class PermissionResolver {
  constructor(
    private readonly directory: AccountDirectory,
    private readonly accountId: string,
    private readonly role: Role,
    private readonly recordTypes: CustomRecordTypeDef[],
  ) {}

  /** Level the role holds for a permkey; custom-record keys may be bare or bracketed. */
  level(permkey: string): PermissionLevel {
    if (this.role.isAdministrator) return 'FULL';
    const bare = bareScriptId(permkey);
    if (bare.startsWith('customrecord')) return this.customRecordLevel(bare);
    return this.directory.permissionLevel(this.accountId, this.role.internalId, permkey.trim());
  }

  customRecordLevel(recordScriptId: string): PermissionLevel {
    if (this.role.isAdministrator) return 'FULL';
    const id = recordScriptId.toLowerCase();
    const fromRole = maxLevel(
      this.directory.permissionLevel(this.accountId, this.role.internalId, `[scriptid=${id}]`),
      this.directory.permissionLevel(this.accountId, this.role.internalId, id),
    );
    const type = this.recordTypes.find((t) => t.scriptId.toLowerCase() === id);
    if (!type) return fromRole;
    switch (type.accessType) {
      case 'NONENEEDED':
        return 'FULL';
      case 'CUSTRECORDENTRYPERM':
        return maxLevel(fromRole, this.directory.permissionLevel(this.accountId, this.role.internalId, 'LIST_CUSTRECORDENTRY'));
      default: {
        const listed = type.permissions.filter((p) => roleReferenceMatches(p.role, this.role)).map((p) => p.level);
        return maxLevel(fromRole, ...listed);
      }
    }
  }
}
