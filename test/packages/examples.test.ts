import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPackages, installProject, ROOT, run, VERSION as version } from './packageInstall';

// Packs the packages (tools/packages/build.mjs), installs the tarballs the way a vendor would, and runs every example
// in examples/ against them. One install serves all examples: they sit in folders under the install root, so Node
// resolves `suitebridge` and `@suitebridge/emulator` from the root's node_modules.
//
// In `npm test` the install skips install scripts and reuses the repository's compiled better-sqlite3 (a from-source
// native build takes ~90 s on 2 cores); `npm run examples` (SUITEBRIDGE_EXAMPLES_FULL=1) runs the real install.

jest.setTimeout(600_000);

const EXAMPLES = join(ROOT, 'examples');
// The packages are built into this run's own folder, so a concurrent `npm run packages` or test run cannot clash.
let work: string;
let PACKAGES: string;
let CORE_TARBALL: string;
let EMULATOR_TARBALL: string;

/** The devDependencies the examples name besides the two packages (typescript, @types/node), from their manifests. */
function exampleToolDependencies(): Record<string, string> {
  const tools: Record<string, string> = {};
  for (const name of readdirSync(EXAMPLES)) {
    const manifestFile = join(EXAMPLES, name, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (dep !== 'suitebridge' && dep !== '@suitebridge/emulator') tools[dep] = range;
    }
  }
  return tools;
}

/** `suitebridge-emulator --port 0` from the install; resolves with its URL once it listens. */
async function startEmulatorCommand(): Promise<{ url: string; stop(): Promise<number | null> }> {
  const child = spawn(join(work, 'node_modules', '.bin', 'suitebridge-emulator'), ['--port', '0', '--quiet'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /emulator listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`suitebridge-emulator exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sb-examples-'));
  const packed = buildPackages(join(work, 'packages'));
  PACKAGES = packed.dir;
  CORE_TARBALL = packed.core;
  EMULATOR_TARBALL = packed.emulator;
  installProject(work, { suitebridge: `file:${CORE_TARBALL}`, '@suitebridge/emulator': `file:${EMULATOR_TARBALL}`, ...exampleToolDependencies() });
  cpSync(EXAMPLES, join(work, 'examples'), { recursive: true, filter: (f) => !f.includes('node_modules') && !f.includes(`${join('typescript-token-manager', 'dist')}`) });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('examples run from the packed tarballs', () => {
  it('TypeScript: compiles with skipLibCheck false, then authorizes, keeps tokens in the token manager and calls a RESTlet', () => {
    const dir = join(work, 'examples', 'typescript-token-manager');
    run(process.execPath, [join(work, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], dir);
    expect(run(process.execPath, ['dist/main.js'], dir)).toMatch(/^RESTlet health from account 1234567: \{"accountId":"1234567"/m);
  });

  it('TypeScript as an ES module: the import entries and their .d.mts declarations, a subpath (suitebridge/sqlite)', () => {
    const dir = join(work, 'examples', 'typescript-token-manager');
    expect(run(process.execPath, ['dist/esmImports.mjs'], dir)).toMatch(/^ESM imports: TokenManager function, SqliteTokenStore function, key acme, emulator up$/m);
  });

  it('the suitebridge-emulator command starts an emulator that serves its seed, and stops on SIGTERM', async () => {
    const emulator = await startEmulatorCommand();
    try {
      const seed = (await (await fetch(new URL('/__emulator/seed', emulator.url))).json()) as { accounts: { accountId: string }[] };
      expect(seed.accounts.map((a) => a.accountId)).toContain('1234567');
    } finally {
      expect(await emulator.stop()).toBe(0);
    }
  });

  it('curl: the docs walkthrough (authorization code with PKCE, SuiteQL, refresh, certificate mapping, client credentials, revoke)', async () => {
    const emulator = await startEmulatorCommand();
    try {
      const port = new URL(emulator.url).port;
      const out = await new Promise<string>((resolve, reject) => {
        execFile('bash', ['walkthrough.sh'], { cwd: join(work, 'examples', 'curl'), env: { ...process.env, PORT: port } }, (err, stdout, stderr) =>
          err ? reject(new Error(`walkthrough.sh failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout));
      });
      expect(out).toMatch(/callback\?state=[0-9a-f]+&role=3&entity=7&company=1234567&code=/);
      expect(out).toContain('"count":5');
      expect(out.match(/"token_type":"Bearer"/g)?.length).toBe(2); // authorization code, then client credentials
      expect(out).toMatch(/revoke: 200\n$/);
    } finally {
      await emulator.stop();
    }
  });

  it('CommonJS JavaScript: client credentials with a mapped certificate, then a RESTlet call', () => {
    expect(run(process.execPath, ['index.js'], join(work, 'examples', 'javascript-cjs'))).toMatch(/^M2M RESTlet health from account 1234567 \(role 3\)$/m);
  });

  it('ES module JavaScript: authorization code, SQLite store, RESTlet call', () => {
    expect(run(process.execPath, ['index.js'], join(work, 'examples', 'javascript-esm'))).toMatch(/^ESM RESTlet health from account 1234567; stored keys: \d+$/m);
  });

  it('a vendor test suite (node:test) starts the emulator, seeds it and stages failures', () => {
    const out = run(process.execPath, ['--test', '--test-concurrency=1', 'test/'], join(work, 'examples', 'vendor-tests'));
    expect(out).toMatch(/^# pass 3$/m);
    expect(out).toMatch(/^# fail 0$/m);
  });

  it('the core installs no native module and its root loads no optional driver', () => {
    const nativeFiles = run('find', [join(work, 'node_modules', 'suitebridge'), '-name', '*.node', '-o', '-name', 'binding.gyp'], work).trim();
    expect(nativeFiles).toBe('');
    const loaded = run(process.execPath, ['-e', `require('suitebridge'); process.stdout.write(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](better-sqlite3|ioredis|pg|fastify|undici|commander|bullmq|pino|prom-client)[\\\\/]/.test(f)).join(','))`], work);
    expect(loaded).toBe('');
  });

  it('suitebridge/console starts the onboarding console from the installed package (import)', () => {
    const script = `
      import { startConsole } from 'suitebridge/console';
      import { mkdtempSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      const running = await startConsole({
        port: 0, storePath: join(mkdtempSync(join(tmpdir(), 'sb-console-')), 'tokens.db'), operator: { password: 'a long operator passphrase' },
        onboarding: { authClientId: 'a'.repeat(64), ccClientId: 'b'.repeat(64), baseUrl: 'http://127.0.0.1:4010', dangerouslyAllowInsecureHttp: true },
      });
      console.log('console at ' + new URL(running.url).protocol + '//' + new URL(running.url).hostname);
      await running.stop();`;
    expect(run(process.execPath, ['--input-type=module', '-e', script], work).trim()).toBe('console at https://127.0.0.1');
  });

  it('an optional driver that is not installed (pg) is named, from the subpath and from the root', () => {
    const probe = `
      const sb = require('suitebridge');
      for (const attempt of [() => require('suitebridge/postgres'), () => new sb.PostgresTokenStore({ connectionString: 'postgres://x' })]) {
        try { attempt(); console.log('loaded'); } catch (err) { console.log(err instanceof sb.ConfigurationError, err.message, '|', err.remedy); }
      }`;
    expect(run(process.execPath, ['-e', probe], work).trim().split('\n')).toEqual([
      'true suitebridge/postgres needs the optional package pg, which is not installed. | Install it next to suitebridge: npm install pg',
      'true PostgresTokenStore needs the optional package pg, which is not installed. | Install it next to suitebridge: npm install pg',
    ]);
  });
});

describe('package contents', () => {
  const listing = (tarball: string) => run('tar', ['-tzf', tarball], ROOT).split('\n').filter((l) => l !== '');
  const manifestOf = (tarball: string) => JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], ROOT)) as Record<string, unknown>;

  it.each([['suitebridge'], ['@suitebridge/emulator']])('%s: no source maps, not private, a version, a files list, CJS and ESM entries with types', (name) => {
    const tarball = name === 'suitebridge' ? CORE_TARBALL : EMULATOR_TARBALL;
    const files = listing(tarball);
    expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.d.mts'))).toEqual([]);
    const manifest = manifestOf(tarball);
    expect(manifest).toMatchObject({ name, version });
    expect(manifest.private).toBeUndefined();
    expect(manifest.files).toEqual(expect.arrayContaining(['entry/', 'lib/']));
    const root = (manifest.exports as Record<string, { import: Record<string, string>; require: Record<string, string> }>)['.']!;
    for (const target of [root.import.types, root.import.default, root.require.types, root.require.default]) expect(files).toContain(`package/${target!.replace(/^\.\//, '')}`);
  });

  it('suitebridge: every subpath has declarations for node16 (exports) and node10 (typesVersions) resolution', () => {
    const files = listing(CORE_TARBALL);
    const manifest = manifestOf(CORE_TARBALL) as { exports: Record<string, unknown>; typesVersions: { '*': Record<string, string[]> } };
    const subpaths = Object.keys(manifest.exports).filter((p) => p !== '.' && p !== './package.json').map((p) => p.slice(2));
    expect(subpaths.sort()).toEqual(['console', 'postgres', 'redis', 'service', 'sqlite']);
    for (const name of subpaths) {
      expect(manifest.typesVersions['*'][name]).toEqual([`entry/${name}.d.ts`]);
      for (const file of [`entry/${name}.d.ts`, `entry/${name}.d.mts`, `entry/${name}.js`, `entry/${name}.mjs`]) expect(files).toContain(`package/${file}`);
    }
  });

  it('no shipped JavaScript points at a source map', () => {
    const withMaps: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(m?js)$/.test(entry.name) && readFileSync(file, 'utf8').includes('sourceMappingURL')) withMaps.push(file);
      }
    };
    walk(join(PACKAGES, 'suitebridge'));
    walk(join(PACKAGES, 'emulator'));
    expect(withMaps).toEqual([]);
  });
});
