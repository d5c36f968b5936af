import { descendants } from '../locate';
import type { SdfObject } from '../project';
import { scriptIdReference, STANDARD_ROLES } from '../references';
import { recordPermissionEntries } from '../roleXml';
import { childElement } from '../xml';
import type { Finding, Rule } from './types';

function deploymentElement(script: SdfObject, scriptId: string) {
  return descendants(script.xml, 'scriptdeployment').find((d) => (d.attributes['scriptid'] ?? '').toLowerCase() === scriptId);
}

export const audienceRoles: Rule = {
  id: 'audience-roles',
  summary: 'deployment audiences, run-as roles and record permission lists name roles that exist; released RESTlets have an audience',
  check: ({ project }) => {
    const roleIds = new Set(project.roles.map((r) => r.scriptId));
    const findings: Finding[] = [];
    const checkRole = (file: string, line: number, where: string, value: string) => {
      const ref = scriptIdReference(value);
      if (ref !== undefined ? !roleIds.has(ref) : !STANDARD_ROLES.has(value.toUpperCase())) {
        findings.push({
          rule: 'audience-roles',
          file,
          line,
          message: `${where} names role "${value}", which is neither a role object in this project nor a standard role (${[...STANDARD_ROLES].join(', ')}).`,
        });
      }
    };
    for (const script of project.scripts) {
      for (const d of script.deployments) {
        const deployment = deploymentElement(script, d.scriptId);
        const lineOf = (name: string) => (deployment ? (childElement(deployment, name) ?? deployment).line : script.xml.line);
        d.audience.roles.forEach((r) => checkRole(script.file, lineOf('audslctrole'), `deployment ${d.scriptId} audience`, r));
        if (d.runAsRole !== undefined) checkRole(script.file, lineOf('runasrole'), `deployment ${d.scriptId} runasrole`, d.runAsRole);
        const hasAudience = d.audience.roles.length > 0 || d.audience.allRoles;
        if (script.type === 'restlet' && d.status === 'RELEASED' && !hasAudience) {
          findings.push({ rule: 'audience-roles', file: script.file, line: lineOf('status'), message: `deployment ${d.scriptId} is RELEASED with no audience: set audslctrole.` });
        }
      }
    }
    for (const record of project.customRecordTypes) {
      const lines = recordPermissionEntries(record.xml).map((e) => e.element.line);
      record.permissions.forEach((p, i) => checkRole(record.file, lines[i] ?? record.xml.line, 'permission list', p.role));
    }
    return findings;
  },
};
