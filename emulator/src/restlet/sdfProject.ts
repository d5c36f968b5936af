/**
 * Minimal reader of an SDF account customization project: just what the RESTlet host and the bundle
 * installer need (manifest, deploy.xml, role, custom record type, RESTlet and bundle installation script objects).
 * Only objects and files that deploy.xml lists are seen, as SDF would deploy them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { SdfProjectError } from './errors';
import type { PermissionLevel } from './types';

export interface RoleDef {
  scriptId: string;
  name: string;
  centerType: string;
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

const ARRAY_TAGS = new Set(['path', 'permission', 'scriptdeployment', 'customrecordcustomfield', 'objects', 'files']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (tagName) => ARRAY_TAGS.has(tagName),
});

type XmlNode = Record<string, unknown>;

function readXml(file: string): XmlNode {
  try {
    return parser.parse(fs.readFileSync(file, 'utf8')) as XmlNode;
  } catch (err) {
    throw new SdfProjectError(`Cannot parse ${file}: ${(err as Error).message}. Fix the XML and try again.`);
  }
}

function text(node: XmlNode | undefined, key: string, fallback = ''): string {
  const value = node?.[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'object') return String((value as XmlNode)['#text'] ?? fallback);
  return String(value);
}

function bool(node: XmlNode | undefined, key: string, fallback: boolean): boolean {
  const value = text(node, key, '');
  if (value === '') return fallback;
  return value.toUpperCase() === 'T';
}

function list(node: XmlNode | undefined, ...keys: string[]): XmlNode[] {
  let current: unknown = node;
  for (const key of keys) {
    if (current === undefined || current === null || typeof current !== 'object') return [];
    current = (current as XmlNode)[key];
  }
  if (current === undefined || current === null || current === '') return [];
  return (Array.isArray(current) ? current : [current]) as XmlNode[];
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

function deployPaths(root: string, section: 'objects' | 'files'): string[] {
  const deploy = readXml(path.join(root, 'deploy.xml'))['deploy'] as XmlNode | undefined;
  if (!deploy) throw new SdfProjectError(`${path.join(root, 'deploy.xml')} has no <deploy> root element.`);
  return list(deploy, section).flatMap((block) => list(block, 'path').map((p) => String(p)));
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** Expands deploy.xml paths (`~/Objects/*`, `~/FileCabinet/SuiteScripts/app/x.js`) to files. */
function expand(root: string, patterns: string[]): string[] {
  return patterns.flatMap((pattern) => {
    const relative = pattern.replace(/^~\/?/, '');
    if (relative.endsWith('*')) return walk(path.join(root, relative.slice(0, -1)));
    const full = path.join(root, relative);
    return fs.existsSync(full) ? [full] : [];
  });
}

function readRole(node: XmlNode): RoleDef {
  const scriptId = text(node, '@_scriptid');
  return {
    scriptId,
    name: text(node, 'name', scriptId),
    centerType: text(node, 'centertype', 'BASIC'),
    permissions: list(node, 'permissions', 'permission').map((p) => ({
      permkey: text(p, 'permkey'),
      level: level(text(p, 'permlevel'), `role ${scriptId}`),
    })),
  };
}

function readCustomRecordType(node: XmlNode): CustomRecordTypeDef {
  const scriptId = text(node, '@_scriptid');
  return {
    scriptId,
    recordName: text(node, 'recordname', scriptId),
    accessType: text(node, 'accesstype', 'CUSTRECORDENTRYPERM').toUpperCase(),
    permissions: list(node, 'permissions', 'permission').map((p) => ({
      role: text(p, 'permittedrole'),
      level: level(text(p, 'permittedlevel'), `customrecordtype ${scriptId}`),
    })),
    fields: list(node, 'customrecordcustomfields', 'customrecordcustomfield').map((f) => ({
      scriptId: text(f, '@_scriptid'),
      label: text(f, 'label'),
      fieldType: text(f, 'fieldtype', 'TEXT').toUpperCase(),
    })),
  };
}

function readDeployment(node: XmlNode): DeploymentDef {
  return {
    scriptId: text(node, '@_scriptid'),
    status: text(node, 'status', 'TESTING').toUpperCase(),
    isDeployed: bool(node, 'isdeployed', true),
    logLevel: text(node, 'loglevel', 'DEBUG').toUpperCase(),
    allRoles: bool(node, 'allroles', false),
    audience: text(node, 'audslctrole')
      .split('|')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  };
}

function readScript(kind: ScriptKind, node: XmlNode): ScriptDef {
  return {
    kind,
    scriptId: text(node, '@_scriptid'),
    name: text(node, 'name'),
    scriptFile: text(node, 'scriptfile').replace(/^\[|\]$/g, ''),
    isInactive: bool(node, 'isinactive', false),
    deployments: list(node, 'scriptdeployments', 'scriptdeployment').map(readDeployment),
  };
}

function readManifest(root: string): { name: string; version: string } {
  const file = path.join(root, 'manifest.xml');
  if (!fs.existsSync(file)) return { name: path.basename(path.dirname(root)), version: '1.0.0' };
  const manifest = readXml(file)['manifest'] as XmlNode | undefined;
  return { name: text(manifest, 'projectname', 'project'), version: text(manifest, 'projectversion', '1.0.0') };
}

export function loadSdfProject(projectDir: string): SdfProject {
  const root = resolveProjectRoot(projectDir);
  const project: SdfProject = {
    root,
    ...readManifest(root),
    roles: [],
    customRecordTypes: [],
    scripts: [],
    deployedFiles: new Set(),
  };
  for (const file of expand(root, deployPaths(root, 'objects')).filter((f) => f.endsWith('.xml'))) {
    const doc = readXml(file);
    if (doc['role']) project.roles.push(readRole(doc['role'] as XmlNode));
    else if (doc['customrecordtype']) project.customRecordTypes.push(readCustomRecordType(doc['customrecordtype'] as XmlNode));
    else if (doc['restlet']) project.scripts.push(readScript('restlet', doc['restlet'] as XmlNode));
    else if (doc['bundleinstallationscript'])
      project.scripts.push(readScript('bundleinstallationscript', doc['bundleinstallationscript'] as XmlNode));
  }
  const fileCabinet = path.join(root, 'FileCabinet');
  for (const file of expand(root, deployPaths(root, 'files'))) {
    project.deployedFiles.add('/' + path.relative(fileCabinet, file).split(path.sep).join('/'));
  }
  return project;
}

/** Absolute path on disk of a File Cabinet path such as `/SuiteScripts/app/x.js`. */
export function fileCabinetPath(project: SdfProject, cabinetPath: string): string {
  return path.join(project.root, 'FileCabinet', ...cabinetPath.split('/').filter((s) => s !== ''));
}
