import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatFinding, RULES, validateSdfProject } from '../../tools/sdf/validate';
import { compiledTool, REPO_ROOT } from './helpers/builtScripts';

const FIXTURES = path.join(__dirname, 'fixtures/sdf');
const VALID = path.join(FIXTURES, 'valid');
const BROKEN = path.join(FIXTURES, 'broken');

interface BrokenFixture {
  name: string;
  rule: string;
  file: string;
  /** Line of the mistake in file, counted by hand from the fixture. */
  line: number;
  message: string;
  broken: string;
}

const brokenFixtures: BrokenFixture[] = readdirSync(BROKEN)
  .sort()
  .map((name) => ({ name, ...(JSON.parse(readFileSync(path.join(BROKEN, name, 'BROKEN.json'), 'utf8')) as Omit<BrokenFixture, 'name'>) }));

function runCli(args: string[]) {
  return spawnSync(process.execPath, [compiledTool('validate-cli'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

describe('offline SDF validator', () => {
  it('passes the real project (src/) with every rule: no error, and no warning but the UNCERTAIN permission key', () => {
    const result = validateSdfProject(path.join(REPO_ROOT, 'src'));
    expect(result.errors.map(formatFinding)).toEqual([]);
    expect(result.ok).toBe(true);
    for (const warning of result.warnings) {
      expect(warning).toMatchObject({ rule: 'permission-keys', file: 'Objects/customrole_sbr_integration.xml' });
      expect(warning.message).toContain('ADMI_MANAGE_OWN_OAUTH2_CERTS');
    }
    expect(result.rulesRun).toEqual(RULES.map((r) => r.id));
  });

  it('passes the minimal valid fixture', () => {
    expect(validateSdfProject(VALID).findings.map(formatFinding)).toEqual([]);
  });

  it('has a broken fixture for every rule', () => {
    const covered = new Set(brokenFixtures.map((f) => f.rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  describe.each(brokenFixtures)('broken fixture $name ($broken)', (fixture) => {
    it(`fails rule ${fixture.rule} only, naming ${fixture.file}:${fixture.line}`, () => {
      const { ok, findings } = validateSdfProject(path.join(BROKEN, fixture.name));
      expect(ok).toBe(false);
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.map((f) => f.rule)).toEqual(findings.map(() => fixture.rule));
      expect(findings.every((f) => f.severity !== 'warning')).toBe(true);
      const atMistake = findings.filter((f) => f.file === fixture.file && f.line === fixture.line);
      expect(atMistake.map((f) => f.message).join('\n')).toContain(fixture.message);
    });

    it('makes the CLI exit non-zero with a message naming the rule, the file and the line', () => {
      const run = runCli(['--project', path.join(BROKEN, fixture.name)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`[${fixture.rule}] ${fixture.file}:${fixture.line}: `);
    });
  });

  it('CLI exits 0 on the valid fixture and lists the rules it ran', () => {
    const run = runCli(['--project', VALID]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${RULES.length} rules passed`);
  });

  it('CLI rejects an option without a value', () => {
    const run = runCli(['--project']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--project needs a value');
  });

  describe('on a scratch copy of the valid fixture', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'sbr-sdf-'));
      cpSync(VALID, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reports a deploy.xml path that matches nothing', () => {
      const deploy = path.join(dir, 'deploy.xml');
      writeFileSync(deploy, readFileSync(deploy, 'utf8').replace('</files>', '<path>~/FileCabinet/SuiteScripts/gone/*</path></files>'));
      expect(validateSdfProject(dir).findings.map(formatFinding)).toEqual([
        '[deploy-coverage] deploy.xml:4: <files> path "~/FileCabinet/SuiteScripts/gone/*" matches no file; SDF fails on it. Build first or remove the path.',
      ]);
    });

    it('reports a files path outside FileCabinet (such as the TypeScript sources)', () => {
      const deploy = path.join(dir, 'deploy.xml');
      writeFileSync(deploy, readFileSync(deploy, 'utf8').replace('</files>', '<path>~/TypeScripts/*</path></files>'));
      expect(validateSdfProject(dir).findings.map((f) => f.message)).toEqual(['<files> path "~/TypeScripts/*" must start with ~/FileCabinet/.']);
    });

    it('reports a released RESTlet deployment without an audience', () => {
      const file = path.join(dir, 'Objects/customscript_sbr_rl_ping.xml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/<audslctrole>.*<\/audslctrole>/, ''));
      expect(validateSdfProject(dir).findings.map(formatFinding)).toEqual([
        '[audience-roles] Objects/customscript_sbr_rl_ping.xml:7: deployment customdeploy_sbr_rl_ping is RELEASED with no audience: set audslctrole.',
      ]);
    });

    it('uses the project prefix it is given', () => {
      expect(validateSdfProject(dir, { prefix: 'acme' }).findings.every((f) => f.rule === 'id-prefix')).toBe(true);
      expect(validateSdfProject(dir, { prefix: 'acme' }).findings.length).toBeGreaterThan(0);
    });
  });
});
