import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bench/redisProcess';
import { SERVICE_PACKAGES } from '../../client/src/cli/optionalPackages';
import { driveAuthorization } from '../../client/src/onboarding/formDriver';
import { startRedis } from '../support/redis';
import { buildPackages, installProject, pinnedVersion, run, type Tarballs } from './packageInstall';

// The `suitebridge` command, `suitebridge serve` and the demo from the packed tarballs, in projects outside the
// repository: one with the core package alone (the commands that need more name what to install), one with the
// core, @suitebridge/emulator and the service's packages (everything runs).

jest.setTimeout(600_000);

const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const ACCOUNT = '1234567';
let work: string;
let packed: Tarballs;
let lean: string;
let full: string;
let storePath: string;
let redis: Awaited<ReturnType<typeof startRedis>>;

/** The CLI's environment: its own store and key, no browser. */
const cliEnv = (): NodeJS.ProcessEnv => ({ ...process.env, SUITEBRIDGE_SECRET_KEY: SECRET_KEY, SUITEBRIDGE_STORE: storePath, XDG_DATA_HOME: join(work, 'xdg'), CI: '1' });

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command installed in `project` (node_modules/.bin) to its end; `onLine` sees each stdout line as it comes. */
function bin(project: string, name: string, args: string[], onLine?: (line: string) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(project, 'node_modules', '.bin', name), args, { cwd: project, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        onLine?.(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running command; resolves with the first match of `ready` in its output, and a stop (SIGTERM) that resolves with its exit code. */
async function start(project: string, name: string, args: string[], ready: RegExp): Promise<{ match: RegExpExecArray; output: () => string; stop(): Promise<number | null> }> {
  const child: ChildProcessWithoutNullStreams = spawn(join(project, 'node_modules', '.bin', name), args, { cwd: project, env: cliEnv() });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m) resolve(m);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then((code) => reject(new Error(`${name} ${args.join(' ')} exited ${code} before it was ready:\n${output}`)));
  });
  return {
    match,
    output: () => output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sb-cli-packages-'));
  storePath = join(work, 'tokens.db');
  packed = buildPackages(join(work, 'packages'));
  lean = join(work, 'lean');
  installProject(lean, { suitebridge: `file:${packed.core}` });
  full = join(work, 'full');
  const peers = Object.fromEntries([...SERVICE_PACKAGES, 'better-sqlite3'].map((name) => [name, pinnedVersion(name)]));
  installProject(full, { suitebridge: `file:${packed.core}`, '@suitebridge/emulator': `file:${packed.emulator}`, ...peers });
  redis = await startRedis();
});

afterAll(async () => {
  await redis?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the suitebridge command from the core package alone', () => {
  it('npx suitebridge --help lists every command; the install has no native module', () => {
    const help = run('npx', ['suitebridge', '--help'], lean);
    for (const command of ['emulator', 'token', 'cert', 'onboard', 'tenants', 'demo', 'console', 'serve', 'api-keys']) expect(help).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(run('find', [join(lean, 'node_modules'), '-name', '*.node', '-o', '-name', 'binding.gyp'], lean).trim()).toBe('');
  });

  it('the core manifest has the bin and lists every package the commands load as an optional peer', () => {
    const manifest = JSON.parse(readFileSync(join(lean, 'node_modules', 'suitebridge', 'package.json'), 'utf8')) as {
      bin: Record<string, string>; dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    expect(manifest.bin).toEqual({ suitebridge: 'bin/suitebridge.js' });
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@peculiar/x509', 'commander', 'jose', 'oauth4webapi', 'reflect-metadata']);
    for (const name of [...SERVICE_PACKAGES, 'better-sqlite3', 'pg', '@suitebridge/emulator']) expect(manifest.peerDependenciesMeta[name]).toEqual({ optional: true });
  });

  it.each([
    ['emulator', ['emulator', '--port', '0'], ['@suitebridge/emulator']],
    ['demo', ['demo'], ['@suitebridge/emulator']],
    ['serve', ['serve', '--redis', 'redis://127.0.0.1:1', '--port', '0'], [...SERVICE_PACKAGES, 'better-sqlite3']],
    ['serve --postgres', ['serve', '--redis', 'redis://127.0.0.1:1', '--postgres', 'postgres://127.0.0.1:1/x', '--port', '0'], [...SERVICE_PACKAGES, 'pg']],
    ['console', ['console', '--client-id', 'x'], ['fastify']],
    // No check of its own: the CLI's top level turns Node's "Cannot find module 'pg'" into the same error.
    ['api-keys --postgres', ['api-keys', 'list', '--postgres', 'postgres://127.0.0.1:1/x'], ['pg']],
  ])('suitebridge %s names every optional package it needs and how to install them (exit 2)', async (_name, args, packages) => {
    const result = await bin(lean, 'suitebridge', ['--json', ...args]);
    expect(result.code).toBe(2);
    const error = JSON.parse(result.stdout) as { error: string; message: string; remedy: string };
    expect(error.error).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(`needs the optional ${packages.length === 1 ? 'package' : 'packages'} ${packages.join(', ')}, which`);
    expect(error.remedy).toMatch(new RegExp(`npm install (--save-dev )?${packages.join(' ').replace(/[.@/]/g, '\\$&')}(;|$)`));
  });
});

describe('the suitebridge command with @suitebridge/emulator and the service packages', () => {
  it('suitebridge emulator runs the emulator package and stops on SIGTERM', async () => {
    const emulator = await start(full, 'suitebridge', ['emulator', '--port', '0'], /Emulator running at (http:\/\/127\.0\.0\.1:\d+)/);
    try {
      const seed = (await (await fetch(new URL('/__emulator/seed', emulator.match[1]))).json()) as { accounts: { accountId: string }[] };
      expect(seed.accounts.map((a) => a.accountId)).toContain(ACCOUNT);
    } finally {
      expect(await emulator.stop()).toBe(0);
    }
  });

  it('suitebridge demo: the onboarding and the M2M calls against the SDF project shipped in @suitebridge/emulator', async () => {
    const demo = await bin(full, 'suitebridge', ['demo']);
    expect({ code: demo.code, stderr: demo.stderr }).toEqual({ code: 0, stderr: '' });
    expect(demo.stdout).toMatch(new RegExp(`✓ health\\s+\\d+ ms\\s+account ${ACCOUNT} `));
    expect(demo.stdout).toMatch(/✓ SuiteQL\s+\d+ ms\s+\d+ rows/);
    expect(demo.stdout).toContain('✓ Every step succeeded.');
  });

  it('runDemo from the installed library (ES module import)', () => {
    const script = `import { runDemo } from 'suitebridge';
      const result = await runDemo({ mode: 'plain', write: () => undefined });
      console.log(result.ok, result.view?.status);`;
    expect(run(process.execPath, ['--input-type=module', '-e', script], full).trim()).toBe('true completed');
  });

  describe('onboarding, then the service on the store it filled', () => {
    const tenant = 'packaged';

    it('suitebridge onboard against the suitebridge-emulator command, then tenants list and a RESTlet call as the tenant', async () => {
      const redirectUri = `https://127.0.0.1:${await freePort()}/callback`;
      const scopes = ['restlets', 'rest_webservices'];
      const config = join(work, 'emulator.json');
      writeFileSync(config, JSON.stringify({
        accounts: [{ accountId: ACCOUNT, environment: 'PRODUCTION' }],
        integrations: [
          { name: 'Packages test (public)', accountId: ACCOUNT, publicClient: true, redirectUris: [redirectUri], scopes, grants: ['authorization_code'] },
          { name: 'Packages test (M2M)', accountId: ACCOUNT, publicClient: false, scopes, grants: ['client_credentials'] },
        ],
      }));
      const emulator = await start(full, 'suitebridge-emulator', ['--port', '0', '--quiet', '--config', config], /emulator listening on (http:\/\/\S+)/);
      try {
        const url = emulator.match[1]!;
        const seed = (await (await fetch(new URL('/__emulator/seed', url))).json()) as {
          integrations: { name: string; clientId: string }[];
          users: { accountId: string; email: string; password: string; roles: { internalId: number }[] }[];
        };
        const clientId = (name: string) => seed.integrations.find((i) => i.name === name)?.clientId ?? '';
        const admin = seed.users.find((u) => u.accountId === ACCOUNT && u.roles.some((r) => r.internalId === 3));
        if (!admin) throw new Error('the emulator seed has no administrator');
        const installed = await fetch(new URL('/__emulator/bundles', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: ACCOUNT, bundleId: '512345' }) });
        expect(installed.ok).toBe(true);

        // The administrator's browser: consents on the emulator's pages and lands on onboard's https callback.
        let pem = '';
        let consent: Promise<unknown> = Promise.resolve();
        const onboard = await bin(full, 'suitebridge', [
          'onboard', '--account', ACCOUNT, '--client-id', clientId('Packages test (public)'), '--cc-client-id', clientId('Packages test (M2M)'),
          '--redirect-uri', redirectUri, '--tenant', tenant, '--base-url', url, '--dangerously-allow-insecure-http', '--no-open', '--no-wait', '--json',
        ], (text) => {
          if (!text.startsWith('{')) return;
          const line = JSON.parse(text) as { event?: string; reason?: string; certificatePem?: string; authorizationUrl?: string };
          if (line.event === 'callback-server') pem = String(line.certificatePem);
          if (line.event === 'waiting' && line.reason === 'authorization') {
            consent = driveAuthorization(String(line.authorizationUrl), redirectUri, { email: admin.email, password: admin.password, role: 3 }, { followCallback: { certificatePem: pem } });
          }
        });
        await consent;
        expect({ code: onboard.code, stderr: onboard.stderr }).toEqual({ code: 0, stderr: `note: creating a new token store at ${storePath}\n` });
        expect(JSON.parse(onboard.stdout.trim().split('\n').at(-1)!)).toMatchObject({ event: 'result', tenant, status: 'completed' });

        const tenants = await bin(full, 'suitebridge', ['--json', 'tenants', 'list']);
        expect(tenants.code).toBe(0);
        expect(tenants.stdout).toContain(`"${tenant}"`);
        const health = await bin(full, 'suitebridge', ['restlet', 'get', '--tenant', tenant, '--script', 'customscript_sbr_rl_health', '--deploy', 'customdeploy_sbr_rl_health']);
        expect(health.code).toBe(0);
        expect(JSON.parse(health.stdout)).toMatchObject({ accountId: ACCOUNT });
      } finally {
        await emulator.stop();
      }
    });

    it('suitebridge serve: /healthz, /readyz, and /v1/tenants with a key from suitebridge api-keys create; stops on SIGTERM', async () => {
      const created = await bin(full, 'suitebridge', ['--json', 'api-keys', 'create', '--name', 'packages-test', '--scope', 'tenants:read']);
      expect(created.code).toBe(0);
      const { key } = JSON.parse(created.stdout) as { key: string };
      const serve = await start(full, 'suitebridge', ['serve', '--redis', redis.redis.url, '--port', '0'], /listening on (http:\/\/127\.0\.0\.1:\d+)/);
      try {
        const base = serve.match[1]!;
        const healthz = await fetch(new URL('/healthz', base));
        expect({ status: healthz.status, body: await healthz.json() }).toEqual({ status: 200, body: { ok: true } });
        const readyz = await fetch(new URL('/readyz', base));
        expect({ status: readyz.status, body: await readyz.json() }).toMatchObject({ status: 200, body: { ready: true, redis: true, store: true } });
        const tenants = await fetch(new URL('/v1/tenants', base), { headers: { authorization: `Bearer ${key}` } });
        expect(tenants.status).toBe(200);
        expect(JSON.stringify(await tenants.json())).toContain(`"${tenant}"`);
        expect((await fetch(new URL('/v1/tenants', base))).status).toBe(401);
      } finally {
        expect(await serve.stop()).toBe(0);
      }
      expect(serve.output()).not.toContain(key);
    });
  });
});
