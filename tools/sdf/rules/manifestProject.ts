import { childElement } from '../xml';
import type { Finding, Rule } from './types';

export const manifestProject: Rule = {
  id: 'manifest-project',
  summary: 'manifest.xml declares an ACCOUNTCUSTOMIZATION project, a name and framework version 1.0',
  check: ({ project, loadProblems }) => {
    if (loadProblems.some((p) => p.file === 'manifest.xml')) return [];
    const { projectType, projectName, frameworkVersion, file } = project.manifest;
    const findings: Finding[] = [];
    const root = project.manifest.xml;
    const lineOf = (name: string) => (root ? (childElement(root, name) ?? root).line : 1);
    const add = (line: number, message: string) => findings.push({ rule: 'manifest-project', file, line, message });
    if (projectType !== 'ACCOUNTCUSTOMIZATION') add(root?.line ?? 1, `projecttype is "${projectType}"; this project is an ACCOUNTCUSTOMIZATION project.`);
    if (!projectName) add(lineOf('projectname'), 'projectname is empty; name the project.');
    if (frameworkVersion !== '1.0') add(lineOf('frameworkversion'), `frameworkversion is "${frameworkVersion}"; SDF expects 1.0.`);
    return findings;
  },
};
