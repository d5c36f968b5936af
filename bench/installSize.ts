/**
 * `npm run bench`, install section: what a vendor pays to add the core package. Packs the packages
 * (tools/packages/build.mjs), installs the core tarball into a scratch project with an empty npm cache (a fresh
 * machine: every dependency comes from the registry), and reports the time, the installed size, the package count,
 * whether any native module was built, and how long `require('suitebridge')` takes there. Beside it, for
 * comparison, the repository's own development install (`npm ci` on a copy of package.json and package-lock.json).
 * SUITEBRIDGE_BENCH_SKIP_INSTALL=1 leaves the section out (no registry access).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

export interface RepoCiMeasure {
  /** Empty npm cache: every tarball from the registry. */
  coldSeconds: number;
  /** Again, with the cache the first run filled (`--prefer-offline`): resolution and unpacking only. */
  warmSeconds: number;
  bytes: number;
  packages: number;
}

function timedCi(project: string, cache: string, extra: string[]): number {
  const started = performance.now();
  execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--cache', cache, ...extra], { cwd: project, stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}

/**
 * The repository's `npm ci` on a fresh copy of package.json and package-lock.json. `--ignore-scripts`: the copy has
 * no sources for the root's `prepare` (the build), and better-sqlite3's native build is left out, so this is the
 * download and unpacking a contributor (or CI) pays before building.
 */
export function measureRepoCi(): RepoCiMeasure {
  const project = mkdtempSync(join(tmpdir(), 'sb-repo-ci-'));
  const cache = mkdtempSync(join(tmpdir(), 'sb-npm-cache-'));
  try {
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(project, file));
    const coldSeconds = timedCi(project, cache, []);
    const bytes = apparentSize(join(project, 'node_modules'));
    const warmSeconds = timedCi(project, cache, ['--prefer-offline']);
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    // Installed ones only: the lock also lists optional packages for other platforms.
    const packages = Object.keys(lock.packages).filter((path) => path !== '' && existsSync(join(project, path))).length;
    return { coldSeconds, warmSeconds, bytes, packages };
  } finally {
    rmSync(project, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}

/** The comparison table: the repository's development install next to the vendor's core install. */
export function repoCiTable(core: InstallMeasure, repo: RepoCiMeasure): string {
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
  return renderTable(['Install', 'Time', 'Size (node_modules, apparent)', 'Packages'], [
    ['Vendor: npm install <suitebridge tarball>, empty cache', `${core.seconds.toFixed(1)} s`, mb(core.bytes), String(core.packages)],
    ['Repository: npm ci --ignore-scripts, empty cache', `${repo.coldSeconds.toFixed(1)} s`, mb(repo.bytes), String(repo.packages)],
    ['Repository: npm ci --ignore-scripts, warm cache', `${repo.warmSeconds.toFixed(1)} s`, mb(repo.bytes), String(repo.packages)],
  ]);
}

/** The bench section: packs the packages, measures the core install and the repository's `npm ci`, returns the tables. */
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
  ]) + '\n' +
    '\nBeside it, the repository\'s development install (package.json and package-lock.json copied to a new folder; ' +
    'install scripts skipped: no build, no native better-sqlite3 build)\n\n' + repoCiTable(m, measureRepoCi()) + '\n';
}
