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
    ]);
    expect(project.deploy.sections).toEqual([
      { kind: 'files', paths: ['~/FileCabinet/SuiteScripts/suitebridge/*'] },
      { kind: 'objects', paths: ['~/Objects/*'] },
    ]);
  });

  it('has the four RESTlets, each with one released deployment for the app role and Administrator', () => {
    expect(project.restlets.map((r) => r.scriptId).sort()).toEqual(RESTLETS.map((n) => `customscript_sbr_rl_${n}`));
    for (const name of RESTLETS) {
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
          audience: { allRoles: false, allEmployees: false, allPartners: false, roles: ['[scriptid=customrole_sbr_integration]', 'ADMINISTRATOR'] },
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
