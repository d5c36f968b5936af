import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SOURCE_DIR = path.join(REPO_ROOT, 'src/TypeScripts/suitebridge');
export const BUILT_DIR = path.join(REPO_ROOT, 'src/FileCabinet/SuiteScripts/suitebridge');

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Fails loudly rather than testing JavaScript that no longer matches its TypeScript. */
export function assertBuildFresh(name: string): string {
  const file = path.join(BUILT_DIR, `${name}.js`);
  if (!existsSync(file)) {
    throw new Error(`${path.relative(REPO_ROOT, file)} is missing: run \`npm run build:suitescript\` before the SuiteScript tests.`);
  }
  if (statSync(file).mtimeMs < newestSourceMtime(SOURCE_DIR)) {
    throw new Error(`${path.relative(REPO_ROOT, file)} is older than its TypeScript sources: run \`npm run build:suitescript\`.`);
  }
  return file;
}

/**
 * Loads a built AMD entry file through the SuiteCloud jest alias (SuiteScripts/... → src/FileCabinet/SuiteScripts/...),
 * transformed by Oracle's AMD-to-CommonJS transform: exactly what ships, not the TypeScript.
 */
export function loadBuiltScript<T>(name: string): T {
  assertBuildFresh(name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`SuiteScripts/suitebridge/${name}`) as T;
}

export function builtEntryNames(): string[] {
  return readdirSync(SOURCE_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.basename(f, '.ts'))
    .sort();
}

/**
 * Path of a compiled tools/sdf CLI. tsc builds incrementally and only rewrites changed outputs, so freshness is
 * judged by the newest output against the newest source.
 */
export function compiledTool(name: 'validate-cli' | 'package-cli'): string {
  const outDir = path.join(REPO_ROOT, 'build/tools/sdf');
  const file = path.join(outDir, `${name}.js`);
  const hint = 'run `npx tsc -p tsconfig.json` (part of `npm run build`)';
  if (!existsSync(file)) throw new Error(`${path.relative(REPO_ROOT, file)} is missing: ${hint}.`);
  if (newestSourceMtime(outDir) < newestSourceMtime(path.join(REPO_ROOT, 'tools/sdf'))) {
    throw new Error(`build/tools/sdf is older than tools/sdf: ${hint}.`);
  }
  return file;
}
