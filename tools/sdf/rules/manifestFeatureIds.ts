import { MANIFEST_FEATURE_IDS } from '../referenceData';
import { valueOf } from '../schemaWalk';
import { childElement, childElements } from '../xml';
import type { Finding, Rule } from './types';

export const manifestFeatureIds: Rule = {
  id: 'manifest-feature-ids',
  summary: 'every manifest feature is a NetSuite feature ID (tools/sdf/reference/manifest-features.json) with required="true" or "false"',
  check: ({ project }) => {
    const root = project.manifest.xml;
    const dependencies = root && childElement(root, 'dependencies');
    const features = dependencies && childElement(dependencies, 'features');
    if (!features) return [];
    const findings: Finding[] = [];
    const add = (line: number, message: string) => findings.push({ rule: 'manifest-feature-ids', file: project.manifest.file, line, message });
    for (const feature of childElements(features, 'feature')) {
      const id = valueOf(feature);
      if (!MANIFEST_FEATURE_IDS.has(id)) {
        const upper = id.toUpperCase();
        add(
          feature.line,
          MANIFEST_FEATURE_IDS.has(upper)
            ? `feature "${id}" must be written ${upper}.`
            : `feature "${id}" is not a NetSuite feature ID; SDF fails ("the feature defined in the manifest does not exist"). Use an ID from Setup > Company > Enable Features / help "Feature Names and IDs", or remove it.`,
        );
      }
      const required = feature.attributes['required'];
      if (required !== undefined && required !== 'true' && required !== 'false') {
        add(feature.line, `feature "${id}" has required="${required ?? ''}"; write required="true" (deploy fails without the feature) or required="false".`);
      }
    }
    return findings;
  },
};
