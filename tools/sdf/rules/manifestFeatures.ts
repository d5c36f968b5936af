import { descendants } from '../locate';
import type { SdfObject } from '../project';
import { scriptIdReference } from '../references';
import type { Finding, Rule } from './types';

/** Features an object needs declared (CONFIRMED in sdf-suitescript.md §1.2). */
function featuresNeeded(object: SdfObject): string[] {
  switch (object.type) {
    case 'restlet':
    case 'bundleinstallationscript':
      return ['SERVERSIDESCRIPTING'];
    case 'customrecordtype':
      return ['CUSTOMRECORDS'];
    case 'role':
      return object.permissions.some((p) => scriptIdReference(p.permkey)?.startsWith('customrecord_')) ? ['CUSTOMRECORDS'] : [];
    default:
      return [];
  }
}

export const manifestFeatures: Rule = {
  id: 'manifest-features',
  summary: 'manifest.xml requires every feature the objects need',
  check: ({ project, loadProblems }) => {
    if (loadProblems.some((p) => p.file === 'manifest.xml')) return [];
    const required = new Set(project.manifest.features.filter((f) => f.required).map((f) => f.id.toUpperCase()));
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const root = project.manifest.xml;
    const line = root ? (descendants(root, 'features')[0] ?? root).line : 1;
    for (const object of project.objects) {
      for (const feature of featuresNeeded(object)) {
        if (required.has(feature) || reported.has(feature)) continue;
        reported.add(feature);
        findings.push({
          rule: 'manifest-features',
          file: project.manifest.file,
          line,
          message: `${object.file} needs feature ${feature}: add <feature required="true">${feature}</feature> under <dependencies><features>.`,
        });
      }
    }
    return findings;
  },
};
