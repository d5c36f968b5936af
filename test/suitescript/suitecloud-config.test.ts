import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './helpers/builtScripts';

jest.mock('node:child_process', () => ({ spawnSync: jest.fn() }));

interface Hook {
  beforeExecuting: (args: Record<string, unknown>) => Promise<Record<string, unknown>>;
}
interface SuiteCloudConfig {
  defaultProjectFolder: string;
  commands: Record<string, Hook>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(REPO_ROOT, 'suitecloud.config.js')) as SuiteCloudConfig;
const spawn = spawnSync as unknown as jest.Mock;

function stepsRun(): string[] {
  return spawn.mock.calls.map(([, args]: [string, string[]]) => path.relative(REPO_ROOT, args[0]!));
}

describe('suitecloud.config.js', () => {
  beforeEach(() => {
    spawn.mockReset();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  it('points the SuiteCloud CLI at src/', () => {
    expect(config.defaultProjectFolder).toBe('src');
  });

  it('project:deploy builds, validates and runs the SuiteScript tests before deploying, and passes the args through', async () => {
    spawn.mockReturnValue({ status: 0 });
    const args = { validate: true };
    await expect(config.commands['project:deploy']!.beforeExecuting(args)).resolves.toBe(args);
    expect(stepsRun()).toEqual([
      'tools/build-suitescript.mjs',
      'node_modules/typescript/bin/tsc',
      'build/tools/sdf/validate-cli.js',
      'node_modules/jest/bin/jest.js',
    ]);
    expect(spawn.mock.calls[3]![1]).toEqual([expect.any(String), '--selectProjects', 'suitescript']);
  });

  it('project:deploy is blocked when the unit tests fail', async () => {
    spawn.mockImplementation((_node: string, args: string[]) => ({ status: args[0]!.includes('jest') ? 1 : 0 }));
    await expect(config.commands['project:deploy']!.beforeExecuting({})).rejects.toThrow(/SuiteScript unit tests \(jest\) failed \(exit 1\); nothing was deployed/);
  });

  it('project:deploy stops at the first failing step (a failed build never reaches the tests)', async () => {
    spawn.mockReturnValue({ status: 1 });
    await expect(config.commands['project:deploy']!.beforeExecuting({})).rejects.toThrow(/build SuiteScript/);
    expect(spawn).toHaveBeenCalledTimes(1);
  });

  it.each(['project:validate', 'project:package'])('%s builds and validates first', async (command) => {
    spawn.mockReturnValue({ status: 0 });
    await config.commands[command]!.beforeExecuting({});
    expect(stepsRun()).toEqual(['tools/build-suitescript.mjs', 'node_modules/typescript/bin/tsc', 'build/tools/sdf/validate-cli.js']);
  });
});
