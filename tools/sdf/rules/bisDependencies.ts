import { existsSync, readFileSync } from 'node:fs';
import { defineDependencies, dependencyLine } from '../entryFile';
import type { Finding, Rule } from './types';

/** AMD's own names: not modules loaded from the File Cabinet. */
const AMD_BUILTINS = new Set(['require', 'exports', 'module']);

export const bisDependencies: Rule = {
  id: 'bis-dependencies',
  summary: "a bundle installation script's define() loads only N/* modules: custom modules are not supported there",
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const script of project.bundleInstallationScripts) {
      if (!script.scriptFileLocal || !existsSync(script.scriptFileLocal)) continue;
      const file = `FileCabinet${script.scriptFile}`;
      const source = readFileSync(script.scriptFileLocal, 'utf8');
      let deps: string[];
      try {
        deps = defineDependencies(source, script.scriptFileLocal);
      } catch (e) {
        findings.push({ rule: 'bis-dependencies', file, line: 1, message: `could not read the define() dependencies: ${(e as Error).message}.` });
        continue;
      }
      for (const dep of deps.filter((d) => !d.startsWith('N/') && !AMD_BUILTINS.has(d))) {
        findings.push({
          rule: 'bis-dependencies',
          file,
          line: dependencyLine(source, dep),
          message: `loads "${dep}", but bundle installation scripts cannot load custom modules (only N/*). Inline it into the file (the build's rollup step does this for local imports).`,
        });
      }
    }
    return findings;
  },
};
