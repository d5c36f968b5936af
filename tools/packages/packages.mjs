// What each published package contains. tools/packages/build.mjs turns these into dist/packages/<folder>/.
// Dependencies are not listed by hand: the build reads every bare import of the shipped code, makes the names in
// `optionalPeers` optional peer dependencies, and fails on any other name missing from `expectedDependencies`.

// What \`suitebridge serve\` loads besides the core (client/src/cli/optionalPackages.ts lists the same names).
const SERVICE_PEERS = ['fastify', '@fastify/helmet', '@fastify/rate-limit', 'bullmq', 'ioredis', 'redis-semaphore', 'undici', 'pino', 'prom-client', 'standardwebhooks', '@opentelemetry/api'];
const SERVICE_INSTALL = SERVICE_PEERS.join(' ');

const CORE_BIN = `#!/usr/bin/env node
'use strict';
// The suitebridge command. Commands load what they need on use; a missing optional package is named in the error.
const { main } = require('../lib/client/src/cli/main.js');
main(process.argv).then((code) => { process.exitCode = code; });
`;

const CORE_README = `# suitebridge

NetSuite OAuth 2.0 for Node: authorization code + PKCE and client-credentials grants, a token manager,
encrypted token stores, certificate generation and rotation, RESTlet / SuiteQL / record clients.

\`\`\`sh
npm install suitebridge
\`\`\`

The package root loads only jose, oauth4webapi and @peculiar/x509 (commander, also installed, is the command's).
Optional parts load their driver on first use;
install it next to suitebridge when you use them:

| Import | Install as well |
|---|---|
| \`suitebridge/sqlite\` (or \`SqliteTokenStore\` from the root) | \`better-sqlite3\` |
| \`suitebridge/redis\` (\`RedisTokenStore\`, \`RedisAccountSemaphores\`, \`RedisTokenLock\`) | \`ioredis\` and \`redis-semaphore\` |
| \`suitebridge/postgres\` (\`PostgresTokenStore\`) | \`pg\` (and \`@types/pg\` for TypeScript) |
| \`suitebridge/console\` | \`fastify\` |
| \`suitebridge/service\` (the service as a library) | the packages of \`suitebridge serve\` below |
| the emulator's \`*.localhost\` hosts | \`undici\` (installed with \`@suitebridge/emulator\`) |

The \`suitebridge\` command comes with the package (\`npx suitebridge --help\`). Its commands that need more say
what to install:

\`\`\`sh
npm install --save-dev @suitebridge/emulator   # suitebridge emulator, suitebridge demo
npm install better-sqlite3                      # the CLI's token store (onboard, tenants, restlet, suiteql, serve)
npm install ${SERVICE_INSTALL}   # suitebridge serve
\`\`\`

Documentation: https://github.com/suitebridge/suitebridge/blob/main/docs/vendor.md
`;

const EMULATOR_README = `# @suitebridge/emulator

A local NetSuite stand-in for your own tests: OAuth 2.0 (authorization code, client credentials), the certificate
API, SuiteQL, REST records and a RESTlet host that runs SuiteScript from an SDF project. Add it as a dev dependency:

\`\`\`sh
npm install --save-dev @suitebridge/emulator
\`\`\`

\`startEmulator({ port: 0, quiet: true })\` resolves with \`{ url, seed, hosts(accountId), stop() }\`. Pass
\`projectDir\` to run your own SDF project's RESTlets; by default the SuiteBridge project shipped in \`sdf/\` runs.
Stage failures through the admin API (\`POST /__emulator/staging/...\`, \`POST /__emulator/faults\`).
The \`suitebridge-emulator\` command starts one from a shell.

Documentation: https://github.com/suitebridge/suitebridge/blob/main/docs/emulator.md
`;

const EMULATOR_WRAPPER = `'use strict';
// The package entry: the emulator with the SDF project shipped in this package as the default projectDir.
const { join } = require('node:path');
const emulator = require('../emulator/src/index.js');

const BUNDLED_PROJECT_DIR = join(__dirname, '..', '..', 'sdf');

function withBundledProject(options) {
  const given = options ?? {};
  return given.projectDir === undefined ? { ...given, projectDir: BUNDLED_PROJECT_DIR } : given;
}

module.exports = {
  ...emulator,
  BUNDLED_PROJECT_DIR,
  startEmulator: (options) => emulator.startEmulator(withBundledProject(options)),
  startEmulatorWithServices: (options) => emulator.startEmulatorWithServices(withBundledProject(options)),
};
`;

const EMULATOR_WRAPPER_DTS = `export * from '../emulator/src/index';
/** The SuiteBridge SDF project shipped with this package: the default projectDir. */
export declare const BUNDLED_PROJECT_DIR: string;
`;

const EMULATOR_BIN = `#!/usr/bin/env node
'use strict';
// suitebridge-emulator [--port 4010] [--host 127.0.0.1] [--config file.json] [--project dir] [--seed-out file] [--data-dir dir]
const { parseArgs } = require('node:util');
const { startEmulator } = require('../entry/index.js');

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string' },
      config: { type: 'string' },
      project: { type: 'string' },
      'seed-out': { type: 'string' },
      'data-dir': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  process.stderr.write(\`suitebridge-emulator: \${err.message}\\n\`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(\`suitebridge-emulator: --port must be a port number (0 for any free port), got \${values.port}.\\n\`);
  process.exit(2);
}
startEmulator({
  port,
  quiet: values.quiet,
  ...(values.host ? { host: values.host } : {}),
  ...(values.config ? { config: values.config } : {}),
  ...(values.project ? { projectDir: values.project } : {}),
  ...(values['seed-out'] ? { seedOut: values['seed-out'] } : {}),
  ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
}).then((running) => {
  process.stdout.write(\`emulator listening on \${running.url}\\n\`);
  const stop = () => running.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}, (err) => {
  process.stderr.write(\`suitebridge-emulator: \${err.message}\\n\`);
  process.exit(1);
});
`;

export const PACKAGES = [
  {
    name: 'suitebridge',
    folder: 'suitebridge',
    description: 'NetSuite OAuth 2.0 client: grants, token manager, encrypted stores, certificates, RESTlet/SuiteQL/record clients',
    // The library, the CLI (bin/suitebridge.js) and the service; what the CLI and the service need beyond the
    // library's three dependencies (and commander) is an optional peer, loaded by the command that uses it.
    compiled: [{ from: 'client/src', exclude: [] }, { from: 'service/src', exclude: [] }],
    // The /v1 API serves its OpenAPI document from lib/service/openapi.json (service/src/api/index.ts).
    copies: [['service/openapi.json', 'lib/service/openapi.json']],
    extraFiles: { 'bin/suitebridge.js': CORE_BIN },
    extraPublished: ['bin/'],
    bin: { suitebridge: 'bin/suitebridge.js' },
    // The emulator and the demo try the repository's emulator first, then @suitebridge/emulator (emulatorModule.ts).
    allowedDangling: ['lib/client/src/onboarding/emulatorModule.js -> ../../../emulator/src/index'],
    entries: {
      '.': ['client/src/index'],
      './sqlite': { modules: ['client/src/store/sqlite'], needs: ['better-sqlite3'], errorsModule: 'client/src/errors' },
      './redis': { modules: ['client/src/store/redis', 'client/src/http/accountSemaphore', 'client/src/tokens/redisTokenLock'], needs: ['ioredis', 'redis-semaphore'], errorsModule: 'client/src/errors' },
      './postgres': { modules: ['client/src/store/postgres', 'client/src/store/postgresMigrations'], needs: ['pg'], errorsModule: 'client/src/errors' },
      './console': { modules: ['client/src/console/index'], needs: ['fastify'], errorsModule: 'client/src/errors' },
      './service': { modules: ['service/src/index'], needs: SERVICE_PEERS, errorsModule: 'client/src/errors' },
    },
    expectedDependencies: ['jose', 'oauth4webapi', '@peculiar/x509', 'reflect-metadata', 'commander'],
    optionalPeers: ['better-sqlite3', '@types/better-sqlite3', 'ioredis', 'redis-semaphore', 'pg', '@types/pg', 'fastify', 'undici', ...SERVICE_PEERS, '@suitebridge/emulator'],
    // `suitebridge serve` checks for these before it starts (the service resolves @fastify/helmet with require.resolve).
    alsoPeers: [...SERVICE_PEERS, 'better-sqlite3', 'pg', '@suitebridge/emulator'],
    alsoDepends: [],
    readme: CORE_README,
  },
  {
    name: '@suitebridge/emulator',
    folder: 'emulator',
    description: 'Local NetSuite stand-in for tests: OAuth 2.0, certificate API, SuiteQL, REST records, RESTlets, staged failures',
    compiled: [
      { from: 'emulator/src', exclude: [] },
      { from: 'client/src/redact.js', exclude: [] },
      { from: 'client/src/redact.d.ts', exclude: [] },
      // The RESTlet host reads SDF projects with the validator's project loader.
      { from: 'tools/sdf', exclude: ['tools/sdf/cli.', 'tools/sdf/package', 'tools/sdf/validate-cli.'] },
    ],
    copies: [
      ['src/manifest.xml', 'sdf/manifest.xml'],
      ['src/deploy.xml', 'sdf/deploy.xml'],
      ['src/Objects', 'sdf/Objects'],
      ['src/FileCabinet', 'sdf/FileCabinet'],
    ],
    extraFiles: {
      'lib/package/emulator.js': EMULATOR_WRAPPER,
      'lib/package/emulator.d.ts': EMULATOR_WRAPPER_DTS,
      'bin/suitebridge-emulator.js': EMULATOR_BIN,
    },
    extraPublished: ['bin/', 'sdf/'],
    bin: { 'suitebridge-emulator': 'bin/suitebridge-emulator.js' },
    entries: { '.': ['package/emulator'] },
    expectedDependencies: ['fastify', 'better-sqlite3', '@types/better-sqlite3', 'jose', '@peculiar/x509', 'reflect-metadata', 'fast-xml-parser', 'undici'],
    optionalPeers: [],
    // The suitebridge client reaches the emulator's *.localhost hosts through undici: installing the emulator brings it.
    alsoDepends: ['undici'],
    readme: EMULATOR_README,
  },
];
