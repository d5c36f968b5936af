import { valueOf, visitObjectElements } from '../schemaWalk';
import type { Finding, Rule } from './types';

export const booleanValue: Rule = {
  id: 'boolean-value',
  summary: 'boolean fields hold exactly T or F',
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const { element, spec, object, path } of visitObjectElements(project.objects)) {
      if (spec?.kind !== 'boolean') continue;
      const value = valueOf(element);
      if (value === 'T' || value === 'F') continue;
      const meant = /^(true|yes|1|t)$/i.test(value) ? 'T' : /^(false|no|0|f)$/i.test(value) ? 'F' : 'T or F';
      findings.push({
        rule: 'boolean-value',
        file: object.file,
        line: element.line,
        message: `<${element.name}> (${path}) is "${value}"; SDF booleans are exactly T or F. Write ${meant}.`,
      });
    }
    return findings;
  },
};
