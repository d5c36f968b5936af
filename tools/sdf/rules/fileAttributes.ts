import { existsSync } from 'node:fs';
import path from 'node:path';
import { attributeFiles } from '../fileAttributes';
import { FILE_ATTRIBUTES } from '../referenceData';
import { valueOf } from '../schemaWalk';
import { childElements } from '../xml';
import type { Finding, Rule } from './types';

export const fileAttributes: Rule = {
  id: 'file-attributes',
  summary: 'each FileCabinet .attributes/*.attr.xml parses, describes a file or folder that exists, and holds only known fields with T/F booleans',
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const entry of attributeFiles(project)) {
      const add = (line: number, message: string) => findings.push({ rule: 'file-attributes', file: entry.file, line, message });
      if (entry.syntaxError) {
        add(entry.syntaxError.line, `not well-formed XML: ${entry.syntaxError.message}`);
        continue;
      }
      const root = entry.xml!;
      if (!existsSync(path.join(project.dir, entry.target))) {
        add(root.line, `describes ${entry.target}, which does not exist. Remove the attribute file or rename it after its file.`);
      }
      if (root.name !== entry.expectedRoot) {
        add(root.line, `root element is <${root.name}>; an attribute file for a ${entry.expectedRoot} has <${entry.expectedRoot}>.`);
        continue;
      }
      const spec = FILE_ATTRIBUTES[entry.expectedRoot];
      for (const child of childElements(root)) {
        const field = spec.children?.[child.name];
        if (!field) {
          add(child.line, `<${child.name}> is not a ${entry.expectedRoot} attribute; allowed: ${Object.keys(spec.children ?? {}).join(', ')}.`);
        } else if (field.kind === 'boolean' && !['T', 'F'].includes(valueOf(child))) {
          add(child.line, `<${child.name}> is "${valueOf(child)}"; write T or F.`);
        }
      }
    }
    return findings;
  },
};
