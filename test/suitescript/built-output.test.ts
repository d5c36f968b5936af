import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { countDefineCalls, ENTRY_POINTS, exportedFunctions, readEntryHeader } from '../../tools/sdf/entryFile';
import { loadSdfProject } from '../../tools/sdf/project';
import { assertBuildFresh, BUILT_DIR, builtEntryNames, loadBuiltScript, REPO_ROOT } from './helpers/builtScripts';
import { mockNetSuiteModules } from './helpers/fakeAccountScript';

mockNetSuiteModules();

const project = loadSdfProject(path.join(REPO_ROOT, 'src'));
const EXPECTED_TYPE = { restlet: 'Restlet', bundleinstallationscript: 'BundleInstallationScript' } as const;

describe.each(project.scripts.map((s) => [s.scriptId, s] as const))('built entry file of %s', (_id, script) => {
  const name = path.basename(script.scriptFile, '.js');
  const source = () => readFileSync(assertBuildFresh(name), 'utf8');

  it('starts with the JSDoc header of its object type', () => {
    expect(source().startsWith('/**\n')).toBe(true);
    expect(readEntryHeader(source())).toEqual({ apiVersion: '2.1', scriptType: EXPECTED_TYPE[script.type], moduleScope: 'SameAccount' });
  });

  it('holds exactly one anonymous define with N/* (and exports) as its only dependencies', () => {
    expect(countDefineCalls(source())).toBe(1);
    const deps = /define\(\[([^\]]*)\]/.exec(source())?.[1]?.split(',').map((d) => d.trim().replace(/'/g, '')) ?? [];
    expect(deps.length).toBeGreaterThan(0);
    for (const dep of deps) expect(dep === 'exports' || dep.startsWith('N/')).toBe(true);
  });

  it('exposes only entry points of its type, seen the same way by a bare AMD loader and by the Oracle jest transform', () => {
    const sandboxed = exportedFunctions(source(), name);
    const viaJest = Object.keys(loadBuiltScript<Record<string, unknown>>(name)).sort();
    expect(sandboxed).toEqual(viaJest);
    expect(sandboxed.length).toBeGreaterThan(0);
    for (const entry of sandboxed) expect(ENTRY_POINTS[script.type]).toContain(entry);
  });
});

it('every TypeScript entry has an object, and every object an entry', () => {
  expect(builtEntryNames()).toEqual(project.scripts.map((s) => path.basename(s.scriptFile, '.js')).sort());
});

it('inlines the local modules the bundle installation script uses (it cannot load custom modules)', () => {
  const source = readFileSync(assertBuildFresh('sbr_bis_install'), 'utf8');
  expect(source).not.toMatch(/['"]\.\.?\//);
  expect(source).toContain('cert.max_active');
});

describe('.attributes: every built file is Available for SuiteBundles', () => {
  const attributesDir = path.join(BUILT_DIR, '.attributes');

  it('the build writes <file>.js.attr.xml with bundleable T for each built file, and nothing else', () => {
    const built = builtEntryNames().map((name) => path.basename(assertBuildFresh(name)));
    expect(readdirSync(attributesDir).sort()).toEqual(built.map((file) => `${file}.attr.xml`).sort());
    for (const file of built) {
      const xml = readFileSync(path.join(attributesDir, `${file}.attr.xml`), 'utf8');
      expect(xml).toBe('<file>\n  <bundleable>T</bundleable>\n</file>\n');
    }
  });

  it('the bundle installation script file and every RESTlet file is covered (Bundle Builder offers only bundleable files)', () => {
    for (const script of project.scripts) {
      expect(existsSync(path.join(attributesDir, `${path.basename(script.scriptFile)}.attr.xml`))).toBe(true);
    }
  });
});

describe('tools/build-suitescript.mjs --out', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(path.join(tmpdir(), 'sbr-build-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  const build = (args: string[]) =>
    spawnSync(process.execPath, [path.join(REPO_ROOT, 'tools/build-suitescript.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

  it('removes stale files and stale attributes of a previous build', () => {
    mkdirSync(path.join(out, '.attributes'));
    writeFileSync(path.join(out, 'sbr_rl_gone.js'), 'define([], function () {});\n');
    writeFileSync(path.join(out, '.attributes', 'sbr_rl_gone.js.attr.xml'), '<file>\n  <bundleable>T</bundleable>\n</file>\n');
    const run = build(['--out', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const names = builtEntryNames();
    expect(readdirSync(out).sort()).toEqual(['.attributes', ...names.map((n) => `${n}.js`)].sort());
    expect(readdirSync(path.join(out, '.attributes')).sort()).toEqual(names.map((n) => `${n}.js.attr.xml`).sort());
    expect(run.stdout).toContain(`marked ${names.length} files Available for SuiteBundles`);
  });

  it('refuses to wipe a directory holding files the build did not write', () => {
    writeFileSync(path.join(out, 'notes.txt'), 'keep me');
    const run = build(['--out', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/holds notes\.txt, which the build did not write; refusing to delete it/);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});
