import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { buildSdfZip } from '../../tools/sdf/package';
import { compiledTool, REPO_ROOT } from './helpers/builtScripts';


function runCli(args: string[]) {
  return spawnSync(process.execPath, [compiledTool('package-cli'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('npm run package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sbr-pkg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('zips manifest, deploy.xml and exactly what deploy.xml lists (file attributes included), byte for byte', () => {
    const out = path.join(dir, 'suitebridge-sdf.zip');
    const run = runCli(['--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const entries = unzipSync(new Uint8Array(readFileSync(out)));
    const names = Object.keys(entries).sort();
    expect(names).toEqual(
      [
        'manifest.xml',
        'deploy.xml',
        ...['bis_install', 'rl_config', 'rl_health', 'rl_install_check', 'rl_setup'].flatMap((n) => [
          `FileCabinet/SuiteScripts/suitebridge/sbr_${n}.js`,
          `FileCabinet/SuiteScripts/suitebridge/.attributes/sbr_${n}.js.attr.xml`,
        ]),
        ...[
          'customrecord_sbr_config',
          'customrole_sbr_integration',
          'customscript_sbr_bis_install',
          'customscript_sbr_rl_config',
          'customscript_sbr_rl_health',
          'customscript_sbr_rl_install_check',
          'customscript_sbr_rl_setup',
        ].map((n) => `Objects/${n}.xml`),
      ].sort(),
    );
    expect(names.some((n) => n.includes('TypeScripts') || n.endsWith('.ts'))).toBe(false);
    for (const name of names) {
      expect(Buffer.from(entries[name]!).equals(readFileSync(path.join(REPO_ROOT, 'src', name)))).toBe(true);
    }
  });

  it('is reproducible', () => {
    const a = buildSdfZip(path.join(REPO_ROOT, 'src')).zip;
    const b = buildSdfZip(path.join(REPO_ROOT, 'src')).zip;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('packages only deployed files of a project', () => {
    const fixture = path.join(__dirname, 'fixtures/sdf/broken/deploy-coverage');
    expect(buildSdfZip(fixture).files).toEqual([
      'manifest.xml',
      'deploy.xml',
      'FileCabinet/SuiteScripts/fixture/sbr_rl_ping.js',
      'Objects/customrecord_sbr_config.xml',
      'Objects/customrole_sbr_integration.xml',
      'Objects/customscript_sbr_bis_ping.xml',
      'Objects/customscript_sbr_rl_ping.xml',
    ]);
  });

  it('refuses to package a project that does not validate, and writes nothing', () => {
    const out = path.join(dir, 'x.zip');
    const run = runCli(['--project', path.join(__dirname, 'fixtures/sdf/broken/role-permissions'), '--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('[role-permissions] Objects/customrole_sbr_integration.xml');
    expect(existsSync(out)).toBe(false);
  });
});
