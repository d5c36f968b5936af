// One jest run, one project per part of the repository. See README "Tests".
const SuiteCloudJestConfiguration = require('@oracle/suitecloud-unit-testing/jest-configuration/SuiteCloudJestConfiguration');

const suiteCloud = SuiteCloudJestConfiguration.build({
  projectFolder: 'src',
  projectType: SuiteCloudJestConfiguration.ProjectType.ACP,
});

const tsTransform = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];
// jose and oauth4webapi ship ESM only; jest's CommonJS runtime needs them transpiled.
const esmOnlyPackages = ['jose', 'oauth4webapi', 'openid-client', 'cookie'];
const esmTransform = ['babel-jest', { presets: [['@babel/preset-env', { targets: { node: 'current' } }]] }];

function nodeProject(name, extra = {}) {
  return {
    displayName: name,
    testEnvironment: 'node',
    roots: [`<rootDir>/test/${name}`],
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': tsTransform, '^.+\\.m?js$': esmTransform },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages.join('|')})/)`],
    ...extra,
  };
}

module.exports = {
  reporters: ['default', '<rootDir>/test/support/partSummaryReporter.js'],
  projects: [
    {
      ...suiteCloud,
      displayName: 'suitescript',
      roots: ['<rootDir>/test/suitescript'],
      testMatch: ['**/*.test.ts', '**/*.test.js'],
      transform: { ...suiteCloud.transform, '^.+\\.ts$': tsTransform },
    },
    nodeProject('client'),
    nodeProject('emulator'),
    nodeProject('e2e'),
    nodeProject('browser'),
    nodeProject('service'),
    nodeProject('packages'),
    nodeProject('docs'),
  ],
};
