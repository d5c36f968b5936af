import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countDefineCalls, ENTRY_POINTS, exportedFunctions, readEntryHeader } from '../../tools/sdf/entryFile';
import { loadSdfProject } from '../../tools/sdf/project';
import { assertBuildFresh, builtEntryNames, loadBuiltScript, REPO_ROOT } from './helpers/builtScripts';
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
