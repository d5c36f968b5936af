import type { Rule } from './types';

export const xmlWellFormed: Rule = {
  id: 'xml-well-formed',
  summary: 'manifest.xml, deploy.xml and every Objects/*.xml parse as XML',
  check: ({ loadProblems }) =>
    loadProblems.map((p) => {
      const line = /line (\d+)/.exec(p.message)?.[1];
      return { rule: 'xml-well-formed', file: p.file, line: line ? Number(line) : 1, message: p.message };
    }),
};
