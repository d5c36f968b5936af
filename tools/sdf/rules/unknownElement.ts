import { objectTypeReference, REFERENCED_OBJECT_TYPES } from '../referenceData';
import { visitObjectElements } from '../schemaWalk';
import { childElements } from '../xml';
import type { Finding, Rule } from './types';

export const unknownElement: Rule = {
  id: 'unknown-element',
  summary: 'every element of an object is one its type allows at that level (SDF rejects unknown fields and the whole deploy stops)',
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const object of project.objects) {
      if (!objectTypeReference(object.xml.name)) {
        findings.push({
          rule: 'unknown-element',
          file: object.file,
          line: object.xml.line,
          severity: 'warning',
          message: `<${object.xml.name}> is not an object type the validator has reference data for (${REFERENCED_OBJECT_TYPES.join(', ')}); its elements are not checked. Check its spelling (a role is <role>, not <customrole>) or add tools/sdf/reference/${object.xml.name}.json.`,
        });
      }
    }
    for (const visit of visitObjectElements(project.objects)) {
      const { element, spec, parent, parentSpec, path, object } = visit;
      if (parent && parentSpec && !spec) {
        const allowed = Object.keys(parentSpec.children ?? {});
        findings.push({
          rule: 'unknown-element',
          file: object.file,
          line: element.line,
          message: `<${element.name}> is not a field of <${parent.name}> (${path}); SDF rejects the object ("invalid or not supported"). Remove it; allowed here: ${allowed.join(', ') || 'nothing'}.`,
        });
      } else if (spec && spec.kind !== 'structure') {
        for (const child of childElements(element)) {
          findings.push({
            rule: 'unknown-element',
            file: object.file,
            line: child.line,
            message: `<${child.name}> inside <${element.name}> (${path}): <${element.name}> holds a value, not elements. Remove <${child.name}>.`,
          });
        }
      }
    }
    return findings;
  },
};
