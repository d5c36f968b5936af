import { valueOf, visitObjectElements } from '../schemaWalk';
import type { Finding, Rule } from './types';

export const lengthLimit: Rule = {
  id: 'length-limit',
  summary: 'field values stay within the length the reference allows (name and recordname 40, description 999, label 200…)',
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const { element, spec, object, path } of visitObjectElements(project.objects)) {
      if (!spec || spec.kind === 'structure' || spec.maxLength === undefined) continue;
      const value = valueOf(element);
      if (value.length <= spec.maxLength) continue;
      findings.push({
        rule: 'length-limit',
        file: object.file,
        line: element.line,
        message: `<${element.name}> (${path}) is ${value.length} characters; SDF allows at most ${spec.maxLength}. Shorten it.`,
      });
    }
    return findings;
  },
};
