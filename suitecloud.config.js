// SuiteCloud CLI project configuration (https://docs.oracle.com/…/subsect_156145736925.html).
// Before a deploy, the hook builds the SuiteScript from TypeScript, validates the project offline and runs the
// SuiteScript unit tests, so stale or failing JavaScript can never reach an account.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = __dirname;

function run(label, args) {
  console.log(`suitecloud.config.js: ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${label} failed (exit ${result.status ?? result.signal}); nothing was deployed.`);
  }
}

function build() {
  run('build SuiteScript (rollup)', [path.join(root, 'tools/build-suitescript.mjs')]);
  run('compile tools (tsc)', [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')]);
  run('validate SDF project offline', [path.join(root, 'build/tools/sdf/validate-cli.js')]);
}

function test() {
  run('SuiteScript unit tests (jest)', [require.resolve('jest/bin/jest'), '--selectProjects', 'suitescript']);
}

module.exports = {
  defaultProjectFolder: 'src',
  commands: {
    'project:deploy': {
      beforeExecuting: async (args) => {
        build();
        test();
        return args;
      },
    },
    'project:validate': {
      beforeExecuting: async (args) => {
        build();
        return args;
      },
    },
    'project:package': {
      beforeExecuting: async (args) => {
        build();
        return args;
      },
    },
  },
};
