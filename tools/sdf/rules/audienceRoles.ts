import { scriptIdReference, STANDARD_ROLES } from '../references';
import type { Finding, Rule } from './types';

export const audienceRoles: Rule = {
  id: 'audience-roles',
  summary: 'deployment audiences, run-as roles and record permission lists name roles that exist; released RESTlets have an audience',
  check: ({ project }) => {
    const roleIds = new Set(project.roles.map((r) => r.scriptId));
    const findings: Finding[] = [];
    const checkRole = (file: string, where: string, value: string) => {
      const ref = scriptIdReference(value);
      if (ref !== undefined ? !roleIds.has(ref) : !STANDARD_ROLES.has(value.toUpperCase())) {
        findings.push({
          rule: 'audience-roles',
          file,
          message: `${where} names role "${value}", which is neither a role object in this project nor a standard role (${[...STANDARD_ROLES].join(', ')}).`,
        });
      }
    };
    for (const script of project.scripts) {
      for (const d of script.deployments) {
        d.audience.roles.forEach((r) => checkRole(script.file, `deployment ${d.scriptId} audience`, r));
        if (d.runAsRole !== undefined) checkRole(script.file, `deployment ${d.scriptId} runasrole`, d.runAsRole);
        const hasAudience = d.audience.roles.length > 0 || d.audience.allRoles;
        if (script.type === 'restlet' && d.status === 'RELEASED' && !hasAudience) {
          findings.push({ rule: 'audience-roles', file: script.file, message: `deployment ${d.scriptId} is RELEASED with no audience: set audslctrole.` });
        }
      }
    }
    for (const record of project.customRecordTypes) {
      record.permissions.forEach((p) => checkRole(record.file, 'permission list', p.role));
    }
    return findings;
  },
};
