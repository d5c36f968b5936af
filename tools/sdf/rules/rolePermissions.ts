import { allowedPermission, levelRank, PERMISSION_LEVELS } from '../permissionAllowlist';
import { scriptIdReference } from '../references';
import { rolePermissionEntries } from '../roleXml';
import type { Finding, Rule } from './types';

const ALLOWLIST_FILE = 'tools/sdf/permissionAllowlist.ts';

export const rolePermissions: Rule = {
  id: 'role-permissions',
  summary: `role permissions are within the allowlist (${ALLOWLIST_FILE}) and each carries an XML comment saying why`,
  check: ({ project }) => {
    const objectIds = new Set(project.objects.map((o) => o.scriptId));
    const findings: Finding[] = [];
    for (const role of project.roles) {
      const lines = rolePermissionEntries(role.xml).map((e) => e.element.line);
      role.permissions.forEach((p, index) => {
        const add = (message: string) => findings.push({ rule: 'role-permissions', file: role.file, line: lines[index] ?? role.xml.line, message });
        const allowed = allowedPermission(p.permkey);
        if (!allowed) {
          add(`permission ${p.permkey} is not in the allowlist (${ALLOWLIST_FILE}); remove it, or add it there with a reason.`);
        } else if (levelRank(p.level) < 0) {
          add(`permission ${p.permkey} has level "${p.level}"; use one of ${PERMISSION_LEVELS.join(', ')}.`);
        } else if (levelRank(p.level) > levelRank(allowed.maxLevel)) {
          add(`permission ${p.permkey} is ${p.level}; the allowlist allows at most ${allowed.maxLevel}.`);
        }
        if (!p.comments.some((c) => c.trim().length > 0)) {
          add(`permission ${p.permkey} has no XML comment; put <!-- why: … --> right before it.`);
        }
        const ref = scriptIdReference(p.permkey);
        if (ref !== undefined && !objectIds.has(ref)) add(`permission ${p.permkey} references ${ref}, which is not an object in this project.`);
      });
    }
    return findings;
  },
};
