import { deployPathMatches } from '../deployPaths';
import type { Finding, Rule } from './types';

const SECTION_ROOT: Record<string, string> = {
  files: 'FileCabinet/',
  objects: 'Objects/',
  configuration: 'AccountConfiguration/',
  translationimports: 'Translations/',
};

export const deployCoverage: Rule = {
  id: 'deploy-coverage',
  summary: 'deploy.xml deploys every file under FileCabinet/ and every object, and each of its paths matches something',
  check: ({ project, loadProblems }) => {
    if (loadProblems.some((p) => p.file === 'deploy.xml')) return [];
    const file = project.deploy.file;
    const findings: Finding[] = [];
    const add = (message: string) => findings.push({ rule: 'deploy-coverage', file, message });
    const candidates: Record<string, string[]> = {
      files: project.fileCabinetFiles,
      objects: project.objectFiles,
      configuration: [],
      translationimports: [],
    };
    for (const section of project.deploy.sections) {
      const root = SECTION_ROOT[section.kind];
      if (!root) {
        add(`<${section.kind}> is not a deploy.xml section (configuration, files, objects, translationimports).`);
        continue;
      }
      for (const p of section.paths) {
        if (!p.startsWith(`~/${root}`)) {
          add(`<${section.kind}> path "${p}" must start with ~/${root}.`);
        } else if (!(candidates[section.kind] ?? []).some((f) => deployPathMatches(p, f))) {
          add(`<${section.kind}> path "${p}" matches no file; SDF fails on it. Build first or remove the path.`);
        }
      }
    }
    const pathsOf = (kind: string) => project.deploy.sections.filter((s) => s.kind === kind).flatMap((s) => s.paths);
    for (const f of project.fileCabinetFiles) {
      if (!pathsOf('files').some((p) => deployPathMatches(p, f))) add(`${f} is not deployed: add a <files><path> for it.`);
    }
    for (const f of project.objectFiles) {
      if (!pathsOf('objects').some((p) => deployPathMatches(p, f))) add(`${f} is not deployed: add an <objects><path> for it.`);
    }
    return findings;
  },
};
