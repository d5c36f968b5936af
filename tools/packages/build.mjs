#!/usr/bin/env node
// Builds the publishable packages from the compiled tree (build/, `npm run build` first) into dist/packages/<name>/
// and packs each with `npm pack` into dist/packages/. See docs/packages.md for why the packages are cut this way.
//
//   node tools/packages/build.mjs            build + pack every package
//   node tools/packages/build.mjs --no-pack  build the folders only
//   node tools/packages/build.mjs --out DIR  write into DIR instead of dist/packages (tests: no clash with other runs)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES } from './packages.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = join(ROOT, 'build');
const outFlag = process.argv.indexOf('--out');
const OUT = outFlag > 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(ROOT, 'dist', 'packages');
const rootManifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function fail(message) {
  process.stderr.write(`packages: ${message}\n`);
  process.exit(1);
}

function walk(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) files.push(...walk(file));
    else files.push(file);
  }
  return files;
}

/** Copies compiled .js and .d.ts files (no source maps: the TypeScript sources are not shipped) and drops map comments. */
function copyCompiled(fromRel, toDir, exclude = []) {
  const from = join(BUILD, fromRel);
  if (!existsSync(from)) fail(`${relative(ROOT, from)} is missing: run \`npm run build\` first.`);
  const files = statSync(from).isDirectory() ? walk(from) : [from];
  for (const file of files) {
    const rel = relative(BUILD, file);
    if (exclude.some((prefix) => rel.startsWith(prefix))) continue;
    if (!file.endsWith('.js') && !file.endsWith('.d.ts') && !file.endsWith('.json')) continue;
    const target = join(toDir, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
  }
}

/** Bare module names a file requires or imports (node: builtins left out). */
function bareImports(text) {
  const names = new Set();
  for (const m of text.matchAll(/(?:require\(|import\(|from\s+)["']([^"'.][^"']*)["']/g)) {
    const spec = m[1];
    if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return names;
}

/** Relative requires of shipped JS that point at files the package does not contain. */
function danglingRequires(dir, allowed) {
  const dangling = [];
  for (const file of walk(dir).filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/require\(["'](\.{1,2}\/[^"']*)["']\)/g)) {
      const target = resolve(dirname(file), m[1]);
      const found = [target, `${target}.js`, join(target, 'index.js')].some((c) => existsSync(c) && statSync(c).isFile());
      const where = `${relative(dir, file)} -> ${m[1]}`;
      if (!found && !allowed.includes(where)) dangling.push(where);
    }
  }
  return dangling;
}

// Packages published as ESM only: a CommonJS declaration file that imports them fails with TS1479 in a CommonJS
// consumer under node16 resolution, although the import is type-only.
const ESM_ONLY = ['jose', 'oauth4webapi'];

/**
 * Declaration imports of optional peers (absent unless the vendor installed them) and of ESM-only packages get a
 * ts-ignore line, so a consumer compiling with skipLibCheck false sees no TS2307/TS1479 for parts it does not use;
 * when the peer is installed its types apply as usual.
 */
function guardDeclarationImports(libDir, names) {
  const quoted = names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  const importLine = new RegExp(`^(import\\b[^\\n]*\\bfrom\\s+['"](?:${quoted})(?:/[^'"]*)?['"];)$`, 'gm');
  for (const file of walk(libDir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8');
    const guarded = text.replace(importLine, '// @ts-ignore -- optional peer or ESM-only package: its types apply when it is installed\n$1');
    if (guarded !== text) writeFileSync(file, guarded);
  }
}

/** Does an installed package ship its own type declarations? */
function hasOwnTypes(name) {
  // Read from node_modules directly: some packages (commander) do not export ./package.json.
  const manifestFile = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifestFile)) fail(`${name} is used by a package but is not installed in the repository.`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  if (manifest.types || manifest.typings) return true;
  const exported = JSON.stringify(manifest.exports ?? {});
  return exported.includes('"types"') || existsSync(join(dirname(manifestFile), 'index.d.ts'));
}

function versionOf(name) {
  // The packages of this repository are released together, at one version.
  if (PACKAGES.some((spec) => spec.name === name)) return rootManifest.version;
  const pinned = rootManifest.dependencies?.[name] ?? rootManifest.devDependencies?.[name] ?? rootManifest.optionalDependencies?.[name];
  if (!pinned) fail(`${name} is used by a package but is not a dependency of the repository.`);
  return /^\d/.test(pinned) ? `^${pinned}` : pinned;
}

function sortedObject(entries) {
  return Object.fromEntries([...entries].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The names the CommonJS modules export, read in a child process whose NODE_PATH is the repository's node_modules
 * (the package folder may sit outside the repository, e.g. with --out).
 */
function exportNames(files) {
  const script = `const names = new Set(); for (const f of ${JSON.stringify(files)}) for (const k of Object.keys(require(f))) if (k !== 'default' && k !== '__esModule') names.add(k); process.stdout.write(JSON.stringify([...names].sort()));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } }));
}

/** CommonJS entry, its ESM wrapper and both declaration files for one export path. */
function writeEntry(pkgDir, packageName, name, entry) {
  const { modules, needs = [], errorsModule } = Array.isArray(entry) ? { modules: entry } : entry;
  const entryDir = join(pkgDir, 'entry');
  mkdirSync(entryDir, { recursive: true });
  const rels = modules.map((m) => `../lib/${m}`);
  let cjs = modules.length === 1
    ? `module.exports = require(${JSON.stringify(`${rels[0]}.js`)});\n`
    : `module.exports = {\n${rels.map((r) => `  ...require(${JSON.stringify(`${r}.js`)}),`).join('\n')}\n};\n`;
  if (needs.length > 0) {
    // A missing optional driver becomes the library's ConfigurationError naming the package to install.
    const subpath = `${packageName}/${name}`;
    cjs = `const needs = ${JSON.stringify(needs)};
try {
  ${cjs.trimEnd().replace(/\n/g, '\n  ')}
} catch (err) {
  const missing = err && err.code === 'MODULE_NOT_FOUND' ? needs.find((n) => String(err.message).includes(\`'\${n}'\`)) : undefined;
  if (missing === undefined) throw err;
  const { ConfigurationError } = require(${JSON.stringify(`../lib/${errorsModule}.js`)});
  throw new ConfigurationError('INVALID_ARGUMENT', \`${subpath} needs the optional package \${missing}, which is not installed.\`, {
    field: ${JSON.stringify(subpath)},
    remedy: \`Install it next to ${packageName}: npm install \${needs.join(' ')}\`,
    cause: err,
  });
}
`;
  }
  writeFileSync(join(entryDir, `${name}.js`), `'use strict';\n${cjs}`);
  const dts = rels.map((r) => `export * from ${JSON.stringify(r)};`).join('\n') + '\n';
  writeFileSync(join(entryDir, `${name}.d.ts`), dts);
  // Named ESM exports, listed at build time from the CommonJS module itself.
  const sorted = exportNames(modules.map((m) => join(pkgDir, 'lib', `${m}.js`)));
  writeFileSync(join(entryDir, `${name}.mjs`), `import cjs from './${name}.js';\n\nexport const {\n${sorted.map((n) => `  ${n},`).join('\n')}\n} = cjs;\n`);
  writeFileSync(join(entryDir, `${name}.d.mts`), rels.map((r) => `export * from ${JSON.stringify(`${r}.js`)};`).join('\n') + '\n');
  return {
    import: { types: `./entry/${name}.d.mts`, default: `./entry/${name}.mjs` },
    require: { types: `./entry/${name}.d.ts`, default: `./entry/${name}.js` },
  };
}

function buildPackage(spec) {
  const pkgDir = join(OUT, spec.folder);
  rmSync(pkgDir, { recursive: true, force: true });
  mkdirSync(pkgDir, { recursive: true });
  const libDir = join(pkgDir, 'lib');
  for (const { from, exclude } of spec.compiled) copyCompiled(from, libDir, exclude);
  // lib/<build path> keeps the compiled tree's relative requires valid; entries point into it.
  for (const [from, to] of spec.copies ?? []) cpSync(join(ROOT, from), join(pkgDir, to), { recursive: true, filter: (f) => !(spec.copyExclude ?? []).some((x) => f.includes(x)) });
  for (const [file, text] of Object.entries(spec.extraFiles ?? {})) {
    mkdirSync(dirname(join(pkgDir, file)), { recursive: true });
    writeFileSync(join(pkgDir, file), text);
  }

  // Dependencies: every bare import of the shipped code, split into dependencies and optional peers.
  const runtime = new Set();
  const typeOnly = new Set();
  for (const file of walk(libDir)) {
    const text = readFileSync(file, 'utf8');
    for (const name of bareImports(text)) (file.endsWith('.d.ts') ? typeOnly : runtime).add(name);
  }
  for (const name of spec.alsoDepends ?? []) runtime.add(name);
  const deps = new Map();
  const peers = new Map();
  const place = (name) => (spec.optionalPeers.includes(name) ? peers : deps);
  for (const name of runtime) if (name !== spec.name) place(name).set(name, versionOf(name));
  // Peers a command checks by name (client/src/cli/optionalPackages.ts), whether or not the code imports them in a
  // form the scan above sees (e.g. require.resolve).
  for (const name of spec.alsoPeers ?? []) peers.set(name, versionOf(name));
  for (const name of typeOnly) {
    if (name === spec.name) continue;
    if (!runtime.has(name)) place(name).set(name, versionOf(name));
    if (!hasOwnTypes(name)) place(name).set(`@types/${name}`, versionOf(`@types/${name}`));
  }
  const unexpected = [...deps.keys()].filter((n) => !spec.expectedDependencies.includes(n));
  if (unexpected.length > 0) fail(`${spec.name}: unexpected dependencies ${unexpected.join(', ')} (add them to optionalPeers or expectedDependencies in tools/packages/packages.mjs).`);

  const exportsMap = {};
  for (const [subpath, entry] of Object.entries(spec.entries)) {
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    exportsMap[subpath] = writeEntry(pkgDir, spec.name, name, entry);
  }
  exportsMap['./package.json'] = './package.json';

  guardDeclarationImports(libDir, [...spec.optionalPeers, ...ESM_ONLY]);
  const dangling = danglingRequires(pkgDir, spec.allowedDangling ?? []);
  if (dangling.length > 0) fail(`${spec.name}: shipped code requires files the package lacks:\n  ${dangling.join('\n  ')}`);


  cpSync(join(ROOT, 'LICENSE'), join(pkgDir, 'LICENSE'));
  writeFileSync(join(pkgDir, 'README.md'), spec.readme);
  const manifest = {
    name: spec.name,
    version: rootManifest.version,
    description: spec.description,
    license: rootManifest.license,
    engines: rootManifest.engines,
    main: './entry/index.js',
    types: './entry/index.d.ts',
    exports: exportsMap,
    // For TypeScript's older moduleResolution "node" (node10), which does not read `exports`.
    ...(Object.keys(spec.entries).length > 1
      ? { typesVersions: { '*': Object.fromEntries(Object.keys(spec.entries).filter((p) => p !== '.').map((p) => [p.slice(2), [`entry/${p.slice(2)}.d.ts`]])) } }
      : {}),
    ...(spec.bin ? { bin: spec.bin } : {}),
    files: ['entry/', 'lib/', ...(spec.extraPublished ?? []), 'README.md', 'LICENSE'],
    dependencies: sortedObject(deps),
    ...(peers.size > 0
      ? { peerDependencies: sortedObject(peers), peerDependenciesMeta: sortedObject([...peers.keys()].map((n) => [n, { optional: true }])) }
      : {}),
  };
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  return pkgDir;
}

const pack = !process.argv.includes('--no-pack');
mkdirSync(OUT, { recursive: true });
for (const spec of PACKAGES) {
  const dir = buildPackage(spec);
  let line = `${spec.name}@${rootManifest.version} -> ${relative(ROOT, dir)}`;
  if (pack) {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', OUT], { cwd: dir, encoding: 'utf8' });
    const [info] = JSON.parse(out);
    line += ` (${relative(ROOT, join(OUT, info.filename))}, ${info.entryCount} files, ${(info.unpackedSize / 1024).toFixed(0)} KB unpacked)`;
  }
  process.stdout.write(`${line}\n`);
}
