import { INSTALL_CHECK_UNIT_BUDGET } from '../../src/TypeScripts/suitebridge/lib/budget';
import { mockNetSuiteModules, scriptOnFreshAccount } from './helpers/fakeAccountScript';
import { ALL_FEATURES, APP_ROLE_USER, COST, FakeNetSuite, thrownBy } from './helpers/fakeNetSuite';

mockNetSuiteModules();

interface Check {
  id: string;
  ok: boolean;
  detail: string;
  remedy: string;
}
interface Report {
  ok: boolean;
  unitsUsed: number;
  remainingUsage: number;
  appRole: { internalId: number; scriptId: string } | null;
  checks: Check[];
}
interface InstallCheckScript {
  get: (params?: Record<string, unknown>) => Report;
}

const CHECK_IDS = ['bundle_installed', 'script_bundle', 'features', 'app_role', 'entity_role', 'caller_permissions', 'config_record'];
const OUR_SCRIPTS = [
  'customscript_sbr_rl_health',
  'customscript_sbr_rl_install_check',
  'customscript_sbr_rl_config',
  'customscript_sbr_rl_setup',
  'customscript_sbr_bis_install',
];

function check(report: Report, id: string): Check {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
}

describe('sbr_rl_install_check (built AMD)', () => {
  let ns: FakeNetSuite;
  let script: InstallCheckScript;

  beforeEach(() => {
    ({ ns, script } = scriptOnFreshAccount<InstallCheckScript>('sbr_rl_install_check', (account) => {
      account.installedBundles.add('512345');
      for (const id of OUR_SCRIPTS) account.scriptBundles[id] = [512345];
      account.employees.set(8, [1001]);
      account.giveAccess.set(8, true);
      account.addConfig('cert.max_active', '5');
    }));
  });

  it('reports every check, in order, all ok on a healthy install', () => {
    const report = script.get({ bundleId: '512345', entity: '8', script: '3', deploy: '1' });
    expect(report.checks.map((c) => c.id)).toEqual(CHECK_IDS);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.appRole).toEqual({ internalId: 1001, scriptId: 'customrole_sbr_integration' });
    expect(check(report, 'app_role').detail).toMatch(/internal ID 1001/);
    expect(check(report, 'script_bundle').detail).toContain('customscript_sbr_bis_install: 512345');
    for (const c of report.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'id', 'ok', 'remedy']);
  });

  describe('governance', () => {
    it('reports units used from getRemainingUsage deltas and stays within the budget', () => {
      ns.remaining = 4990;
      const report = script.get({ bundleId: '512345', entity: '8' });
      const expected = COST.isBundleInstalled + COST.listBundlesContainingScripts + 2 * COST.runSuiteQL + COST.employeeLoad;
      expect(report.unitsUsed).toBe(expected);
      expect(report.remainingUsage).toBe(4990 - expected);
      expect(ns.remaining).toBe(report.remainingUsage);
      expect(report.unitsUsed).toBeLessThanOrEqual(INSTALL_CHECK_UNIT_BUDGET);
      expect(INSTALL_CHECK_UNIT_BUDGET).toBe(50);
    });

    it('costs less when the optional checks are skipped', () => {
      const report = script.get({});
      expect(report.unitsUsed).toBe(COST.listBundlesContainingScripts + 2 * COST.runSuiteQL);
      expect(ns.suiteAppInfo.isBundleInstalled).not.toHaveBeenCalled();
      expect(ns.record.load).not.toHaveBeenCalled();
    });

    it('counts units spent by a check that fails', () => {
      ns.missingTables.add('customrecord_sbr_config');
      const report = script.get({});
      expect(report.unitsUsed).toBe(5000 - ns.remaining);
      expect(report.unitsUsed).toBe(COST.listBundlesContainingScripts + 2 * COST.runSuiteQL);
    });
  });

  it('skips bundle_installed and entity_role without parameters, still ok', () => {
    const report = script.get();
    expect(check(report, 'bundle_installed')).toMatchObject({ ok: true, detail: expect.stringMatching(/^skipped/) });
    expect(check(report, 'entity_role')).toMatchObject({ ok: true, detail: expect.stringMatching(/^skipped/) });
    expect(report.ok).toBe(true);
  });

  it('passes bundleId to isBundleInstalled as a number, as Oracle documents it', () => {
    script.get({ bundleId: '512345' });
    expect(ns.suiteAppInfo.isBundleInstalled).toHaveBeenCalledWith({ bundleId: 512345 });
  });

  it('fails bundle_installed when the bundle is absent', () => {
    const report = script.get({ bundleId: '999' });
    expect(check(report, 'bundle_installed')).toMatchObject({ ok: false, remedy: expect.stringContaining('SuiteBundler') });
    expect(report.ok).toBe(false);
  });

  it('names the scripts missing from the bundle', () => {
    ns.scriptBundles['customscript_sbr_bis_install'] = [];
    const c = check(script.get({ bundleId: '512345' }), 'script_bundle');
    expect(c.ok).toBe(false);
    expect(c.detail).toContain('customscript_sbr_bis_install: no bundle');
    expect(c.remedy).toContain('Add customscript_sbr_bis_install to bundle 512345');
  });

  it('says when the scripts were deployed with SDF rather than bundled', () => {
    ns.scriptBundles = {};
    expect(check(script.get(), 'script_bundle')).toMatchObject({ ok: true, detail: expect.stringMatching(/^not in any bundle/) });
  });

  describe('features', () => {
    it('checks the object features and the integration features, all in effect', () => {
      const c = check(script.get(), 'features');
      expect(c).toMatchObject({ ok: true, detail: `in effect: ${ALL_FEATURES.join(', ')}`, remedy: '' });
      for (const feature of ALL_FEATURES) expect(ns.runtime.isFeatureInEffect).toHaveBeenCalledWith({ feature });
    });

    it('fails with the feature name and where to enable it', () => {
      ns.features.delete('CUSTOMRECORDS');
      const c = check(script.get(), 'features');
      expect(c).toMatchObject({ ok: false, detail: 'not in effect: CUSTOMRECORDS' });
      expect(c.remedy).toBe('Enable "Custom Records" (CUSTOMRECORDS) at Setup > Company > Enable Features > SuiteCloud, save, then try again.');
    });

    it.each([
      ['CUSTOMCODE', 'Client SuiteScript', 'Setup > Company > Enable Features > SuiteCloud'],
      ['SUITEANALYTICSWORKBOOK', 'SuiteAnalytics Workbook', 'Setup > Company > Enable Features > Analytics'],
    ])('fails when %s (%s) is off, and says its feature ID is UNCERTAIN', (id, label, where) => {
      ns.features.delete(id);
      const c = check(script.get(), 'features');
      expect(c).toMatchObject({ ok: false, detail: `not in effect: ${id}` });
      expect(c.remedy).toContain(`"${label}" (${id}) at ${where}`);
      expect(c.remedy).toMatch(new RegExp(`the feature ID ${id} may not be NetSuite's \\(UNCERTAIN\\)`));
    });

    it.each([
      ['OAUTH2', 'OAuth 2.0', 'SuiteCloud > Manage Authentication'],
      ['RESTWEBSERVICES', 'REST Web Services', 'SuiteCloud > SuiteTalk (Web Services)'],
    ])('fails when %s is off, naming %s and %s', (id, label, where) => {
      ns.features.delete(id);
      const c = check(script.get(), 'features');
      expect(c).toMatchObject({ ok: false, detail: `not in effect: ${id}` });
      expect(c.remedy).toContain(`"${label}" (${id}) at Setup > Company > Enable Features > ${where}`);
      expect(c.remedy).not.toMatch(/UNCERTAIN/);
    });

    it('notes, without failing, an UNCERTAIN feature ID that NetSuite does not know', () => {
      ns.unknownFeatures.add('SUITEANALYTICSWORKBOOK');
      const c = check(script.get(), 'features');
      expect(c.ok).toBe(true);
      expect(c.detail).toBe(
        'in effect: SERVERSIDESCRIPTING, CUSTOMRECORDS, OAUTH2, RESTWEBSERVICES, CUSTOMCODE; ' +
          'SUITEANALYTICSWORKBOOK not checked: feature ID UNCERTAIN, NetSuite answered INVALID_FEATURE_ID: Feature ID "SUITEANALYTICSWORKBOOK" is not a valid feature.',
      );
    });

    it('fails when a CONFIRMED feature cannot be read', () => {
      ns.unknownFeatures.add('OAUTH2');
      const c = check(script.get(), 'features');
      expect(c.ok).toBe(false);
      expect(c.detail).toMatch(/^OAUTH2 unreadable \(INVALID_FEATURE_ID: /);
      expect(c.remedy).toMatch(/install_check again/);
    });
  });

  it('reports a missing app role with appRole null', () => {
    ns.roles = [];
    const report = script.get({ entity: '8' });
    expect(report.appRole).toBeNull();
    expect(check(report, 'app_role')).toMatchObject({ ok: false, detail: 'role customrole_sbr_integration not found' });
    expect(check(report, 'entity_role').ok).toBe(false);
    expect(report.ok).toBe(false);
  });

  it('reports an inactive app role', () => {
    ns.roles[0]!.isinactive = 'T';
    const report = script.get();
    expect(check(report, 'app_role')).toMatchObject({ ok: false, detail: expect.stringMatching(/inactive/) });
    expect(report.appRole).toEqual({ internalId: 1001, scriptId: 'customrole_sbr_integration' });
  });

  it('reports a failing role lookup as a failed check, not an error', () => {
    ns.missingTables.add('role');
    const report = script.get();
    expect(check(report, 'app_role')).toMatchObject({ ok: false, detail: expect.stringMatching(/^check failed: SSS_SEARCH_ERROR_OCCURRED/) });
    expect(report.appRole).toBeNull();
  });

  it('checks whether the entity holds the app role', () => {
    ns.employees.set(8, [15]);
    const c = check(script.get({ entity: '8' }), 'entity_role');
    expect(c).toMatchObject({ ok: false, detail: 'employee 8 does not hold role 1001' });
    expect(c.remedy).toContain('POST {"entity": 8} to the setup RESTlet');
    expect(check(script.get({ entity: '404' }), 'entity_role')).toMatchObject({ ok: false, detail: 'employee 404 not found' });
  });

  it('fails entity_role when the employee holds the role without login access (Give Access off)', () => {
    ns.giveAccess.set(8, false);
    const c = check(script.get({ entity: '8' }), 'entity_role');
    expect(c).toMatchObject({ ok: false, detail: 'employee 8 holds role 1001 but Give Access is off, so it cannot sign in with it' });
    expect(c.remedy).toContain('POST {"entity": 8} to the setup RESTlet');
    expect(c.remedy).toContain('check Give Access');
  });

  it('turns an employee read the caller may not do into a failed check with a remedy', () => {
    ns.record.load.mockImplementation(() => {
      throw Object.assign(new Error('Permission Violation'), { name: 'INSUFFICIENT_PERMISSION' });
    });
    const c = check(script.get({ entity: '8' }), 'entity_role');
    expect(c).toMatchObject({ ok: false, detail: 'check failed: INSUFFICIENT_PERMISSION: Permission Violation' });
    expect(c.remedy).toMatch(/as Administrator/);
  });

  describe('caller_permissions', () => {
    it('is skipped for callers not on the app role', () => {
      expect(check(script.get(), 'caller_permissions')).toMatchObject({ ok: true, detail: expect.stringMatching(/^skipped: caller runs as role administrator/) });
    });

    it('passes when the app role has its permissions, SuiteAnalytics Workbook (REPO_ANALYTICS EDIT) included', () => {
      ns.user = { ...APP_ROLE_USER };
      const c = check(script.get(), 'caller_permissions');
      expect(c.ok).toBe(true);
      expect(c.detail).toBe('ADMI_LOGIN_OAUTH2 ok; ADMI_RESTWEBSERVICES ok; REPO_ANALYTICS ok; ADMI_MANAGE_OWN_OAUTH2_CERTS ok');
      expect(ns.runtime.getCurrentUser().getPermission({ name: 'REPO_ANALYTICS' })).toBe(3);
    });

    it('fails on a missing or too-low permission', () => {
      ns.user = {
        ...APP_ROLE_USER,
        roleId: 'CUSTOMROLE_SBR_INTEGRATION',
        permissions: { ADMI_LOGIN_OAUTH2: 4, ADMI_RESTWEBSERVICES: 1, ADMI_MANAGE_OWN_OAUTH2_CERTS: 4 },
      };
      const c = check(script.get(), 'caller_permissions');
      expect(c.ok).toBe(false);
      expect(c.detail).toBe('ADMI_RESTWEBSERVICES is level 1, needs 4; REPO_ANALYTICS is level 0, needs 3; ADMI_LOGIN_OAUTH2 ok; ADMI_MANAGE_OWN_OAUTH2_CERTS ok');
      expect(c.remedy).toMatch(/Redeploy the role customrole_sbr_integration/);
    });

    it('fails when a CONFIRMED key gets an answer that is not a permission level', () => {
      ns.user = { ...APP_ROLE_USER };
      ns.unknownPermissionKeys.add('REPO_ANALYTICS');
      ns.unknownPermissionAnswer = 'undefined';
      const c = check(script.get(), 'caller_permissions');
      expect(c.ok).toBe(false);
      expect(c.detail).toMatch(/^REPO_ANALYTICS answered undefined, not a permission level;/);
    });

    it.each([
      ['throws', 'throw' as const, /ADMI_MANAGE_OWN_OAUTH2_CERTS unreadable \(SSS_INVALID_PERMISSION: Unknown permission ADMI_MANAGE_OWN_OAUTH2_CERTS\)/],
      ['answers undefined', 'undefined' as const, /ADMI_MANAGE_OWN_OAUTH2_CERTS answered undefined, not a permission level/],
    ])('notes, without failing, the UNCERTAIN key when NetSuite %s for it', (_label, answer, detail) => {
      ns.user = { ...APP_ROLE_USER };
      ns.unknownPermissionKeys.add('ADMI_MANAGE_OWN_OAUTH2_CERTS');
      ns.unknownPermissionAnswer = answer;
      const c = check(script.get(), 'caller_permissions');
      expect(c).toMatchObject({ ok: true, remedy: '' });
      expect(c.detail).toMatch(detail);
      expect(c.detail).toMatch(/the key is UNCERTAIN: check "Manage own OAuth 2.0 Client Credentials certificates" on the role's Permissions > Setup subtab/);
    });

    it('notes, without failing, the UNCERTAIN key read as level NONE (lacking it and an unknown key look the same)', () => {
      ns.user = { ...APP_ROLE_USER, permissions: { ...APP_ROLE_USER.permissions, ADMI_MANAGE_OWN_OAUTH2_CERTS: 0 } };
      const c = check(script.get(), 'caller_permissions');
      expect(c.ok).toBe(true);
      expect(c.detail).toMatch(/ADMI_MANAGE_OWN_OAUTH2_CERTS is level 0, needs 4 \(the key is UNCERTAIN/);
    });
  });

  it('reports a missing config record type', () => {
    ns.missingTables.add('customrecord_sbr_config');
    const c = check(script.get(), 'config_record');
    expect(c.ok).toBe(false);
    expect(c.remedy).toContain('customrecord_sbr_config');
  });

  it.each([
    ['bundleId', 'abc', 'SBR_INVALID_BUNDLE_ID'],
    ['bundleId', '-1', 'SBR_INVALID_BUNDLE_ID'],
    ['bundleId', '0', 'SBR_INVALID_BUNDLE_ID'],
    ['entity', '8.5', 'SBR_INVALID_ENTITY'],
    ['entity', '99999999999', 'SBR_INVALID_ENTITY'],
    ['entity', '8; DROP', 'SBR_INVALID_ENTITY'],
  ])('rejects %s=%p naming the parameter, before spending units', (field, value, code) => {
    const error = thrownBy(() => script.get({ [field]: value }));
    expect(error.name).toBe(code);
    expect(error.message).toContain(`URL parameter '${field}'`);
    expect(ns.remaining).toBe(5000);
  });
});
