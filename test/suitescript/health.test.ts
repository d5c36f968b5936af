import { mockNetSuiteModules, scriptOnFreshAccount } from './helpers/fakeAccountScript';
import { APP_ROLE_USER, FakeNetSuite, FakeSuiteScriptError, thrownBy } from './helpers/fakeNetSuite';

mockNetSuiteModules();

interface HealthScript {
  get: (params?: Record<string, string>) => Record<string, unknown>;
}

describe('sbr_rl_health (built AMD)', () => {
  let ns: FakeNetSuite;
  let health: HealthScript;

  beforeEach(() => {
    ({ ns, script: health } = scriptOnFreshAccount<HealthScript>('sbr_rl_health'));
  });

  it('exports only the GET entry point', () => {
    expect(Object.keys(health).sort()).toEqual(['get']);
  });

  it('reports account, environment, version, caller and usage', () => {
    ns.user = { ...APP_ROLE_USER };
    ns.runtime.envType = 'SANDBOX';
    ns.runtime.accountId = '1234567_SB1';
    const before = Date.now();
    const response = health.get({ script: '1', deploy: '1' });
    expect(response).toEqual({
      accountId: '1234567_SB1',
      environment: 'SANDBOX',
      version: '2026.2',
      userId: 8,
      roleId: 1001,
      roleScriptId: 'customrole_sbr_integration',
      remainingUsage: 5000,
      serverTime: expect.any(String),
    });
    const serverTime = Date.parse(String(response['serverTime']));
    expect(serverTime).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(serverTime).toISOString()).toBe(response['serverTime']);
  });

  it('uses no governance units beyond N/runtime', () => {
    health.get();
    expect(ns.remaining).toBe(5000);
    expect(ns.query.runSuiteQL).not.toHaveBeenCalled();
    expect(ns.record.load).not.toHaveBeenCalled();
    expect(ns.suiteAppInfo.isBundleInstalled).not.toHaveBeenCalled();
  });

  it('reports remaining usage as the script sees it', () => {
    ns.remaining = 4321;
    expect(health.get()['remainingUsage']).toBe(4321);
  });

  it('turns an unexpected failure into SBR_INTERNAL without the stack', () => {
    ns.runtime.getCurrentUser.mockImplementation(() => {
      throw new TypeError('boom at internal/thing.js:12');
    });
    const error = thrownBy(() => health.get());
    expect(error).toBeInstanceOf(FakeSuiteScriptError);
    expect(error.name).toBe('SBR_INTERNAL');
    expect(error.message).not.toMatch(/boom|thing\.js/);
    expect(ns.log.error).toHaveBeenCalledWith({ title: 'sbr_rl_health: unexpected error', details: 'TypeError: boom at internal/thing.js:12' });
  });
});
