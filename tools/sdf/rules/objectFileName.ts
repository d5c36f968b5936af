import path from 'node:path';
import type { Rule } from './types';

export const objectFileName: Rule = {
  id: 'object-file-name',
  summary: 'each object file is named after its scriptid',
  check: ({ project }) =>
    project.objects
      .filter((o) => path.posix.basename(o.file, '.xml') !== o.scriptId)
      .map((o) => ({
        rule: 'object-file-name',
        file: o.file,
        line: o.xml.line,
        message: o.scriptId
          ? `file name must equal the scriptid: rename it to ${o.scriptId}.xml (or fix the scriptid attribute).`
          : `<${o.rootElement}> has no scriptid attribute.`,
      })),
};
