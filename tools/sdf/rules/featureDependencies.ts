import { visitObjectElements } from '../schemaWalk';
import type { Finding, Rule } from './types';

export const featureDependencies: Rule = {
  id: 'feature-dependencies',
  summary: 'a field that depends on a feature (allpartners → CRM, enabledle → EXTREMELIST, iswebserviceonlyrole → WEBSERVICES…) has that feature declared in the manifest',
  check: ({ project, loadProblems }) => {
    if (loadProblems.some((p) => p.file === 'manifest.xml')) return [];
    const declared = new Set(project.manifest.features.map((f) => f.id));
    const findings: Finding[] = [];
    for (const { element, spec, object, path } of visitObjectElements(project.objects)) {
      const feature = spec?.feature;
      if (!feature || declared.has(feature)) continue;
      findings.push({
        rule: 'feature-dependencies',
        file: object.file,
        line: element.line,
        message: `<${element.name}> (${path}) depends on the ${feature} feature, which manifest.xml does not declare. Add <feature required="false">${feature}</feature> under <dependencies><features> (required="true" if the project needs it on), or remove <${element.name}>.`,
      });
    }
    return findings;
  },
};
