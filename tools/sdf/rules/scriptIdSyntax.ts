import { scriptIdElements } from '../scriptIdElements';
import type { Rule } from './types';

const SCRIPT_ID = /^[a-z0-9_]+$/;

export const scriptIdSyntax: Rule = {
  id: 'script-id-syntax',
  summary: 'script IDs use only lower-case letters, digits and underscores',
  check: ({ project }) =>
    scriptIdElements(project.objects)
      .filter(({ scriptId }) => !SCRIPT_ID.test(scriptId))
      .map(({ object, element, scriptId }) => {
        const suggestion = scriptId.toLowerCase().replace(/[^a-z0-9_]/g, '_');
        return {
          rule: 'script-id-syntax',
          file: object.file,
          line: element.line,
          message: `<${element.name}> scriptid "${scriptId}" may hold only a-z, 0-9 and _. Write "${suggestion}" (and rename the file and every reference to match).`,
        };
      }),
};
