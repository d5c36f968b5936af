import { scriptIdElements, type ScriptIdElement } from '../scriptIdElements';
import type { Finding, Rule } from './types';

export const scriptIdUnique: Rule = {
  id: 'script-id-unique',
  summary: 'no two objects, deployments or fields share a script ID',
  check: ({ project }) => {
    const first = new Map<string, ScriptIdElement>();
    const findings: Finding[] = [];
    for (const entry of scriptIdElements(project.objects)) {
      const key = entry.scriptId.toLowerCase();
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, entry);
        continue;
      }
      findings.push({
        rule: 'script-id-unique',
        file: entry.object.file,
        line: entry.element.line,
        message: `<${entry.element.name}> scriptid "${entry.scriptId}" is already used by <${earlier.element.name}> at ${earlier.object.file}:${earlier.element.line}; script IDs are unique in an account. Give one of them another ID.`,
      });
    }
    return findings;
  },
};
