/**
 * Shared setup of the tests that run a built SuiteBridge entry file against the in-memory account.
 */
import { loadBuiltScript } from './builtScripts';
import { FakeNetSuite } from './fakeNetSuite';

/** The N/* modules the built scripts import; FakeNetSuite drives each through Oracle's auto-mocked stub. */
const N_MODULES = ['N/runtime', 'N/query', 'N/record', 'N/suiteAppInfo', 'N/error', 'N/log'] as const;

/**
 * Auto-mocks every N/* module the built scripts use. Call at the top level of the test file: jest.mock registers
 * for the whole file, and the built scripts are only required later (in beforeEach or a test), so it takes effect.
 */
export function mockNetSuiteModules(): void {
  for (const name of N_MODULES) jest.mock(name);
}

export interface ScriptOnFakeAccount<T> {
  ns: FakeNetSuite;
  script: T;
}

/**
 * A fresh FakeNetSuite (which clears every mock), optionally prepared, then the built entry file `name` loaded on it.
 * Meant for a beforeEach: `({ ns, script } = scriptOnFreshAccount<Script>('sbr_rl_x'))`.
 */
export function scriptOnFreshAccount<T>(name: string, prepare?: (ns: FakeNetSuite) => void): ScriptOnFakeAccount<T> {
  const ns = new FakeNetSuite();
  prepare?.(ns);
  return { ns, script: loadBuiltScript<T>(name) };
}
