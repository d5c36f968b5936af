import { deployPathMatches } from '../deployPaths';
import { childElements } from '../xml';
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
    const root = project.deploy.xml;
    const sectionElements = root ? childElements(root) : [];
    const add = (line: number, message: string) => findings.push({ rule: 'deploy-coverage', file, line, message });
    const candidates: Record<string, string[]> = {
      files: project.fileCabinetFiles,
      objects: project.objectFiles,
      configuration: [],
      translationimports: [],
    };
    project.deploy.sections.forEach((section, sectionIndex) => {
      const sectionElement = sectionElements[sectionIndex];
      const pathLines = sectionElement ? childElements(sectionElement, 'path').map((p) => p.line) : [];
      const folder = SECTION_ROOT[section.kind];
      if (!folder) {
        add(sectionElement?.line ?? 1, `<${section.kind}> is not a deploy.xml section (configuration, files, objects, translationimports).`);
        return;
      }
      section.paths.forEach((p, pathIndex) => {
        const line = pathLines[pathIndex] ?? sectionElement?.line ?? 1;
        if (!p.startsWith(`~/${folder}`)) {
          add(line, `<${section.kind}> path "${p}" must start with ~/${folder}.`);
        } else if (!(candidates[section.kind] ?? []).some((f) => deployPathMatches(p, f))) {
          add(line, `<${section.kind}> path "${p}" matches no file; SDF fails on it. Build first or remove the path.`);
        }
      });
    });
    const sectionLine = (kind: string) => (sectionElements.find((e) => e.name === kind) ?? root)?.line ?? 1;
    const pathsOf = (kind: string) => project.deploy.sections.filter((s) => s.kind === kind).flatMap((s) => s.paths);
    for (const f of project.fileCabinetFiles) {
      if (!pathsOf('files').some((p) => deployPathMatches(p, f))) add(sectionLine('files'), `${f} is not deployed: add a <files><path> for it.`);
    }
    for (const f of project.objectFiles) {
      if (!pathsOf('objects').some((p) => deployPathMatches(p, f))) add(sectionLine('objects'), `${f} is not deployed: add an <objects><path> for it.`);
    }
    return findings;
  },
};
