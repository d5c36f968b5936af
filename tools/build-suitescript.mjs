#!/usr/bin/env node
// Builds src/TypeScripts/suitebridge/*.ts into one SuiteScript 2.1 AMD file per entry point in
// src/FileCabinet/SuiteScripts/suitebridge/. Each entry is bundled on its own so local imports are inlined
// (bundle installation scripts cannot load custom modules) and N/* modules stay external AMD dependencies.
// The entry's JSDoc header is taken from its source and written as the banner, above the single define().
// Each built file gets .attributes/<file>.js.attr.xml marking it "Available for SuiteBundles": Bundle Builder only
// offers files that carry that flag, and a bundle installation script's file must carry it.
// `--out <dir>` writes elsewhere (tests use it); the directory must be empty or hold only a previous build.
import { readFileSync, readdirSync, rmSync, mkdirSync, existsSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import typescript from '@rollup/plugin-typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = path.join(root, 'src/TypeScripts/suitebridge');
const DEFAULT_OUTPUT_DIR = path.join(root, 'src/FileCabinet/SuiteScripts/suitebridge');
const ATTRIBUTES_DIR = '.attributes';
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

/** SDF file attributes (root element `file`); only bundleable is set, every other attribute keeps its default. */
function fileAttributesXml() {
  return '<file>\n  <bundleable>T</bundleable>\n</file>\n';
}

function parseArgs(argv) {
  if (argv.length === 0) return DEFAULT_OUTPUT_DIR;
  if (argv.length === 2 && argv[0] === '--out' && argv[1]) return path.resolve(argv[1]);
  throw new BuildError(`usage: build-suitescript.mjs [--out <dir>] (got: ${argv.join(' ')})`);
}

/** The output directory is wiped before each build (that is how stale files and attributes go), so check what it holds. */
function assertBuildOutput(outputDir) {
  if (!existsSync(outputDir)) return;
  if (!statSync(outputDir).isDirectory()) throw new BuildError(`${outputDir} is not a directory.`);
  const foreign = readdirSync(outputDir).filter((name) => name !== ATTRIBUTES_DIR && !name.endsWith('.js'));
  if (foreign.length > 0) {
    throw new BuildError(`${outputDir} holds ${foreign.join(', ')}, which the build did not write; refusing to delete it. Choose an empty --out directory.`);
  }
}

function writeAttributes(outputDir, names) {
  const dir = path.join(outputDir, ATTRIBUTES_DIR);
  mkdirSync(dir, { recursive: true });
  for (const name of names) writeFileSync(path.join(dir, `${name}.js.attr.xml`), fileAttributesXml());
}

async function buildEntry(file, outputDir) {
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
  const outputDir = parseArgs(process.argv.slice(2));
  const entries = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => path.join(sourceDir, f));
  assertBuildOutput(outputDir);
  if (existsSync(outputDir)) rmSync(outputDir, { recursive: true });
  mkdirSync(outputDir, { recursive: true });
  const names = [];
  for (const entry of entries) {
    const name = await buildEntry(entry, outputDir);
    names.push(name);
    console.log(`built ${path.relative(root, path.join(outputDir, `${name}.js`))}`);
  }
  writeAttributes(outputDir, names);
  console.log(`marked ${names.length} files Available for SuiteBundles in ${path.relative(root, path.join(outputDir, ATTRIBUTES_DIR))}`);
}

main().catch((e) => {
  // Rollup errors (type errors included) carry a code and a readable message; anything else is a bug here.
  const readable = e instanceof BuildError || typeof e?.code === 'string';
  console.error(`build-suitescript: ${readable ? e.message : (e?.stack ?? e)}`);
  process.exit(1);
});
