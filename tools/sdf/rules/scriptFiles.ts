import { existsSync, readFileSync } from 'node:fs';
import { countDefineCalls, ENTRY_POINTS, exportedFunctions, readEntryHeader } from '../entryFile';
import { fieldLine, lineAt } from '../locate';
import type { SdfScript } from '../project';
import type { Finding, Rule } from './types';

const SCRIPT_TYPE_TAG: Record<SdfScript['type'], string> = {
  restlet: 'Restlet',
  bundleinstallationscript: 'BundleInstallationScript',
};
const MODULE_SCOPES = ['SameAccount', 'TargetAccount', 'Public'];

/** Lines of the `define(` calls outside comments. */
function defineCallLines(source: string): number[] {
  const blanked = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, (comment) => comment.replace(/[^\n]/g, ' '));
  return [...blanked.matchAll(/(^|[^.\w$])define\s*\(/g)].map((m) => lineAt(source, m.index + m[1]!.length));
}

function existingScripts(scripts: SdfScript[]): SdfScript[] {
  return scripts.filter((s) => s.scriptFileLocal && existsSync(s.scriptFileLocal));
}

export const scriptFileExists: Rule = {
  id: 'scriptfile-exists',
  summary: "every script's scriptfile names an existing file under FileCabinet/",
  check: ({ project }) =>
    project.scripts.flatMap((s): Finding[] => {
      if (!s.scriptFile) {
        return [{ rule: 'scriptfile-exists', file: s.file, line: fieldLine(s, 'scriptfile'), message: 'scriptfile is missing or not a [/SuiteScripts/…js] reference.' }];
      }
      if (!existsSync(s.scriptFileLocal)) {
        return [
          {
            rule: 'scriptfile-exists',
            file: s.file,
            line: fieldLine(s, 'scriptfile'),
            message: `scriptfile ${s.scriptFile} does not exist under FileCabinet/; run \`npm run build:suitescript\` or fix the path.`,
          },
        ];
      }
      return [];
    }),
};

export const entryHeader: Rule = {
  id: 'entry-header',
  summary: 'each entry file starts with @NApiVersion 2.1, the @NScriptType of its object and @NModuleScope',
  check: ({ project }) =>
    existingScripts(project.scripts).flatMap((s): Finding[] => {
      const file = `FileCabinet${s.scriptFile}`;
      const header = readEntryHeader(readFileSync(s.scriptFileLocal, 'utf8'));
      const expectedType = SCRIPT_TYPE_TAG[s.type];
      if (!header) return [{ rule: 'entry-header', file, line: 1, message: `must start with a JSDoc header (used by ${s.file}).` }];
      const problems: string[] = [];
      if (header.apiVersion !== '2.1') problems.push(`@NApiVersion is ${header.apiVersion ?? 'missing'}, expected 2.1`);
      if (header.scriptType?.toLowerCase() !== expectedType.toLowerCase()) {
        problems.push(`@NScriptType is ${header.scriptType ?? 'missing'}, but ${s.file} is a ${s.type} (expected ${expectedType})`);
      }
      if (!MODULE_SCOPES.includes(header.moduleScope ?? '')) problems.push(`@NModuleScope is ${header.moduleScope ?? 'missing'}`);
      return problems.map((message) => ({ rule: 'entry-header', file, line: 1, message: `${message}.` }));
    }),
};

export const singleDefine: Rule = {
  id: 'single-define',
  summary: 'each entry file holds exactly one define() call',
  check: ({ project }) =>
    existingScripts(project.scripts).flatMap((s): Finding[] => {
      const source = readFileSync(s.scriptFileLocal, 'utf8');
      const count = countDefineCalls(source);
      const calls = defineCallLines(source);
      return count === 1
        ? []
        : [{ rule: 'single-define', file: `FileCabinet${s.scriptFile}`, line: calls[1] ?? calls[0] ?? 1, message: `holds ${count} define() calls; NetSuite requires exactly one (MULTIPLE_DEFINE_CALLS).` }];
    }),
};

export const entryPoints: Rule = {
  id: 'entry-points',
  summary: 'each entry file exposes only entry points of its script type, and at least one',
  check: ({ project }) =>
    existingScripts(project.scripts).flatMap((s): Finding[] => {
      const file = `FileCabinet${s.scriptFile}`;
      const allowed = ENTRY_POINTS[s.type];
      const source = readFileSync(s.scriptFileLocal, 'utf8');
      const line = defineCallLines(source)[0] ?? 1;
      let exported: string[];
      try {
        exported = exportedFunctions(source, s.scriptFileLocal);
      } catch (e) {
        return [{ rule: 'entry-points', file, line, message: `could not evaluate the module: ${(e as Error).message}.` }];
      }
      const findings: Finding[] = [];
      if (!exported.some((name) => allowed.includes(name))) {
        findings.push({ rule: 'entry-points', file, line, message: `exposes no ${s.type} entry point (${allowed.join(', ')}); found ${exported.join(', ') || 'nothing'}.` });
      }
      for (const name of exported.filter((n) => !allowed.includes(n))) {
        findings.push({ rule: 'entry-points', file, line, message: `exposes "${name}", which is not a ${s.type} entry point; keep helpers unexported.` });
      }
      return findings;
    }),
};
