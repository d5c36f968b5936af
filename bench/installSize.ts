/**
 * `npm run bench`, install section: what a vendor pays to add the core package. Packs the packages
 * (tools/packages/build.mjs), installs the core tarball into a scratch project with an empty npm cache (a fresh
 * machine: every dependency comes from the registry), and reports the time, the installed size, the package count,
 * whether any native module was built, and how long `require('suitebridge')` takes there.
 * SUITEBRIDGE_BENCH_SKIP_INSTALL=1 leaves the section out (no registry access).
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderTable } from './table';

const ROOT = join(__dirname, '..', '..');
const TIME_GOAL_S = 15;
const SIZE_GOAL_MB = 5;

export interface InstallMeasure {
  seconds: number;
  /** Sum of file sizes under node_modules (what `du --apparent-size` reports). */
  bytes: number;
  packages: number;
  /** Installed packages that run an install script or ship a compiled addon. */
  native: string[];
  requireMs: number;
}

function apparentSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) total += apparentSize(file);
    else total += lstatSync(file).size;
  }
  return total;
}

export function nativePackages(project: string): string[] {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
  const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([path]) => path.replace(/^.*node_modules\//, ''));
  const addons = execFileSync('find', [join(project, 'node_modules'), '-name', '*.node', '-o', '-name', 'binding.gyp'], { encoding: 'utf8' })
    .split('\n').filter((l) => l !== '').map((l) => l.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1'));
  return [...new Set([...withScripts, ...addons])].sort();
}

/** Installs `tarball` into a new project with an empty npm cache and measures it. */
export function measureInstall(tarball: string): InstallMeasure {
  const project = mkdtempSync(join(tmpdir(), 'sb-install-'));
  const cache = mkdtempSync(join(tmpdir(), 'sb-npm-cache-'));
  try {
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'install-size', version: '1.0.0', private: true }));
    const started = performance.now();
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--cache', cache, tarball], { cwd: project, stdio: 'ignore' });
    const seconds = (performance.now() - started) / 1000;
    const modules = join(project, 'node_modules');
    const packages = readdirSync(modules).flatMap((name) => (name.startsWith('@') ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : name.startsWith('.') ? [] : [name]));
    const requireMs = Number(execFileSync(process.execPath, ['-e', "const t = process.hrtime.bigint(); require('suitebridge'); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))"], { cwd: project, encoding: 'utf8' }));
    return { seconds, bytes: apparentSize(modules), packages: packages.length, native: nativePackages(project), requireMs };
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

/** The bench section: packs the packages, measures the core install, returns the table. */
export function installSizeSection(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SUITEBRIDGE_BENCH_SKIP_INSTALL === '1') return '';
  execFileSync(process.execPath, [join(ROOT, 'tools', 'packages', 'build.mjs')], { cwd: ROOT, stdio: 'ignore' });
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const m = measureInstall(join(ROOT, 'dist', 'packages', `suitebridge-${version}.tgz`));
  const mb = m.bytes / 1024 / 1024;
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  return `\nInstalling the core package (npm install <suitebridge tarball>, empty npm cache, ${m.packages} packages)\n\n` + renderTable(['Measure', 'Result', 'Goal', 'Met'], [
    ['Install time', `${m.seconds.toFixed(1)} s`, `< ${TIME_GOAL_S} s`, met(m.seconds < TIME_GOAL_S)],
    ['Installed size (node_modules, apparent)', `${mb.toFixed(2)} MB`, `< ${SIZE_GOAL_MB} MB`, met(mb < SIZE_GOAL_MB)],
    ['Native modules built', m.native.length === 0 ? 'none' : m.native.join(', '), 'none', met(m.native.length === 0)],
    ["require('suitebridge')", `${m.requireMs.toFixed(0)} ms`, '', ''],
  ]) + '\n';
}
