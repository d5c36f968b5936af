#!/usr/bin/env node
// Builds src/TypeScripts/suitebridge/*.ts into one SuiteScript 2.1 AMD file per entry point in
// src/FileCabinet/SuiteScripts/suitebridge/. Each entry is bundled on its own so local imports are inlined
// (bundle installation scripts cannot load custom modules) and N/* modules stay external AMD dependencies.
// The entry's JSDoc header is taken from its source and written as the banner, above the single define().
import { readFileSync, readdirSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'src/TypeScripts/suitebridge');
const outputDir = path.join(root, 'src/FileCabinet/SuiteScripts/suitebridge');
const tsconfig = path.join(root, 'src/TypeScripts/tsconfig.json');

const ENTRY_POINTS = {
  restlet: ['get', 'post', 'put', 'delete'],
  bundleinstallationscript: ['beforeInstall', 'afterInstall', 'beforeUpdate', 'afterUpdate', 'beforeUninstall'],
};

class BuildError extends Error {}

/** Reads and checks the leading JSDoc block, which becomes the output banner. */
function readHeader(file) {
  const source = readFileSync(file, 'utf8');
  const match = /^\/\*\*[\s\S]*?\*\//.exec(source);
  const where = path.relative(root, file);
  if (!match) throw new BuildError(`${where}: must start with a JSDoc header (@NApiVersion 2.1, @NScriptType, @NModuleScope SameAccount).`);
  const header = match[0];
  const tag = (name) => new RegExp(`@${name}\\s+(\\S+)`).exec(header)?.[1];
  if (tag('NApiVersion') !== '2.1') throw new BuildError(`${where}: header needs @NApiVersion 2.1.`);
  if (tag('NModuleScope') !== 'SameAccount') throw new BuildError(`${where}: header needs @NModuleScope SameAccount.`);
  const scriptType = tag('NScriptType');
  const kind = { restlet: 'restlet', bundleinstallationscript: 'bundleinstallationscript' }[scriptType?.toLowerCase() ?? ''];
  if (!kind) throw new BuildError(`${where}: @NScriptType must be Restlet or BundleInstallationScript, got ${scriptType ?? 'nothing'}.`);
  return { header, kind };
}

function checkOutput(name, kind, chunk) {
  const allowed = ENTRY_POINTS[kind];
  const extra = chunk.exports.filter((e) => !allowed.includes(e));
  if (chunk.exports.length === 0 || extra.length > 0) {
    throw new BuildError(
      `${name}: an entry file may export only ${allowed.join(', ')} (got ${chunk.exports.join(', ') || 'nothing'}); move other exports to lib/.`,
    );
  }
  const defines = chunk.code.match(/\bdefine\s*\(/g) ?? [];
  if (defines.length !== 1) throw new BuildError(`${name}: output holds ${defines.length} define() calls; NetSuite allows exactly one.`);
}

async function buildEntry(file) {
  const { header, kind } = readHeader(file);
  const name = path.basename(file, '.ts');
  const bundle = await rollup({
    input: file,
    external: (id) => id === 'N' || id.startsWith('N/'),
    plugins: [typescript({ tsconfig, noEmitOnError: true, outputToFilesystem: false, include: [path.join(root, 'src/TypeScripts/**/*.ts')] })],
    onwarn(warning) {
      throw new BuildError(`${name}: ${warning.message}`);
    },
  });
  try {
    const { output } = await bundle.write({
      file: path.join(outputDir, `${name}.js`),
      format: 'amd',
      exports: 'named',
      esModule: false,
      interop: 'esModule',
      generatedCode: { preset: 'es2015', symbols: false },
      strict: true,
      banner: header,
      sourcemap: false,
    });
    checkOutput(name, kind, output[0]);
  } finally {
    await bundle.close();
  }
  return name;
}

async function main() {
  const entries = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(sourceDir, f));
  if (existsSync(outputDir)) rmSync(outputDir, { recursive: true });
  mkdirSync(outputDir, { recursive: true });
  for (const entry of entries) {
    const name = await buildEntry(entry);
    console.log(`built ${path.relative(root, path.join(outputDir, `${name}.js`))}`);
  }
}

main().catch((e) => {
  // Rollup errors (type errors included) carry a code and a readable message; anything else is a bug here.
  const readable = e instanceof BuildError || typeof e?.code === 'string';
  console.error(`build-suitescript: ${readable ? e.message : (e?.stack ?? e)}`);
  process.exit(1);
});
