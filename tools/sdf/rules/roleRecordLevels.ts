import { scriptIdReference } from '../references';
import { recordPermissionEntries, rolePermissionEntries } from '../roleXml';
import type { Finding, Rule } from './types';

/** `[scriptid=customrecord_x]`, or the bare `customrecord_x` (the permission-keys rule warns about that form). */
function referencedId(key: string): string {
  return scriptIdReference(key) ?? key.trim().toLowerCase();
}

export const roleRecordLevels: Rule = {
  id: 'role-record-levels',
  summary: 'a role and a custom record that reference each other carry the same permission level on both sides',
  check: ({ project }) => {
    const findings: Finding[] = [];
    const roles = new Map(project.roles.map((r) => [r.scriptId, r]));
    const records = new Map(project.customRecordTypes.map((r) => [r.scriptId, r]));
    for (const role of project.roles) {
      for (const entry of rolePermissionEntries(role.xml)) {
        const record = records.get(referencedId(entry.key));
        if (!record) continue;
        const other = recordPermissionEntries(record.xml).find((p) => referencedId(p.key) === role.scriptId);
        if (!other) {
          findings.push({
            rule: 'role-record-levels',
            file: role.file,
            line: entry.element.line,
            message: `grants ${entry.key} at ${entry.level}, but ${record.file} has no <permission> for [scriptid=${role.scriptId}]. Add <permittedrole>[scriptid=${role.scriptId}]</permittedrole> with <permittedlevel>${entry.level}</permittedlevel> there.`,
          });
        } else if (other.level !== entry.level) {
          findings.push({
            rule: 'role-record-levels',
            file: role.file,
            line: entry.element.line,
            message: `grants ${entry.key} at ${entry.level}, but ${record.file}:${other.element.line} gives [scriptid=${role.scriptId}] ${other.level}; SDF requires the same level on both sides. Make them equal.`,
          });
        }
      }
    }
    for (const record of project.customRecordTypes) {
      for (const entry of recordPermissionEntries(record.xml)) {
        const role = roles.get(referencedId(entry.key));
        if (!role) continue;
        const granted = rolePermissionEntries(role.xml).some((p) => referencedId(p.key) === record.scriptId);
        if (!granted) {
          findings.push({
            rule: 'role-record-levels',
            file: record.file,
            line: entry.element.line,
            message: `gives ${entry.key} ${entry.level}, but ${role.file} has no permission for [scriptid=${record.scriptId}]. Add <permkey>[scriptid=${record.scriptId}]</permkey> with <permlevel>${entry.level}</permlevel> to the role.`,
          });
        }
      }
    }
    return findings;
  },
};
