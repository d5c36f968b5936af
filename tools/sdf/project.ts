/**
 * Reads an SDF account customization project (the folder holding manifest.xml and deploy.xml) into typed
 * objects. Shared by the offline validator, the packager and the emulator.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileReference } from './references';
import { childElement, childElements, childText, commentsFor, parseXml, type XmlElement, XmlSyntaxError } from './xml';

export interface ManifestFeature {
  id: string;
  required: boolean;
}
export interface SdfManifest {
  file: string;
  /** The parsed document (with lines); undefined when it could not be read. */
  xml?: XmlElement;
  projectType: string;
  projectName: string;
  frameworkVersion: string;
  features: ManifestFeature[];
}

export type DeploySectionKind = 'configuration' | 'files' | 'objects' | 'translationimports';
export interface DeploySection {
  kind: DeploySectionKind | string;
  /** As written, e.g. `~/Objects/*`. */
  paths: string[];
}
export interface SdfDeploy {
  file: string;
  xml?: XmlElement;
  sections: DeploySection[];
}

interface ObjectBase {
  /** Path relative to the project folder, `/`-separated, e.g. `Objects/customrole_x.xml`. */
  file: string;
  /** The root element's name, e.g. `role`. */
  rootElement: string;
  /** Lower-cased; the attribute as written is `xml.attributes.scriptid`. */
  scriptId: string;
  /** The parsed root element, with source lines, for rules that check the XML itself. */
  xml: XmlElement;
}
export interface RolePermission {
  permkey: string;
  level: string;
  /** XML comments placed right before (or inside) the permission: the reason it is granted. */
  comments: string[];
}
export interface SdfRole extends ObjectBase {
  type: 'role';
  name: string;
  centerType: string;
  webServiceOnly: boolean;
  permissions: RolePermission[];
}
export interface CustomRecordField {
  scriptId: string;
  label: string;
  fieldType: string;
}
export interface SdfCustomRecordType extends ObjectBase {
  type: 'customrecordtype';
  recordName: string;
  accessType: string;
  fields: CustomRecordField[];
  /** USEPERMISSIONLIST entries; `role` as written (`[scriptid=customrole_x]` or `ADMINISTRATOR`). */
  permissions: { role: string; level: string }[];
}
export interface SdfDeployment {
  scriptId: string;
  title: string;
  status: string;
  isDeployed: boolean;
  logLevel: string;
  audience: { allRoles: boolean; allEmployees: boolean; allPartners: boolean; roles: string[] };
  runAsRole: string | undefined;
}
export type ScriptType = 'restlet' | 'bundleinstallationscript';
export interface SdfScript extends ObjectBase {
  type: ScriptType;
  name: string;
  isInactive: boolean;
  /** File Cabinet path from `scriptfile`, e.g. `/SuiteScripts/suitebridge/x.js`; '' if missing or malformed. */
  scriptFile: string;
  /** Absolute local path of scriptFile (it may not exist). */
  scriptFileLocal: string;
  deployments: SdfDeployment[];
}
export interface SdfOtherObject extends ObjectBase {
  type: 'other';
}
export type SdfObject = SdfRole | SdfCustomRecordType | SdfScript | SdfOtherObject;

export interface SdfProject {
  /** Absolute path of the project folder (`src`). */
  dir: string;
  manifest: SdfManifest;
  deploy: SdfDeploy;
  objects: SdfObject[];
  roles: SdfRole[];
  customRecordTypes: SdfCustomRecordType[];
  scripts: SdfScript[];
  restlets: SdfScript[];
  bundleInstallationScripts: SdfScript[];
  /** Every file under FileCabinet/, relative to the project folder. */
  fileCabinetFiles: string[];
  /** Every .xml file under Objects/, relative to the project folder. */
  objectFiles: string[];
}

export interface SdfLoadProblem {
  file: string;
  message: string;
}

export class SdfProjectError extends Error {
  constructor(readonly problems: SdfLoadProblem[]) {
    super(`SDF project cannot be read: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
    this.name = 'SdfProjectError';
  }
}

const bool = (value: string, fallback: boolean): boolean => (value === '' ? fallback : value.toUpperCase() === 'T');

export function listFiles(dir: string, relativeTo: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, relativeTo));
    else out.push(path.relative(relativeTo, full).split(path.sep).join('/'));
  }
  return out.sort();
}

/** `/SuiteScripts/x.js` → `<dir>/FileCabinet/SuiteScripts/x.js` */
export function fileCabinetLocalPath(projectDir: string, cabinetPath: string): string {
  return path.join(projectDir, 'FileCabinet', ...cabinetPath.split('/').filter(Boolean));
}

function readManifest(root: XmlElement | undefined): Omit<SdfManifest, 'file' | 'xml'> {
  if (!root) return { projectType: '', projectName: '', frameworkVersion: '', features: [] };
  const dependencies = childElement(root, 'dependencies');
  const featureList = dependencies ? childElement(dependencies, 'features') : undefined;
  return {
    projectType: root.attributes['projecttype'] ?? '',
    projectName: childText(root, 'projectname'),
    frameworkVersion: childText(root, 'frameworkversion'),
    features: (featureList ? childElements(featureList, 'feature') : []).map((f) => ({
      id: childTextOf(f),
      required: (f.attributes['required'] ?? 'true').toLowerCase() === 'true',
    })),
  };
}

function childTextOf(element: XmlElement): string {
  return element.children.map((c) => (c.kind === 'text' ? c.text : '')).join('').trim();
}

function readDeploy(root: XmlElement | undefined): DeploySection[] {
  if (!root) return [];
  return childElements(root).map((section) => ({
    kind: section.name,
    paths: childElements(section, 'path').map(childTextOf),
  }));
}

function readRole(root: XmlElement, base: ObjectBase): SdfRole {
  const permissionsElement = childElement(root, 'permissions');
  const permissions = permissionsElement
    ? childElements(permissionsElement, 'permission').map((p) => ({
        permkey: childText(p, 'permkey'),
        level: childText(p, 'permlevel'),
        comments: commentsFor(permissionsElement, p),
      }))
    : [];
  return {
    ...base,
    type: 'role',
    name: childText(root, 'name'),
    centerType: childText(root, 'centertype'),
    webServiceOnly: bool(childText(root, 'iswebserviceonlyrole'), false),
    permissions,
  };
}

function readCustomRecordType(root: XmlElement, base: ObjectBase): SdfCustomRecordType {
  const fields = childElements(childElement(root, 'customrecordcustomfields') ?? root, 'customrecordcustomfield').map((f) => ({
    scriptId: (f.attributes['scriptid'] ?? '').toLowerCase(),
    label: childText(f, 'label'),
    fieldType: childText(f, 'fieldtype'),
  }));
  const permissions = childElements(childElement(root, 'permissions') ?? root, 'permission').map((p) => ({
    role: childText(p, 'permittedrole'),
    level: childText(p, 'permittedlevel'),
  }));
  return {
    ...base,
    type: 'customrecordtype',
    recordName: childText(root, 'recordname'),
    accessType: childText(root, 'accesstype'),
    fields: childElement(root, 'customrecordcustomfields') ? fields : [],
    permissions: childElement(root, 'permissions') ? permissions : [],
  };
}

function readDeployment(d: XmlElement): SdfDeployment {
  const roles = childText(d, 'audslctrole');
  const runAsRole = childText(d, 'runasrole');
  return {
    scriptId: (d.attributes['scriptid'] ?? '').toLowerCase(),
    title: childText(d, 'title'),
    status: childText(d, 'status') || 'TESTING',
    isDeployed: bool(childText(d, 'isdeployed'), true),
    logLevel: childText(d, 'loglevel') || 'DEBUG',
    audience: {
      allRoles: bool(childText(d, 'allroles'), false),
      allEmployees: bool(childText(d, 'allemployees'), false),
      allPartners: bool(childText(d, 'allpartners'), false),
      roles: roles === '' ? [] : roles.split('|').map((r) => r.trim()).filter(Boolean),
    },
    runAsRole: runAsRole === '' ? undefined : runAsRole,
  };
}

function readScript(root: XmlElement, base: ObjectBase, type: ScriptType, projectDir: string): SdfScript {
  const scriptFile = fileReference(childText(root, 'scriptfile')) ?? '';
  return {
    ...base,
    type,
    name: childText(root, 'name'),
    isInactive: bool(childText(root, 'isinactive'), false),
    scriptFile,
    scriptFileLocal: scriptFile ? fileCabinetLocalPath(projectDir, scriptFile) : '',
    deployments: childElements(childElement(root, 'scriptdeployments') ?? root, 'scriptdeployment').map(readDeployment),
  };
}

function readObject(root: XmlElement, file: string, projectDir: string): SdfObject {
  const base: ObjectBase = { file, rootElement: root.name, scriptId: (root.attributes['scriptid'] ?? '').toLowerCase(), xml: root };
  switch (root.name) {
    case 'role':
      return readRole(root, base);
    case 'customrecordtype':
      return readCustomRecordType(root, base);
    case 'restlet':
    case 'bundleinstallationscript':
      return readScript(root, base, root.name, projectDir);
    default:
      return { ...base, type: 'other' };
  }
}

/** Lenient read: unreadable files are reported as problems and left out. */
export function readSdfProject(projectDir: string): { project: SdfProject; problems: SdfLoadProblem[] } {
  const dir = path.resolve(projectDir);
  const problems: SdfLoadProblem[] = [];
  const parseFile = (relative: string): XmlElement | undefined => {
    const full = path.join(dir, relative);
    if (!existsSync(full)) {
      problems.push({ file: relative, message: 'file not found' });
      return undefined;
    }
    try {
      return parseXml(readFileSync(full, 'utf8'));
    } catch (e) {
      const message = e instanceof XmlSyntaxError ? e.message : String(e);
      problems.push({ file: relative, message: `not well-formed XML: ${message}` });
      return undefined;
    }
  };

  const manifestRoot = parseFile('manifest.xml');
  const deployRoot = parseFile('deploy.xml');
  const objectFiles = listFiles(path.join(dir, 'Objects'), dir).filter((f) => f.toLowerCase().endsWith('.xml'));
  const objects: SdfObject[] = [];
  for (const file of objectFiles) {
    const root = parseFile(file);
    if (root) objects.push(readObject(root, file, dir));
  }
  const scripts = objects.filter((o): o is SdfScript => o.type === 'restlet' || o.type === 'bundleinstallationscript');
  const project: SdfProject = {
    dir,
    manifest: { file: 'manifest.xml', ...readManifest(manifestRoot), ...(manifestRoot ? { xml: manifestRoot } : {}) },
    deploy: { file: 'deploy.xml', sections: readDeploy(deployRoot), ...(deployRoot ? { xml: deployRoot } : {}) },
    objects,
    roles: objects.filter((o): o is SdfRole => o.type === 'role'),
    customRecordTypes: objects.filter((o): o is SdfCustomRecordType => o.type === 'customrecordtype'),
    scripts,
    restlets: scripts.filter((s) => s.type === 'restlet'),
    bundleInstallationScripts: scripts.filter((s) => s.type === 'bundleinstallationscript'),
    fileCabinetFiles: listFiles(path.join(dir, 'FileCabinet'), dir),
    objectFiles,
  };
  return { project, problems };
}

/** Strict read for consumers that need a whole project (emulator, packager): throws SdfProjectError. */
export function loadSdfProject(projectDir: string): SdfProject {
  const { project, problems } = readSdfProject(projectDir);
  if (problems.length > 0) throw new SdfProjectError(problems);
  return project;
}
