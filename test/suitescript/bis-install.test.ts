import { mockNetSuiteModules, scriptOnFreshAccount } from './helpers/fakeAccountScript';
import { COST, FakeNetSuite, thrownBy } from './helpers/fakeNetSuite';

mockNetSuiteModules();

type Hook<C> = (context: C) => void;
interface InstallScript {
  beforeInstall: Hook<{ version: number }>;
  afterInstall: Hook<{ version: number }>;
  beforeUpdate: Hook<{ fromVersion: number; toVersion: number }>;
  afterUpdate: Hook<{ fromVersion: number; toVersion: number }>;
  beforeUninstall: Hook<{ version: number }>;
}

const DEFAULT_KEYS = ['cert.expiry_warning_days', 'cert.max_active', 'suitebridge.schema_version'];

describe('sbr_bis_install (built AMD)', () => {
  let ns: FakeNetSuite;
  let script: InstallScript;

  beforeEach(() => {
    ({ ns, script } = scriptOnFreshAccount<InstallScript>('sbr_bis_install'));
  });

  it('exports the five bundle installation entry points', () => {
    expect(Object.keys(script).sort()).toEqual(['afterInstall', 'afterUpdate', 'beforeInstall', 'beforeUninstall', 'beforeUpdate']);
  });

  it('passes the prerequisite check when both features are on', () => {
    expect(() => script.beforeInstall({ version: 1 })).not.toThrow();
    expect(() => script.beforeUpdate({ fromVersion: 1, toVersion: 2 })).not.toThrow();
    expect(ns.runtime.isFeatureInEffect).toHaveBeenCalledWith({ feature: 'SERVERSIDESCRIPTING' });
    expect(ns.runtime.isFeatureInEffect).toHaveBeenCalledWith({ feature: 'CUSTOMRECORDS' });
  });

  it.each([
    ['SERVERSIDESCRIPTING', 'Server SuiteScript'],
    ['CUSTOMRECORDS', 'Custom Records'],
  ])('beforeInstall and beforeUpdate fail when %s is off, naming it and where to enable it', (feature, label) => {
    ns.features.delete(feature);
    for (const run of [() => script.beforeInstall({ version: 1 }), () => script.beforeUpdate({ fromVersion: 1, toVersion: 2 })]) {
      const error = thrownBy(run);
      expect(error.name).toBe('SBR_FEATURE_DISABLED');
      expect(error.message).toContain(feature);
      expect(error.message).toContain(label);
      expect(error.message).toContain('Setup > Company > Enable Features > SuiteCloud');
    }
  });

  it.each(['OAUTH2', 'RESTWEBSERVICES', 'CUSTOMCODE', 'SUITEANALYTICSWORKBOOK'])(
    'does not block the install when the run-time feature %s is off or unknown (install_check reports it)',
    (feature) => {
      ns.features.delete(feature);
      ns.unknownFeatures.add(feature);
      expect(() => script.beforeInstall({ version: 1 })).not.toThrow();
      expect(ns.runtime.isFeatureInEffect).not.toHaveBeenCalledWith({ feature });
    },
  );

  it('names every missing feature at once', () => {
    ns.features.clear();
    expect(thrownBy(() => script.beforeInstall({ version: 1 })).message).toMatch(/SERVERSIDESCRIPTING, CUSTOMRECORDS/);
  });

  it('afterInstall seeds the default configuration', () => {
    script.afterInstall({ version: 1 });
    expect(Object.keys(ns.activeConfig()).sort()).toEqual(DEFAULT_KEYS);
    expect(ns.activeConfig()['cert.max_active']).toBe('5');
    expect(ns.remaining).toBe(5000 - COST.runSuiteQL - DEFAULT_KEYS.length * (COST.customRecordCreate + COST.customRecordSave));
    expect(ns.log.audit).toHaveBeenCalledWith(expect.objectContaining({ title: 'SuiteBridge installed (version 1)' }));
  });

  it('seeding is idempotent and never overwrites an administrator’s values', () => {
    ns.addConfig('cert.max_active', '2');
    ns.addConfig('suitebridge.schema_version', '1', 'T');
    script.afterInstall({ version: 1 });
    script.afterUpdate({ fromVersion: 1, toVersion: 2 });
    expect(ns.configRows).toHaveLength(3);
    expect(ns.configRows.find((r) => r.key === 'cert.max_active')?.value).toBe('2');
    expect(ns.configRows.find((r) => r.key === 'suitebridge.schema_version')?.isinactive).toBe('T');
    expect(ns.record.submitFields).not.toHaveBeenCalled();
    expect(ns.log.audit).toHaveBeenLastCalledWith(
      expect.objectContaining({ title: 'SuiteBridge updated (1 -> 2)', details: expect.stringMatching(/created 0 \[\], kept 3/) }),
    );
  });

  it('beforeUninstall only logs', () => {
    script.beforeUninstall({ version: 3 });
    expect(ns.log.audit).toHaveBeenCalledWith(expect.objectContaining({ title: 'SuiteBridge uninstalling (version 3)' }));
    expect(ns.remaining).toBe(5000);
    expect(ns.record.create).not.toHaveBeenCalled();
  });
});
