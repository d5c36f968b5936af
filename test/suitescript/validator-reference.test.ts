/**
 * The reference-driven parts of the validator: source lines of elements, the reference data files, warnings, and
 * rule behaviour the broken fixtures do not pin down.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MANIFEST_FEATURE_IDS, objectTypeReference, PERMISSION_IDS, type StructureSpec } from '../../tools/sdf/referenceData';
import { formatFinding, validateSdfProject } from '../../tools/sdf/validate';
import { parseXml, startTagLines, type XmlElement } from '../../tools/sdf/xml';
import { compiledTool, REPO_ROOT } from './helpers/builtScripts';

const VALID = path.join(__dirname, 'fixtures/sdf/valid');
const REFERENCE_DIR = path.join(REPO_ROOT, 'tools/sdf/reference');

describe('element lines', () => {
  it('counts start tags only, skipping the declaration, comments, CDATA and closing tags', () => {
    const text = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!-- <fake> in a comment',
      '     spanning lines -->',
      '<role scriptid="customrole_x">',
      '  <name><![CDATA[<not-a-tag>]]></name>',
      '  <permissions><permission>',
      '      <permkey',
      '        >ADMI_LOGIN_OAUTH2</permkey></permission>',
      '  </permissions>',
      '</role>',
    ].join('\n');
    expect(startTagLines(text)).toEqual([4, 5, 6, 6, 7]);
    const root = parseXml(text);
    const lines = (e: XmlElement): string[] => [`${e.name}@${e.line}`, ...e.children.flatMap((c) => (c.kind === 'element' ? lines(c) : []))];
    expect(lines(root)).toEqual(['role@4', 'name@5', 'permissions@6', 'permission@6', 'permkey@7']);
  });

  it('matches the lines of the real project files', () => {
    const dir = path.join(REPO_ROOT, 'src/Objects');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const sourceLines = text.split('\n');
      const check = (e: XmlElement) => {
        expect(`${file}:${e.line}: ${sourceLines[e.line - 1]}`).toContain(`<${e.name}`);
        e.children.forEach((c) => c.kind === 'element' && check(c));
      };
      check(parseXml(text));
    }
  });
});

describe('reference data (tools/sdf/reference)', () => {
  it('records its source in every file', () => {
    for (const file of readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.json'))) {
      const data = JSON.parse(readFileSync(path.join(REFERENCE_DIR, file), 'utf8')) as { source?: Record<string, unknown> };
      expect(JSON.stringify(data.source)).toMatch(/docs\.oracle\.com|help/);
      expect(JSON.stringify(data.source)).toMatch(/"commit":"[0-9a-f]{40}"/);
    }
  });

  it('holds the facts the project depends on', () => {
    const children = (type: string, ...pathInside: string[]) => {
      let spec = objectTypeReference(type)!.root;
      for (const name of pathInside) spec = spec.children![name] as StructureSpec;
      return spec.children!;
    };
    expect(children('bundleinstallationscript')['notifyuser']).toBeUndefined();
    expect(children('restlet')['notifyuser']).toMatchObject({ kind: 'boolean' });
    expect(children('restlet')['name']).toMatchObject({ required: true, maxLength: 40 });
    expect(children('restlet', 'scriptdeployments', 'scriptdeployment')['status']).toMatchObject({ required: true, values: expect.arrayContaining(['RELEASED', 'TESTING']) });
    expect(children('restlet', 'scriptdeployments', 'scriptdeployment')['allpartners']).toMatchObject({ feature: 'CRM' });
    expect(children('role')['iswebserviceonlyrole']).toMatchObject({ kind: 'boolean', feature: 'WEBSERVICES' });
    expect(children('role', 'permissions', 'permission')['permlevel']).toMatchObject({ values: ['CREATE', 'EDIT', 'FULL', 'NONE', 'VIEW'] });
    expect(children('customrecordtype')['enabledle']).toMatchObject({ feature: 'EXTREMELIST' });
    expect(children('customrecordtype')['enablemailmerge']).toMatchObject({ feature: 'MAILMERGE' });
    expect(children('customrecordtype')['enablenametranslation']).toMatchObject({ feature: 'MULTILANGUAGE' });
    expect(children('customrecordtype', 'customrecordcustomfields', 'customrecordcustomfield')['selectrecordtype']).toMatchObject({
      requiredWhen: { sibling: 'fieldtype', equals: ['SELECT', 'MULTISELECT'] },
    });
    for (const feature of ['SERVERSIDESCRIPTING', 'CUSTOMRECORDS', 'OAUTH2', 'RESTWEBSERVICES', 'CRM', 'EXTREMELIST', 'MAILMERGE', 'MULTILANGUAGE', 'WEBSERVICES']) {
      expect(MANIFEST_FEATURE_IDS.has(feature)).toBe(true);
    }
    expect(MANIFEST_FEATURE_IDS.has('MANUFACTURING')).toBe(false);
    for (const key of ['ADMI_LOGIN_OAUTH2', 'ADMI_RESTWEBSERVICES', 'REPO_ANALYTICS', 'LIST_CUSTRECORDENTRY']) expect(PERMISSION_IDS.has(key)).toBe(true);
    expect(PERMISSION_IDS.has('ADMI_MANAGE_OWN_OAUTH2_CERTS')).toBe(false);
  });
});

describe('rules on a scratch copy of the valid fixture', () => {
  let dir: string;
  const edit = (file: string, from: string | RegExp, to: string) => {
    const full = path.join(dir, file);
    const text = readFileSync(full, 'utf8');
    const changed = text.replace(from, to);
    if (changed === text) throw new Error(`${file}: ${String(from)} not found`);
    writeFileSync(full, changed);
  };
  const report = () => validateSdfProject(dir).findings.map(formatFinding);
  const ROLE = 'Objects/customrole_sbr_integration.xml';
  const RECORD = 'Objects/customrecord_sbr_config.xml';
  const RESTLET = 'Objects/customscript_sbr_rl_ping.xml';

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sbr-sdf-ref-'));
    cpSync(VALID, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the UNCERTAIN permission key with a warning that says how to confirm it; the CLI exits 0 and prints it', () => {
    edit(ROLE, '  </permissions>', '    <!-- why: rotate own certificates. -->\n    <permission>\n      <permkey>ADMI_MANAGE_OWN_OAUTH2_CERTS</permkey>\n      <permlevel>FULL</permlevel>\n    </permission>\n  </permissions>');
    const result = validateSdfProject(dir);
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([expect.objectContaining({ rule: 'permission-keys', file: ROLE, line: 17, severity: 'warning' })]);
    expect(result.warnings[0]!.message).toMatch(/UNCERTAIN.*sandbox.*Deployment Audit Trail.*Manage Roles/);
    const run = spawnSync(process.execPath, [compiledTool('validate-cli'), '--project', dir], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`warning [permission-keys] ${ROLE}:17: permkey ADMI_MANAGE_OWN_OAUTH2_CERTS`);
    expect(run.stdout).toContain('rules passed with 1 warning(s)');
  });

  it('permission-keys: a bare custom record ID is a warning that asks for the [scriptid=…] form', () => {
    edit(ROLE, '<permkey>[scriptid=customrecord_sbr_config]</permkey>', '<permkey>customrecord_sbr_config</permkey>');
    const result = validateSdfProject(dir);
    expect(result.warnings.map(formatFinding)).toEqual([
      `warning [permission-keys] ${ROLE}:12: permkey customrecord_sbr_config names a custom object without the reference syntax; whether SDF resolves the bare ID is UNCERTAIN. Write [scriptid=customrecord_sbr_config].`,
    ]);
    expect(result.errors.filter((f) => f.rule === 'role-record-levels')).toEqual([]);
  });

  it('role-record-levels: a record that gives a role access the role does not ask for', () => {
    edit(ROLE, /\s*<!-- why: reads and writes the config record. -->\s*<permission>\s*<permkey>\[scriptid=customrecord_sbr_config\]<\/permkey>\s*<permlevel>EDIT<\/permlevel>\s*<\/permission>/, '');
    expect(report()).toEqual([expect.stringMatching(new RegExp(`^\\[role-record-levels\\] ${RECORD}:13: gives \\[scriptid=customrole_sbr_integration\\] EDIT, but ${ROLE} has no permission`))]);
  });

  it('required-element: selectrecordtype becomes required when the field is a SELECT', () => {
    edit(RECORD, '<fieldtype>TEXT</fieldtype>', '<fieldtype>SELECT</fieldtype>');
    expect(report()).toEqual([`[required-element] ${RECORD}:5: <customrecordcustomfield> (customrecordtype > customrecordcustomfields > customrecordcustomfield) lacks <selectrecordtype>, which is required when <fieldtype> is SELECT. Add <selectrecordtype>…</selectrecordtype>.`]);
  });

  it('required-element: a deployment without a scriptid attribute', () => {
    edit(RESTLET, '<scriptdeployment scriptid="customdeploy_sbr_rl_ping">', '<scriptdeployment>');
    expect(report()).toContainEqual(expect.stringContaining(`[required-element] ${RESTLET}:5: <scriptdeployment> (restlet > scriptdeployments > scriptdeployment) lacks the scriptid attribute`));
  });

  it('enum-value: accepts [scriptid=…] references where the field takes them, checks each |-separated audience value', () => {
    edit(RESTLET, '[scriptid=customrole_sbr_integration]|ADMINISTRATOR', '[scriptid=customrole_sbr_integration]|Administrator');
    expect(report()).toEqual([`[enum-value] ${RESTLET}:6: <audslctrole> (restlet > scriptdeployments > scriptdeployment > audslctrole): "Administrator" must be written ADMINISTRATOR (values are case-sensitive).`]);
  });

  it('unknown-element: a value field that holds elements', () => {
    edit(RESTLET, '<title>Fixture ping</title>', '<title><name>Fixture ping</name></title>');
    expect(report()).toEqual([`[unknown-element] ${RESTLET}:8: <name> inside <title> (restlet > scriptdeployments > scriptdeployment > title): <title> holds a value, not elements. Remove <name>.`]);
  });

  it('unknown-element: warns (does not fail) on an object type without reference data', () => {
    writeFileSync(path.join(dir, 'Objects/custinteg_sbr_app.xml'), '<integration scriptid="custinteg_sbr_app">\n</integration>\n');
    const result = validateSdfProject(dir);
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatFinding)).toEqual([expect.stringMatching(/^warning \[unknown-element\] Objects\/custinteg_sbr_app\.xml:1: <integration> is not an object type the validator has reference data for/)]);
  });

  it('manifest-feature-ids: required must be true or false', () => {
    edit('manifest.xml', '<feature required="true">CUSTOMRECORDS</feature>', '<feature required="yes">CUSTOMRECORDS</feature>');
    expect(report()).toContainEqual(`[manifest-feature-ids] manifest.xml:7: feature "CUSTOMRECORDS" has required="yes"; write required="true" (deploy fails without the feature) or required="false".`);
  });

  it('bis-dependencies: accepts N/* and the AMD names exports/require, reports an absolute File Cabinet module', () => {
    const bis = 'FileCabinet/SuiteScripts/fixture/sbr_bis_ping.js';
    edit(bis, "define(['N/log'], function (log) {", "define(['require', 'exports', 'N/log'], function (require, exports, log) {");
    expect(report()).toEqual([]);
    edit(bis, "'N/log']", "'N/log',\n  '/SuiteScripts/fixture/lib.js']");
    expect(report()).toEqual([expect.stringMatching(new RegExp(`^\\[bis-dependencies\\] ${bis}:7: loads "/SuiteScripts/fixture/lib.js"`))]);
  });

  it('file-attributes: an attribute file for a file that does not exist, and one with the wrong root', () => {
    const attributes = 'FileCabinet/SuiteScripts/fixture/.attributes';
    writeFileSync(path.join(dir, attributes, 'gone.js.attr.xml'), '<file>\n  <bundleable>T</bundleable>\n</file>\n');
    writeFileSync(path.join(dir, attributes, 'sbr_rl_ping.js.attr.xml'), '<folder>\n  <bundleable>T</bundleable>\n</folder>\n');
    expect(report()).toEqual([
      `[file-attributes] ${attributes}/gone.js.attr.xml:1: describes FileCabinet/SuiteScripts/fixture/gone.js, which does not exist. Remove the attribute file or rename it after its file.`,
      `[file-attributes] ${attributes}/sbr_rl_ping.js.attr.xml:1: root element is <folder>; an attribute file for a file has <file>.`,
    ]);
  });

  it('bis-bundleable: no attribute file at all names the object, its scriptfile line and the file to add', () => {
    rmSync(path.join(dir, 'FileCabinet/SuiteScripts/fixture/.attributes'), { recursive: true });
    expect(report()).toEqual([
      '[bis-bundleable] Objects/customscript_sbr_bis_ping.xml:3: FileCabinet/SuiteScripts/fixture/sbr_bis_ping.js is not marked Available for SuiteBundles, so Bundle Builder cannot include the installation script: it needs FileCabinet/SuiteScripts/fixture/.attributes/sbr_bis_ping.js.attr.xml holding <file><bundleable>T</bundleable></file>.',
    ]);
  });

  it('script-id-unique: object IDs compare case-insensitively across objects, deployments and fields', () => {
    edit(RECORD, 'scriptid="custrecord_sbr_config_key"', 'scriptid="customdeploy_sbr_rl_ping"');
    expect(report()).toContainEqual(
      `[script-id-unique] ${RESTLET}:5: <scriptdeployment> scriptid "customdeploy_sbr_rl_ping" is already used by <customrecordcustomfield> at ${RECORD}:5; script IDs are unique in an account. Give one of them another ID.`,
    );
  });
});
