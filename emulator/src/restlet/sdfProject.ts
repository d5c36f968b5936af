/**
 * The SDF project as the RESTlet host and bundle installer see it: what deploy.xml deploys (manifest, role,
 * custom record type, RESTlet and bundle installation script objects, File Cabinet files). Reading the XML is
 * the shared reader's job (tools/sdf/project.ts); this file narrows it to the objects deploy.xml lists.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadSdfProject as readProject, type SdfDeployment, type SdfProject as ToolsProject, type SdfScript } from '../../../tools/sdf/project';
import { SdfProjectError } from './errors';
import type { PermissionLevel } from './types';

export interface RoleDef {
  scriptId: string;
  name: string;
  centerType: string;
  /** `iswebserviceonlyrole` T: the role may call web services only, never RESTlets (Oracle). */
  webServiceOnly: boolean;
  permissions: { permkey: string; level: PermissionLevel }[];
}

export interface CustomFieldDef {
  scriptId: string;
  label: string;
  fieldType: string;
}

export interface CustomRecordTypeDef {
  scriptId: string;
  recordName: string;
  accessType: string;
  /** USEPERMISSIONLIST entries: `permittedrole` as written (`[scriptid=customrole_x]` or `ADMINISTRATOR`). */
  permissions: { role: string; level: PermissionLevel }[];
  fields: CustomFieldDef[];
}

export interface DeploymentDef {
  scriptId: string;
  status: string;
  isDeployed: boolean;
  logLevel: string;
  allRoles: boolean;
  /** `audslctrole` split on `|`. */
  audience: string[];
}

export type ScriptKind = 'restlet' | 'bundleinstallationscript';

export interface ScriptDef {
  kind: ScriptKind;
  scriptId: string;
  name: string;
  /** File Cabinet path as referenced, e.g. `/SuiteScripts/app/x.js`. */
  scriptFile: string;
  isInactive: boolean;
  deployments: DeploymentDef[];
}

export interface SdfProject {
  /** The folder holding deploy.xml (the project's `src`). */
  root: string;
  name: string;
  version: string;
  roles: RoleDef[];
  customRecordTypes: CustomRecordTypeDef[];
  scripts: ScriptDef[];
  /** File Cabinet paths (`/SuiteScripts/...`) that deploy.xml deploys. */
  deployedFiles: Set<string>;
}


const LEVELS: readonly PermissionLevel[] = ['NONE', 'VIEW', 'CREATE', 'EDIT', 'FULL'];

function level(value: string, where: string): PermissionLevel {
  const upper = value.toUpperCase();
  if ((LEVELS as readonly string[]).includes(upper)) return upper as PermissionLevel;
  throw new SdfProjectError(`${where}: permission level "${value}" is not one of ${LEVELS.join(', ')}.`);
}

/** Accepts the repository root or its `src` folder. */
export function resolveProjectRoot(projectDir: string): string {
  if (fs.existsSync(path.join(projectDir, 'deploy.xml'))) return projectDir;
  const nested = path.join(projectDir, 'src');
  if (fs.existsSync(path.join(nested, 'deploy.xml'))) return nested;
  throw new SdfProjectError(
    `No deploy.xml in ${projectDir} or ${nested}. Point projectDir at the SDF project's src folder.`,
  );
}

/** Does a deploy.xml path (`~/Objects/*`, `~/FileCabinet/SuiteScripts/app/x.js`) cover this project-relative file? */
function covers(pattern: string, relativeFile: string): boolean {
  const relative = pattern.replace(/^~\/?/, '');
  if (relative.endsWith('*')) return relativeFile.startsWith(relative.slice(0, -1));
  return relativeFile === relative;
}

function deployed(project: ToolsProject, kind: 'objects' | 'files', relativeFile: string): boolean {
  return project.deploy.sections
    .filter((s) => s.kind === kind)
    .some((s) => s.paths.some((p) => covers(p, relativeFile)));
}

function toDeployment(d: SdfDeployment): DeploymentDef {
  return {
    scriptId: d.scriptId,
    status: d.status.toUpperCase() || 'TESTING',
    isDeployed: d.isDeployed,
    logLevel: d.logLevel.toUpperCase() || 'DEBUG',
    allRoles: d.audience.allRoles,
    audience: d.audience.roles,
  };
}

function toScript(s: SdfScript): ScriptDef {
  return {
    kind: s.type,
    scriptId: s.scriptId,
    name: s.name,
    scriptFile: s.scriptFile,
    isInactive: s.isInactive,
    deployments: s.deployments.map(toDeployment),
  };
}

/** Bundle version: the manifest's `projectversion` when present (SuiteApp style), else 1.0.0. */
function manifestVersion(root: string): string {
  const file = path.join(root, 'manifest.xml');
  const match = fs.existsSync(file) ? /<projectversion>\s*([^<\s]+)\s*<\/projectversion>/.exec(fs.readFileSync(file, 'utf8')) : null;
  return match?.[1] ?? '1.0.0';
}

export function loadSdfProject(projectDir: string): SdfProject {
  const root = resolveProjectRoot(projectDir);
  let tools: ToolsProject;
  try {
    tools = readProject(root);
  } catch (err) {
    throw new SdfProjectError((err as Error).message);
  }
  const isDeployed = (o: { file: string }) => deployed(tools, 'objects', o.file);
  return {
    root,
    name: tools.manifest.projectName || path.basename(path.dirname(root)),
    version: manifestVersion(root),
    roles: tools.roles.filter(isDeployed).map((r) => ({
      scriptId: r.scriptId,
      name: r.name || r.scriptId,
      centerType: r.centerType || 'BASIC',
      webServiceOnly: r.webServiceOnly,
      permissions: r.permissions.map((p) => ({ permkey: p.permkey, level: level(p.level, `role ${r.scriptId}`) })),
    })),
    customRecordTypes: tools.customRecordTypes.filter(isDeployed).map((t) => ({
      scriptId: t.scriptId,
      recordName: t.recordName || t.scriptId,
      accessType: (t.accessType || 'CUSTRECORDENTRYPERM').toUpperCase(),
      permissions: t.permissions.map((p) => ({ role: p.role, level: level(p.level, `customrecordtype ${t.scriptId}`) })),
      fields: t.fields.map((f) => ({ scriptId: f.scriptId, label: f.label, fieldType: (f.fieldType || 'TEXT').toUpperCase() })),
    })),
    scripts: tools.scripts.filter(isDeployed).map(toScript),
    deployedFiles: new Set(
      tools.fileCabinetFiles
        .filter((f) => deployed(tools, 'files', f))
        .map((f) => '/' + f.replace(/^FileCabinet\//, '')),
    ),
  };
}

/** Absolute path on disk of a File Cabinet path such as `/SuiteScripts/app/x.js`. */
export function fileCabinetPath(project: SdfProject, cabinetPath: string): string {
  return path.join(project.root, 'FileCabinet', ...cabinetPath.split('/').filter((s) => s !== ''));
}
