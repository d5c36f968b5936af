/**
 * Mutation test of the offline validator: copy src/, make one real SDF mistake, validate, and expect the rule that
 * covers that mistake to report it at the right file and line. The mutations locate what they change by parsing
 * (object type from the root element, elements by name), not by the exact text of today's files, so they keep working
 * while src/ evolves. A mutation that finds nothing to change throws: it fails its test instead of passing silently.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatFinding, validateSdfProject } from '../../tools/sdf/validate';
import { parseXml } from '../../tools/sdf/xml';
import { REPO_ROOT } from './helpers/builtScripts';

const SRC = path.join(REPO_ROOT, 'src');

class MutationNotApplicable extends Error {}

/** A project copy being mutated. */
class Project {
  constructor(readonly dir: string) {}

  read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8');
  }

  /** Object files (relative) whose root element is `root`, sorted. */
  objects(root: string): string[] {
    const files = readdirSync(path.join(this.dir, 'Objects'))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => `Objects/${f}`)
      .filter((f) => parseXml(this.read(f)).name === root);
    if (files.length === 0) throw new MutationNotApplicable(`no <${root}> object in the copy of src/Objects`);
    return files;
  }

  /** The first object of that type whose text matches `pattern`. */
  objectMatching(root: string, pattern: RegExp): string {
    const file = this.objects(root).find((f) => pattern.test(this.read(f)));
    if (!file) throw new MutationNotApplicable(`no <${root}> object matches ${pattern}`);
    return file;
  }

  /** The built entry file of the (first) bundle installation script, relative to the project. */
  bisScriptFile(): string {
    const object = this.read(this.objects('bundleinstallationscript')[0]!);
    const cabinetPath = /<scriptfile>\s*\[([^\]]+)\]\s*<\/scriptfile>/.exec(object)?.[1];
    if (!cabinetPath) throw new MutationNotApplicable('the bundle installation script has no [/…js] scriptfile');
    return `FileCabinet${cabinetPath}`;
  }

  /** Replaces the first match of pattern in file (the replacement may use $1…); throws when nothing matches. */
  replace(file: string, pattern: RegExp, replacement: string): void {
    const text = this.read(file);
    if (!pattern.test(text)) throw new MutationNotApplicable(`${file}: nothing matches ${pattern}`);
    writeFileSync(path.join(this.dir, file), text.replace(pattern, replacement));
  }

  /** Rewrites file with fn; throws when fn changes nothing. */
  edit(file: string, fn: (text: string) => string): void {
    const text = this.read(file);
    const changed = fn(text);
    if (changed === text) throw new MutationNotApplicable(`${file}: the edit changed nothing`);
    writeFileSync(path.join(this.dir, file), changed);
  }

  /** Inserts xml as the first child of the first element matching openTag (e.g. /<scriptdeployment\b[^>]*>/). */
  insertInto(file: string, openTag: RegExp, xml: string): void {
    this.replace(file, new RegExp(`(${openTag.source})`), `$1\n${xml}`);
  }
}

interface Expected {
  rule: string;
  file: string;
  /** A text in the mutated file whose line the finding must carry. */
  at: string;
  /** Which occurrence of `at` (0 = first). */
  occurrence?: number;
}

interface Mutation {
  name: string;
  apply(project: Project): Expected;
}

const DEPLOYMENT = /<scriptdeployment\b[^>]*>/;

const MUTATIONS: Mutation[] = [
  {
    name: 'notifyuser on the bundle installation script (only RESTlets have it)',
    apply: (p) => {
      const file = p.objects('bundleinstallationscript')[0]!;
      p.insertInto(file, /<bundleinstallationscript\b[^>]*>/, '  <notifyuser>F</notifyuser>');
      return { rule: 'unknown-element', file, at: '<notifyuser>' };
    },
  },
  {
    name: 'an audience field at the script level instead of inside the deployment',
    apply: (p) => {
      const file = p.objects('restlet')[0]!;
      p.insertInto(file, /<restlet\b[^>]*>/, '  <audslctrole>ADMINISTRATOR</audslctrole>');
      return { rule: 'unknown-element', file, at: '<audslctrole>ADMINISTRATOR</audslctrole>' };
    },
  },
  {
    name: 'the misspelt iswebservicesonlyrole on the role',
    apply: (p) => {
      const file = p.objects('role')[0]!;
      p.insertInto(file, /<role\b[^>]*>/, '  <iswebservicesonlyrole>F</iswebservicesonlyrole>');
      return { rule: 'unknown-element', file, at: '<iswebservicesonlyrole>' };
    },
  },
  {
    name: 'a RESTlet deployment without its required title',
    apply: (p) => {
      const file = p.objectMatching('restlet', /<title>/);
      p.replace(file, /\s*<title>[^<]*<\/title>/, '');
      const tag = DEPLOYMENT.exec(p.read(file))![0];
      return { rule: 'required-element', file, at: tag };
    },
  },
  {
    name: 'a custom record field without its required fieldtype',
    apply: (p) => {
      const file = p.objectMatching('customrecordtype', /<fieldtype>/);
      p.replace(file, /\s*<fieldtype>[^<]*<\/fieldtype>/, '');
      const tag = /<customrecordcustomfield\b[^>]*>/.exec(p.read(file))![0];
      return { rule: 'required-element', file, at: tag };
    },
  },
  {
    name: 'a lower-case deployment status (released)',
    apply: (p) => {
      const file = p.objectMatching('restlet', /<status>RELEASED<\/status>/);
      p.replace(file, /<status>RELEASED<\/status>/, '<status>released</status>');
      return { rule: 'enum-value', file, at: '<status>released' };
    },
  },
  {
    name: 'a lower-case standard role in a deployment audience',
    apply: (p) => {
      const file = p.objectMatching('restlet', /<audslctrole>[^<]*ADMINISTRATOR/);
      p.replace(file, /(<audslctrole>[^<]*)ADMINISTRATOR/, '$1administrator');
      return { rule: 'enum-value', file, at: 'administrator' };
    },
  },
  {
    name: 'a lower-case role permission level (edit)',
    apply: (p) => {
      const file = p.objects('role')[0]!;
      p.replace(file, /<permlevel>[A-Z]+<\/permlevel>/, '<permlevel>edit</permlevel>');
      return { rule: 'enum-value', file, at: '<permlevel>edit' };
    },
  },
  {
    name: 'a centertype that is not a center',
    apply: (p) => {
      const file = p.objects('role')[0]!;
      p.replace(file, /<centertype>[^<]*<\/centertype>/, '<centertype>BASICCENTER</centertype>');
      return { rule: 'enum-value', file, at: '<centertype>' };
    },
  },
  {
    name: 'isinactive written false instead of F',
    apply: (p) => {
      const file = p.objects('restlet')[0]!;
      if (/<isinactive>/.test(p.read(file))) p.replace(file, /<isinactive>[^<]*<\/isinactive>/, '<isinactive>false</isinactive>');
      else p.insertInto(file, /<restlet\b[^>]*>/, '  <isinactive>false</isinactive>');
      return { rule: 'boolean-value', file, at: '<isinactive>false' };
    },
  },
  {
    name: 'a deployment flag written true instead of T',
    apply: (p) => {
      const file = p.objects('bundleinstallationscript')[0]!;
      if (/<isdeployed>/.test(p.read(file))) p.replace(file, /<isdeployed>[^<]*<\/isdeployed>/, '<isdeployed>true</isdeployed>');
      else p.insertInto(file, DEPLOYMENT, '      <isdeployed>true</isdeployed>');
      return { rule: 'boolean-value', file, at: '<isdeployed>true' };
    },
  },
  {
    name: 'a 50-character script name (at most 40)',
    apply: (p) => {
      const file = p.objects('restlet')[0]!;
      p.replace(file, /<name>[^<]*<\/name>/, `<name>${'SuiteBridge RESTlet name of fifty characters long!'}</name>`);
      return { rule: 'length-limit', file, at: '<name>SuiteBridge RESTlet' };
    },
  },
  {
    name: 'a custom record name of 41 characters',
    apply: (p) => {
      const file = p.objectMatching('customrecordtype', /<recordname>/);
      p.replace(file, /<recordname>[^<]*<\/recordname>/, `<recordname>${'R'.repeat(41)}</recordname>`);
      return { rule: 'length-limit', file, at: '<recordname>' };
    },
  },
  {
    name: 'role and custom record disagree on the permission level',
    apply: (p) => {
      const role = p.objectMatching('role', /<permkey>\[scriptid=customrecord_/);
      const roleId = /<role\s+scriptid="([^"]+)"/.exec(p.read(role))![1]!;
      const recordId = /<permkey>\[scriptid=(customrecord_[a-z0-9_]+)\]<\/permkey>/.exec(p.read(role))![1]!;
      const record = `Objects/${recordId}.xml`;
      const roleBlock = permissionBlocks(p.read(role)).find((b) => b.includes(`[scriptid=${recordId}]`));
      const roleLevel = /<permlevel>([A-Z]+)<\/permlevel>/.exec(roleBlock ?? '')?.[1];
      p.edit(record, (text) => {
        const block = permissionBlocks(text).find((b) => b.includes(`[scriptid=${roleId}]`));
        if (!block) throw new MutationNotApplicable(`${record} has no permission for ${roleId}`);
        return text.replace(block, block.replace(/<permittedlevel>[^<]*<\/permittedlevel>/, `<permittedlevel>${roleLevel === 'VIEW' ? 'FULL' : 'VIEW'}</permittedlevel>`));
      });
      return { rule: 'role-record-levels', file: role, at: `<permkey>[scriptid=${recordId}]` };
    },
  },
  {
    name: 'a made-up manifest feature',
    apply: (p) => {
      p.insertInto('manifest.xml', /<features>/, '      <feature required="false">SUITEBRIDGEMAGIC</feature>');
      return { rule: 'manifest-feature-ids', file: 'manifest.xml', at: 'SUITEBRIDGEMAGIC' };
    },
  },
  {
    name: 'a manifest feature in lower case',
    apply: (p) => {
      p.replace('manifest.xml', />SERVERSIDESCRIPTING</, '>serversidescripting<');
      return { rule: 'manifest-feature-ids', file: 'manifest.xml', at: 'serversidescripting' };
    },
  },
  {
    name: 'two RESTlet deployments with the same script ID',
    apply: (p) => {
      const [first, second] = p.objects('restlet');
      if (!second) throw new MutationNotApplicable('needs two RESTlets');
      const firstId = /<scriptdeployment\s+scriptid="([^"]+)"/.exec(p.read(first!))![1]!;
      p.replace(second, /(<scriptdeployment\s+scriptid=")[^"]+"/, `$1${firstId}"`);
      return { rule: 'script-id-unique', file: second, at: `scriptid="${firstId}"` };
    },
  },
  {
    name: 'two custom record fields with the same script ID',
    apply: (p) => {
      const file = p.objectMatching('customrecordtype', /<customrecordcustomfield\b[\s\S]*<customrecordcustomfield\b/);
      const ids = [...p.read(file).matchAll(/<customrecordcustomfield\s+scriptid="([^"]+)"/g)].map((m) => m[1]!);
      p.replace(file, new RegExp(`scriptid="${ids[1]}"`), `scriptid="${ids[0]}"`);
      return { rule: 'script-id-unique', file, at: `scriptid="${ids[0]}"`, occurrence: 1 };
    },
  },
  {
    name: 'an upper-case letter in a deployment script ID',
    apply: (p) => {
      const file = p.objects('restlet')[0]!;
      p.replace(file, /<scriptdeployment\s+scriptid="customdeploy_/, '<scriptdeployment scriptid="customdeploy_SBR');
      return { rule: 'script-id-syntax', file, at: 'customdeploy_SBR' };
    },
  },
  {
    name: 'a hyphen in a custom field script ID',
    apply: (p) => {
      const file = p.objectMatching('customrecordtype', /<customrecordcustomfield\b/);
      p.replace(file, /<customrecordcustomfield\s+scriptid="custrecord_/, '<customrecordcustomfield scriptid="custrecord-');
      return { rule: 'script-id-syntax', file, at: 'custrecord-' };
    },
  },
  {
    name: 'the bundle installation script loads a local module',
    apply: (p) => {
      const file = p.bisScriptFile();
      p.replace(file, /(define\(\s*\[[^\]]*)\]/, "$1, './lib/sbr_shared']");
      return { rule: 'bis-dependencies', file, at: "'./lib/sbr_shared'" };
    },
  },
  {
    name: 'the bundle installation script file is not Available for SuiteBundles',
    apply: (p) => {
      const script = p.bisScriptFile();
      const file = `${path.posix.dirname(script)}/.attributes/${path.posix.basename(script)}.attr.xml`;
      p.replace(file, /<bundleable>T<\/bundleable>/, '<bundleable>F</bundleable>');
      return { rule: 'bis-bundleable', file, at: '<bundleable>F' };
    },
  },
  {
    name: 'a Web Services Only role in a RESTlet audience',
    apply: (p) => {
      const role = p.objects('role')[0]!;
      const roleId = /<role\s+scriptid="([^"]+)"/.exec(p.read(role))![1]!;
      const restlet = p.objectMatching('restlet', new RegExp(`<audslctrole>[^<]*\\[scriptid=${roleId}\\]`));
      if (/<iswebserviceonlyrole>/.test(p.read(role))) p.replace(role, /<iswebserviceonlyrole>[^<]*</, '<iswebserviceonlyrole>T<');
      else p.insertInto(role, /<role\b[^>]*>/, '  <iswebserviceonlyrole>T</iswebserviceonlyrole>');
      return { rule: 'ws-only-role-audience', file: restlet, at: `<audslctrole>` };
    },
  },
  {
    name: 'an unknown permission key',
    apply: (p) => {
      const file = p.objects('role')[0]!;
      p.insertInto(file, /<permissions>/, '    <!-- why: mutation. -->\n    <permission>\n      <permkey>ADMI_OAUTH2_LOGIN</permkey>\n      <permlevel>FULL</permlevel>\n    </permission>');
      return { rule: 'permission-keys', file, at: '<permkey>ADMI_OAUTH2_LOGIN' };
    },
  },
  {
    name: 'a feature-dependent field (allpartners → CRM) without the feature in the manifest',
    apply: (p) => {
      const file = p.objects('restlet')[0]!;
      p.insertInto(file, DEPLOYMENT, '      <allpartners>F</allpartners>');
      if (/>CRM</.test(p.read('manifest.xml'))) p.replace('manifest.xml', /\s*<feature\b[^>]*>CRM<\/feature>/, '');
      return { rule: 'feature-dependencies', file, at: '<allpartners>' };
    },
  },
  {
    name: 'a feature-dependent record field (enablemailmerge → MAILMERGE) without the feature',
    apply: (p) => {
      const file = p.objects('customrecordtype')[0]!;
      if (/<enablemailmerge>/.test(p.read(file))) p.replace(file, /<enablemailmerge>[^<]*<\/enablemailmerge>/, '<enablemailmerge>F</enablemailmerge>');
      else p.insertInto(file, /<customrecordtype\b[^>]*>/, '  <enablemailmerge>F</enablemailmerge>');
      if (/>MAILMERGE</.test(p.read('manifest.xml'))) p.replace('manifest.xml', /\s*<feature\b[^>]*>MAILMERGE<\/feature>/, '');
      return { rule: 'feature-dependencies', file, at: '<enablemailmerge>' };
    },
  },
];

function permissionBlocks(text: string): string[] {
  return text.match(/<permission>(?:(?!<\/permission>)[\s\S])*<\/permission>/g) ?? [];
}

function lineOf(text: string, marker: string, occurrence = 0): number {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(marker, index + 1);
  if (index < 0) throw new Error(`marker ${JSON.stringify(marker)} not found in the mutated file`);
  return text.slice(0, index).split('\n').length;
}

describe('SDF mutation test: every single mistake made in a copy of src/ is caught by its rule', () => {
  let work: string;
  const copies: string[] = [];
  const freshCopy = (): Project => {
    const dir = mkdtempSync(path.join(work, 'src-'));
    cpSync(SRC, dir, { recursive: true, filter: (source) => !source.startsWith(path.join(SRC, 'TypeScripts')) });
    copies.push(dir);
    return new Project(dir);
  };

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'sbr-sdf-mutation-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('starts from a copy of src/ that validates with no error (run `npm run build:suitescript` first)', () => {
    const result = validateSdfProject(freshCopy().dir);
    expect(result.errors.map(formatFinding)).toEqual([]);
  });

  it(`has at least 20 distinct mutations (${MUTATIONS.length})`, () => {
    expect(new Set(MUTATIONS.map((m) => m.name)).size).toBe(MUTATIONS.length);
    expect(MUTATIONS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))('%s', (_name, mutation) => {
    const project = freshCopy();
    const expected = mutation.apply(project);
    const line = lineOf(project.read(expected.file), expected.at, expected.occurrence);
    const result = validateSdfProject(project.dir);
    expect(result.ok).toBe(false);
    const caught = result.errors.filter((f) => f.rule === expected.rule && f.file === expected.file);
    expect({ caught: caught.map(formatFinding), all: result.errors.map(formatFinding) }).toEqual(
      expect.objectContaining({ caught: expect.arrayContaining([expect.stringContaining(`[${expected.rule}] ${expected.file}:${line}: `)]) }),
    );
  });
});
