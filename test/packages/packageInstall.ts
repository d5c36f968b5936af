import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Packing the packages and installing the tarballs into a project outside the repository, as a vendor would.
// Without `full`, the install skips install scripts and reuses the repository's compiled better-sqlite3 (a
// from-source native build takes ~90 s on 2 cores); SUITEBRIDGE_EXAMPLES_FULL=1 (`npm run examples`) runs the real one.

export const ROOT = join(__dirname, '..', '..');
export const FULL_INSTALL = process.env.SUITEBRIDGE_EXAMPLES_FULL === '1';
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
export const VERSION = rootManifest.version;

export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

export interface Tarballs {
  dir: string;
  core: string;
  emulator: string;
}

/** tools/packages/build.mjs into `dir` (each run its own folder: no clash with `npm run packages` or another test). */
export function buildPackages(dir: string): Tarballs {
  run(process.execPath, [join(ROOT, 'tools', 'packages', 'build.mjs'), '--out', dir], ROOT);
  return { dir, core: join(dir, `suitebridge-${VERSION}.tgz`), emulator: join(dir, `suitebridge-emulator-${VERSION}.tgz`) };
}

/** The version range the repository pins for a dependency: what a vendor installs next to the packages. */
export function pinnedVersion(name: string): string {
  const range = rootManifest.dependencies[name];
  if (range === undefined) throw new Error(`${name} is not a dependency of the repository.`);
  return range;
}

/** A project in `dir` with these dependencies, installed (registry packages from the npm cache when present). */
export function installProject(dir: string, dependencies: Record<string, string>, o: { full?: boolean } = {}): void {
  const full = o.full ?? FULL_INSTALL;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'sb-install', version: '1.0.0', private: true, dependencies }, null, 2));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...(full ? [] : ['--ignore-scripts'])], dir);
  if (!full && ('better-sqlite3' in dependencies || '@suitebridge/emulator' in dependencies)) {
    // The same better-sqlite3 release range; the repository's copy is already compiled for this Node.
    rmSync(join(dir, 'node_modules', 'better-sqlite3'), { recursive: true, force: true });
    cpSync(join(ROOT, 'node_modules', 'better-sqlite3'), join(dir, 'node_modules', 'better-sqlite3'), { recursive: true });
  }
}
