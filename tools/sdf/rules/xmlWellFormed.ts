import type { Rule } from './types';

export const xmlWellFormed: Rule = {
  id: 'xml-well-formed',
  summary: 'manifest.xml, deploy.xml and every Objects/*.xml parse as XML',
  check: ({ loadProblems }) => loadProblems.map((p) => ({ rule: 'xml-well-formed', file: p.file, message: p.message })),
};
