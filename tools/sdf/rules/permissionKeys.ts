import { isObjectReference, PERMISSION_IDS, UNCERTAIN_PERMISSIONS } from '../referenceData';
import { rolePermissionEntries } from '../roleXml';
import type { Finding, Rule } from './types';

export const permissionKeys: Rule = {
  id: 'permission-keys',
  summary: "role permkeys are NetSuite permission IDs (tools/sdf/reference/permissions.json) or [scriptid=…] references; an UNCERTAIN ID is a warning saying how to confirm it",
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const role of project.roles) {
      for (const { key, element } of rolePermissionEntries(role.xml)) {
        if (PERMISSION_IDS.has(key) || isObjectReference(key)) continue;
        const uncertain = UNCERTAIN_PERMISSIONS.find((u) => u.id === key);
        const base = { rule: 'permission-keys', file: role.file, line: element.line };
        if (uncertain) {
          findings.push({
            ...base,
            severity: 'warning',
            message: `permkey ${key} ("${uncertain.permission}") is UNCERTAIN: ${uncertain.why}. To confirm it: ${uncertain.confirm}.`,
          });
        } else if (/^(customrecord|customtransaction|cseg)[a-z0-9_]*$/.test(key)) {
          findings.push({
            ...base,
            severity: 'warning',
            message: `permkey ${key} names a custom object without the reference syntax; whether SDF resolves the bare ID is UNCERTAIN. Write [scriptid=${key}].`,
          });
        } else if (PERMISSION_IDS.has(key.toUpperCase())) {
          findings.push({ ...base, message: `permkey "${key}" must be written ${key.toUpperCase()} (permission IDs are upper case).` });
        } else {
          findings.push({
            ...base,
            message: `permkey "${key}" is not a NetSuite permission ID; SDF rejects the role. Use an ID from help "Permission Names and IDs" (e.g. ADMI_RESTWEBSERVICES), or [scriptid=customrecord_…] for a custom record.`,
          });
        }
      }
    }
    return findings;
  },
};
