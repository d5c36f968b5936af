import { scriptIdReference } from '../references';
import { valueOf } from '../schemaWalk';
import { childElement, childElements } from '../xml';
import type { Finding, Rule } from './types';

export const webServicesOnlyAudience: Rule = {
  id: 'ws-only-role-audience',
  summary: 'no Web Services Only role (iswebserviceonlyrole T) is in a RESTlet deployment audience: it would get INVALID_LOGIN_CREDENTIALS',
  check: ({ project }) => {
    const wsOnly = new Set(
      project.roles
        .filter((r) => {
          const field = childElement(r.xml, 'iswebserviceonlyrole');
          return field !== undefined && valueOf(field) === 'T';
        })
        .map((r) => r.scriptId),
    );
    if (wsOnly.size === 0) return [];
    const findings: Finding[] = [];
    for (const restlet of project.restlets) {
      for (const deployment of childElements(childElement(restlet.xml, 'scriptdeployments') ?? restlet.xml, 'scriptdeployment')) {
        const audience = childElement(deployment, 'audslctrole');
        if (!audience) continue;
        for (const value of valueOf(audience).split('|')) {
          const role = scriptIdReference(value);
          if (role === undefined || !wsOnly.has(role)) continue;
          findings.push({
            rule: 'ws-only-role-audience',
            file: restlet.file,
            line: audience.line,
            message: `deployment ${deployment.attributes['scriptid'] ?? ''} has ${role} in its audience, but that role is Web Services Only: NetSuite answers its RESTlet calls with INVALID_LOGIN_CREDENTIALS. Set <iswebserviceonlyrole>F</iswebserviceonlyrole> on the role, or take it out of the audience.`,
          });
        }
      }
    }
    return findings;
  },
};
