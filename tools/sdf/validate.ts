import { readSdfProject } from './project';
import { audienceRoles } from './rules/audienceRoles';
import { deployCoverage } from './rules/deployCoverage';
import { idLength, idPrefix } from './rules/scriptIds';
import { manifestFeatures } from './rules/manifestFeatures';
import { manifestProject } from './rules/manifestProject';
import { objectFileName } from './rules/objectFileName';
import { rolePermissions } from './rules/rolePermissions';
import { entryHeader, entryPoints, scriptFileExists, singleDefine } from './rules/scriptFiles';
import type { Finding, Rule } from './rules/types';
import { xmlWellFormed } from './rules/xmlWellFormed';

export type { Finding, Rule } from './rules/types';

export const RULES: readonly Rule[] = [
  xmlWellFormed,
  manifestProject,
  objectFileName,
  idPrefix,
  idLength,
  scriptFileExists,
  entryHeader,
  singleDefine,
  entryPoints,
  deployCoverage,
  manifestFeatures,
  audienceRoles,
  rolePermissions,
];

export interface ValidationResult {
  projectDir: string;
  ok: boolean;
  findings: Finding[];
  rulesRun: string[];
}

export function validateSdfProject(projectDir: string, options: { prefix?: string } = {}): ValidationResult {
  const { project, problems } = readSdfProject(projectDir);
  const context = { project, loadProblems: problems, prefix: options.prefix ?? 'sbr' };
  const findings = RULES.flatMap((rule) => rule.check(context));
  return { projectDir: project.dir, ok: findings.length === 0, findings, rulesRun: RULES.map((r) => r.id) };
}

export function formatFinding(finding: Finding): string {
  return `[${finding.rule}] ${finding.file}: ${finding.message}`;
}
