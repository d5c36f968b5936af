import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSdfProject, readSdfProject, SdfProjectError } from '../../tools/sdf/project';
import { REPO_ROOT } from './helpers/builtScripts';

const SRC = path.join(REPO_ROOT, 'src');
const RESTLETS = ['config', 'health', 'install_check', 'setup'];

describe('loadSdfProject on src/ (the contract in docs/architecture.md)', () => {
  const project = loadSdfProject(SRC);

  it('reads the manifest and deploy.xml', () => {
    expect(project.manifest).toMatchObject({ projectType: 'ACCOUNTCUSTOMIZATION', frameworkVersion: '1.0' });
    expect(project.manifest.features).toEqual([
      { id: 'SERVERSIDESCRIPTING', required: true },
      { id: 'CUSTOMRECORDS', required: true },
      { id: 'EXTREMELIST', required: false },
      { id: 'WEBSERVICES', required: false },
    ]);
    expect(project.deploy.sections).toEqual([
      { kind: 'files', paths: ['~/FileCabinet/SuiteScripts/suitebridge/*'] },
      { kind: 'objects', paths: ['~/Objects/*'] },
    ]);
  });

  it('has the four RESTlets, each with one released deployment; setup for Administrator only, the others also for the app role', () => {
    expect(project.restlets.map((r) => r.scriptId).sort()).toEqual(RESTLETS.map((n) => `customscript_sbr_rl_${n}`));
    for (const name of RESTLETS) {
      const roles = name === 'setup' ? ['ADMINISTRATOR'] : ['[scriptid=customrole_sbr_integration]', 'ADMINISTRATOR'];
      const restlet = project.restlets.find((r) => r.scriptId === `customscript_sbr_rl_${name}`)!;
      expect(restlet.scriptFile).toBe(`/SuiteScripts/suitebridge/sbr_rl_${name}.js`);
      expect(restlet.scriptFileLocal).toBe(path.join(SRC, 'FileCabinet/SuiteScripts/suitebridge', `sbr_rl_${name}.js`));
      expect(restlet.deployments).toEqual([
        {
          scriptId: `customdeploy_sbr_rl_${name}`,
          title: expect.any(String),
          status: 'RELEASED',
          isDeployed: true,
          logLevel: 'AUDIT',
          audience: { allRoles: false, allEmployees: false, allPartners: false, roles },
          runAsRole: undefined,
        },
      ]);
    }
  });

  it('has the bundle installation script', () => {
    expect(project.bundleInstallationScripts).toEqual([
      expect.objectContaining({
        scriptId: 'customscript_sbr_bis_install',
        scriptFile: '/SuiteScripts/suitebridge/sbr_bis_install.js',
        deployments: [expect.objectContaining({ scriptId: 'customdeploy_sbr_bis_install', status: 'RELEASED', runAsRole: 'ADMINISTRATOR' })],
      }),
    ]);
  });

  it('the bundle installation script sets only fields bundleinstallationscript has (no notifyuser)', () => {
    const xml = readFileSync(path.join(SRC, 'Objects/customscript_sbr_bis_install.xml'), 'utf8');
    expect(xml).toContain('<notifyowner>T</notifyowner>');
    expect(xml).not.toMatch(/notifyuser/);
  });

  it('the app role is not Web Services Only (such a role is refused on RESTlets)', () => {
    expect(project.roles.find((r) => r.scriptId === 'customrole_sbr_integration')?.webServiceOnly).toBe(false);
    const xml = readFileSync(path.join(SRC, 'Objects/customrole_sbr_integration.xml'), 'utf8');
    expect(xml).toContain('<iswebserviceonlyrole>F</iswebserviceonlyrole>');
  });

  it('declares the feature of every feature-dependent field it sets, and sets none whose default is already right', () => {
    const objects = ['customrecord_sbr_config', 'customrole_sbr_integration', ...RESTLETS.map((n) => `customscript_sbr_rl_${n}`)]
      .map((id) => readFileSync(path.join(SRC, `Objects/${id}.xml`), 'utf8'))
      .join('\n');
    const declared = new Set(project.manifest.features.map((f) => f.id));
    // field → feature it depends on (SDF XML reference); the first two are set on purpose, the rest are left out.
    const dependent: Record<string, string> = {
      enabledle: 'EXTREMELIST',
      iswebserviceonlyrole: 'WEBSERVICES',
      enablemailmerge: 'MAILMERGE',
      enablenametranslation: 'MULTILANGUAGE',
      allpartners: 'CRM',
    };
    const used = Object.keys(dependent).filter((field) => objects.includes(`<${field}>`));
    expect(used).toEqual(['enabledle', 'iswebserviceonlyrole']);
    for (const field of used) expect(declared.has(dependent[field]!)).toBe(true);
    expect(project.manifest.features.filter((f) => ['EXTREMELIST', 'WEBSERVICES'].includes(f.id)).every((f) => !f.required)).toBe(true);
  });

  it('does not require OAUTH2 or RESTWEBSERVICES in the manifest, and says why', () => {
    const ids = project.manifest.features.map((f) => f.id);
    expect(ids).not.toContain('OAUTH2');
    expect(ids).not.toContain('RESTWEBSERVICES');
    expect(readFileSync(path.join(SRC, 'manifest.xml'), 'utf8')).toMatch(/OAUTH2 and RESTWEBSERVICES are deliberately not declared/);
  });

  it('has the config record type with its two fields', () => {
    expect(project.customRecordTypes).toEqual([
      expect.objectContaining({
        scriptId: 'customrecord_sbr_config',
        fields: [
          { scriptId: 'custrecord_sbr_config_key', label: 'Key', fieldType: 'TEXT' },
          { scriptId: 'custrecord_sbr_config_value', label: 'Value', fieldType: 'CLOBTEXT' },
        ],
      }),
    ]);
  });
});

describe('readSdfProject / loadSdfProject on a broken project', () => {
  const broken = path.join(__dirname, 'fixtures/sdf/broken/xml-well-formed');

  it('readSdfProject reports the unreadable file and keeps the rest', () => {
    const { project, problems } = readSdfProject(broken);
    expect(problems).toEqual([{ file: 'Objects/customscript_sbr_rl_ping.xml', message: expect.stringMatching(/^not well-formed XML: line \d+/) }]);
    expect(project.objects.map((o) => o.scriptId).sort()).toEqual(['customrecord_sbr_config', 'customrole_sbr_integration', 'customscript_sbr_bis_ping']);
  });

  it('loadSdfProject throws SdfProjectError naming the file', () => {
    expect(() => loadSdfProject(broken)).toThrow(SdfProjectError);
    expect(() => loadSdfProject(broken)).toThrow(/Objects\/customscript_sbr_rl_ping\.xml: not well-formed XML/);
  });

  it('loadSdfProject names a missing manifest', () => {
    expect(() => loadSdfProject(path.join(__dirname, 'fixtures'))).toThrow(/manifest\.xml: file not found/);
  });
});
