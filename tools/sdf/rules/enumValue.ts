import { isObjectReference, type ValueSpec } from '../referenceData';
import { valueOf, visitObjectElements } from '../schemaWalk';
import type { Finding, Rule } from './types';

function problem(value: string, spec: ValueSpec): string | undefined {
  const values = spec.values ?? [];
  if (values.includes(value)) return undefined;
  if (spec.acceptsReferences && isObjectReference(value)) return undefined;
  const sameLetters = values.find((v) => v.toLowerCase() === value.toLowerCase());
  const reference = spec.acceptsReferences ? ' or a [scriptid=…] reference' : '';
  if (sameLetters) return `"${value}" must be written ${sameLetters} (values are case-sensitive)`;
  const listed = values.length <= 15 ? values.join(', ') : `${values.slice(0, 15).join(', ')}, … (${values.length} values)`;
  return `"${value}" is not a value SDF accepts; use one of ${listed}${reference}`;
}

export const enumValue: Rule = {
  id: 'enum-value',
  summary: 'list fields hold one of the values the reference allows, in its exact (upper) case; multi-select values are |-separated',
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const { element, spec, object, path } of visitObjectElements(project.objects)) {
      if (!spec || (spec.kind !== 'enum' && spec.kind !== 'multiselect') || !spec.values) continue;
      const raw = valueOf(element);
      const parts = spec.kind === 'multiselect' ? raw.split('|').map((p) => p.trim()) : [raw];
      for (const part of parts) {
        const why = problem(part, spec);
        if (why) {
          findings.push({ rule: 'enum-value', file: object.file, line: element.line, message: `<${element.name}> (${path}): ${why}.` });
        }
      }
    }
    return findings;
  },
};
