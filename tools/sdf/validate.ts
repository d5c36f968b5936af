import { readSdfProject } from './project';
import { audienceRoles } from './rules/audienceRoles';
import { bisBundleable } from './rules/bisBundleable';
import { bisDependencies } from './rules/bisDependencies';
import { booleanValue } from './rules/booleanValue';
import { deployCoverage } from './rules/deployCoverage';
import { enumValue } from './rules/enumValue';
import { featureDependencies } from './rules/featureDependencies';
import { fileAttributes } from './rules/fileAttributes';
import { lengthLimit } from './rules/lengthLimit';
import { manifestFeatureIds } from './rules/manifestFeatureIds';
import { manifestFeatures } from './rules/manifestFeatures';
import { manifestProject } from './rules/manifestProject';
import { objectFileName } from './rules/objectFileName';
import { permissionKeys } from './rules/permissionKeys';
import { requiredElement } from './rules/requiredElement';
import { rolePermissions } from './rules/rolePermissions';
import { roleRecordLevels } from './rules/roleRecordLevels';
import { idLength, idPrefix } from './rules/scriptIds';
import { scriptIdSyntax } from './rules/scriptIdSyntax';
import { scriptIdUnique } from './rules/scriptIdUnique';
import { entryHeader, entryPoints, scriptFileExists, singleDefine } from './rules/scriptFiles';
import type { Finding, Rule } from './rules/types';
import { unknownElement } from './rules/unknownElement';
import { webServicesOnlyAudience } from './rules/webServicesOnlyAudience';
import { xmlWellFormed } from './rules/xmlWellFormed';

export type { Finding, Rule, Severity } from './rules/types';

export const RULES: readonly Rule[] = [
  xmlWellFormed,
  manifestProject,
  manifestFeatureIds,
  objectFileName,
  idPrefix,
  idLength,
  scriptIdSyntax,
  scriptIdUnique,
  unknownElement,
  requiredElement,
  enumValue,
  booleanValue,
  lengthLimit,
  featureDependencies,
  scriptFileExists,
  entryHeader,
  singleDefine,
  entryPoints,
  bisDependencies,
  fileAttributes,
  bisBundleable,
  deployCoverage,
  manifestFeatures,
  audienceRoles,
  webServicesOnlyAudience,
  rolePermissions,
  permissionKeys,
  roleRecordLevels,
];

export interface ValidationResult {
  projectDir: string;
  /** No finding of severity error (warnings do not fail). */
  ok: boolean;
  findings: Finding[];
  errors: Finding[];
  warnings: Finding[];
  rulesRun: string[];
}

export const isWarning = (finding: Finding): boolean => finding.severity === 'warning';

export function validateSdfProject(projectDir: string, options: { prefix?: string } = {}): ValidationResult {
  const { project, problems } = readSdfProject(projectDir);
  const context = { project, loadProblems: problems, prefix: options.prefix ?? 'sbr' };
  const findings = RULES.flatMap((rule) => rule.check(context));
  const errors = findings.filter((f) => !isWarning(f));
  const warnings = findings.filter(isWarning);
  return { projectDir: project.dir, ok: errors.length === 0, findings, errors, warnings, rulesRun: RULES.map((r) => r.id) };
}

/** `[rule] file:line: message`, with `warning ` in front of warnings. */
export function formatFinding(finding: Finding): string {
  return `${isWarning(finding) ? 'warning ' : ''}[${finding.rule}] ${finding.file}:${finding.line}: ${finding.message}`;
}
