/**
 * The real SuiteBridge SDF project (src/) installed as a bundle into an emulated account and its compiled
 * RESTlets run through the host. Needs `npm run build:suitescript`; without the build output it is skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCOUNT, ADMIN_ENTITY, ADMIN_ROLE, FakeDirectory, PLAIN_ENTITY, call, fixedClock, json } from './fixtures/restlet-support';
import { BundleInstaller, RestletHost } from '../../emulator/src/restlet';

const PROJECT = path.join(__dirname, '..', '..', 'src');
const BUILT = ['health', 'install_check', 'config', 'setup']
  .map((name) => path.join(PROJECT, 'FileCabinet/SuiteScripts/suitebridge', `sbr_rl_${name}.js`))
  .concat(path.join(PROJECT, 'FileCabinet/SuiteScripts/suitebridge/sbr_bis_install.js'))
  .every((file) => fs.existsSync(file));
const BUNDLE = '512345';

const describeBuilt = BUILT ? describe : describe.skip;
if (!BUILT) {
  // eslint-disable-next-line no-console
  console.warn('restlet-real-project: SKIPPED, no build output in src/FileCabinet/SuiteScripts/suitebridge; run `npm run build:suitescript`.');
}

const ids = (name: string) => ({ scriptId: `customscript_sbr_rl_${name}`, deployId: `customdeploy_sbr_rl_${name}` });

async function realAccount() {
  const directory = new FakeDirectory();
  const clock = fixedClock();
  const host = new RestletHost({ projectDir: PROJECT, directory, clock });
  const installer = new BundleInstaller({ projectDir: PROJECT, directory, host, clock });
  return { directory, clock, host, installer };
}

async function installedReal() {
  const env = await realAccount();
  const installed = await env.installer.install(ACCOUNT, BUNDLE);
  env.directory.assignRole(ACCOUNT, PLAIN_ENTITY, installed.role.internalId);
  return { ...env, installed, app: { entityId: PLAIN_ENTITY, roleId: installed.role.internalId } };
}

describeBuilt('the real SuiteBridge project in the RESTlet host', () => {
  it('fails calls before install as calls to a missing script do', async () => {
    const { host } = await realAccount();
    const result = await host.handle(call(ids('health')));
    expect(result.status).toBe(400);
    expect(json(result).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });

  it('installs: role 1001 customrole_sbr_integration with the role XML permissions, config table, scripts', async () => {
    const { installed, directory } = await installedReal();
    expect(installed.role).toEqual({ internalId: 1001, scriptId: 'customrole_sbr_integration' });
    expect(installed.customRecordTypes).toEqual(['customrecord_sbr_config']);
    expect(installed.scripts).toEqual(
      expect.arrayContaining(['customscript_sbr_rl_health', 'customscript_sbr_rl_install_check', 'customscript_sbr_rl_config', 'customscript_sbr_rl_setup', 'customscript_sbr_bis_install']),
    );
    const role = directory.getRole(ACCOUNT, 1001);
    expect(Object.fromEntries(role?.permissions ?? [])).toEqual({
      ADMI_LOGIN_OAUTH2: 'FULL',
      ADMI_RESTWEBSERVICES: 'FULL',
      REPO_ANALYTICS: 'EDIT',
      '[scriptid=customrecord_sbr_config]': 'EDIT',
      ADMI_MANAGE_OWN_OAUTH2_CERTS: 'FULL',
    });
    expect(installed.unitsUsed).toBeLessThanOrEqual(10_000);
  });

  it('aborts the install with the script\'s message when a required feature is off', async () => {
    const directory = new FakeDirectory();
    const clock = fixedClock();
    const host = new RestletHost({ projectDir: PROJECT, directory, clock, features: { [ACCOUNT]: ['SERVERSIDESCRIPTING'] } });
    const installer = new BundleInstaller({ projectDir: PROJECT, directory, host, clock });
    await expect(installer.install(ACCOUNT, BUNDLE)).rejects.toThrow(/SBR_FEATURE_DISABLED: SuiteBridge needs the CUSTOMRECORDS feature/);
    expect(installer.installed(ACCOUNT)).toEqual([]);
    expect(directory.getRoleByScriptId(ACCOUNT, 'customrole_sbr_integration')).toBeUndefined();
  });

  it('seeds the default configuration in afterInstall and keeps it on update', async () => {
    const { host, installer, app } = await installedReal();
    const seeded = json(await host.handle(call({ ...ids('config'), user: app }))).entries;
    expect(Object.keys(seeded).length).toBeGreaterThan(0);
    await host.handle(call({ ...ids('config'), user: app, method: 'PUT', body: { entries: { 'cert.max_active': '2' } } }));
    const update = await installer.install(ACCOUNT, BUNDLE, { version: '1.1.0' });
    expect(update).toMatchObject({ action: 'update', fromVersion: '1.0.0', version: '1.1.0' });
    const after = json(await host.handle(call({ ...ids('config'), user: app }))).entries;
    expect(after).toEqual({ ...seeded, 'cert.max_active': '2' });
  });

  it('health answers the contract shape for the app role, at no governance cost', async () => {
    const { host, app } = await installedReal();
    const result = await host.handle(call({ ...ids('health'), user: app }));
    expect(result.status).toBe(200);
    expect(json(result)).toEqual({
      accountId: ACCOUNT,
      environment: 'PRODUCTION',
      version: '2026.2',
      userId: PLAIN_ENTITY,
      roleId: 1001,
      roleScriptId: 'customrole_sbr_integration',
      remainingUsage: 5000,
      serverTime: '2026-11-22T10:00:00.000Z',
    });
    expect(result.unitsUsed).toBe(0);
  });

  it('install_check reports its governance use (at most 50 units) and every check', async () => {
    const { host, app } = await installedReal();
    const result = await host.handle(call({ ...ids('install_check'), user: app, query: { bundleId: BUNDLE, entity: String(PLAIN_ENTITY) } }));
    expect(result.status).toBe(200);
    const body = json(result);
    expect(body.unitsUsed).toBe(result.unitsUsed);
    expect(result.unitsUsed).toBeGreaterThan(0);
    expect(result.unitsUsed).toBeLessThanOrEqual(50);
    expect(body.remainingUsage).toBe(5000 - result.unitsUsed);
    expect(body.appRole).toEqual({ internalId: 1001, scriptId: 'customrole_sbr_integration' });
    expect(body.checks.map((c: { id: string }) => c.id).sort()).toEqual(
      ['app_role', 'bundle_installed', 'caller_permissions', 'config_record', 'entity_role', 'features', 'script_bundle'].sort(),
    );
    // Least privilege at work: the app role has no employee permission, so it cannot read the entity's roles.
    const failing = body.checks.filter((c: { ok: boolean }) => !c.ok);
    expect(failing).toEqual([expect.objectContaining({ id: 'entity_role', detail: expect.stringContaining('INSUFFICIENT_PERMISSION') })]);
    expect(body.ok).toBe(false);
  });

  it('install_check passes every check when an Administrator runs it', async () => {
    const { host } = await installedReal();
    const admin = { entityId: ADMIN_ENTITY, roleId: ADMIN_ROLE };
    const result = await host.handle(call({ ...ids('install_check'), user: admin, query: { bundleId: BUNDLE, entity: String(PLAIN_ENTITY) } }));
    const body = json(result);
    expect(body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(body.ok).toBe(true);
    expect(result.unitsUsed).toBeLessThanOrEqual(50);
    expect(body.unitsUsed).toBe(result.unitsUsed);
  });

  it('install_check notices a bundle ID that is not installed', async () => {
    const { host, app } = await installedReal();
    const body = json(await host.handle(call({ ...ids('install_check'), user: app, query: { bundleId: '999999' } })));
    expect(body.ok).toBe(false);
    expect(body.checks.find((c: { id: string }) => c.id === 'bundle_installed').ok).toBe(false);
  });

  it('config PUT then GET round-trips entries for the app role', async () => {
    const { host, app } = await installedReal();
    const put = await host.handle(call({ ...ids('config'), user: app, method: 'PUT', body: JSON.stringify({ entries: { 'sync.interval': '15', 'feature.x': 'on' } }) }));
    expect(put.status).toBe(200);
    expect(json(put)).toEqual({ created: ['sync.interval', 'feature.x'], updated: [], unchanged: [] });
    const again = json(await host.handle(call({ ...ids('config'), user: app, method: 'PUT', body: { entries: { 'sync.interval': '30', 'feature.x': 'on' } } })));
    expect(again).toEqual({ created: [], updated: ['sync.interval'], unchanged: ['feature.x'] });
    const get = json(await host.handle(call({ ...ids('config'), user: app })));
    expect(get.entries).toMatchObject({ 'sync.interval': '30', 'feature.x': 'on' });
    const one = json(await host.handle(call({ ...ids('config'), user: app, query: { key: 'feature.x' } })));
    expect(one).toEqual({ entries: { 'feature.x': 'on' } });
  });

  it('config rejects a bad key with an SBR_ error', async () => {
    const { host, app } = await installedReal();
    const result = await host.handle(call({ ...ids('config'), user: app, method: 'PUT', body: { entries: { 'Bad Key': 'x' } } }));
    expect(result.status).toBe(400);
    expect(json(result).error.code).toMatch(/^SBR_/);
  });

  it('setup as Administrator gives the employee the app role once', async () => {
    const { host, directory } = await realAccount().then(async (env) => ({ ...env, installed: await env.installer.install(ACCOUNT, BUNDLE) }));
    const admin = { entityId: ADMIN_ENTITY, roleId: ADMIN_ROLE };
    const first = await host.handle(call({ ...ids('setup'), user: admin, method: 'POST', body: { entity: PLAIN_ENTITY } }));
    expect(first.status).toBe(200);
    expect(json(first)).toEqual({ entity: PLAIN_ENTITY, roleId: 1001, roleScriptId: 'customrole_sbr_integration', changed: true });
    expect(directory.rolesOf(ACCOUNT, PLAIN_ENTITY).map((r) => r.internalId)).toEqual([1001]);
    const second = await host.handle(call({ ...ids('setup'), user: admin, method: 'POST', body: { entity: PLAIN_ENTITY } }));
    expect(json(second)).toMatchObject({ changed: false });
  });

  it('setup refuses the app role: its deployment audience is Administrator only', async () => {
    const { host, app } = await installedReal();
    const result = await host.handle(call({ ...ids('setup'), user: app, method: 'POST', body: { entity: PLAIN_ENTITY } }));
    expect(result.status).toBe(403);
    expect(json(result).error.code).toBe('INSUFFICIENT_PERMISSION');
  });

  it('uninstalls cleanly', async () => {
    const { host, installer, directory, app } = await installedReal();
    await installer.uninstall(ACCOUNT, BUNDLE);
    expect(directory.getRoleByScriptId(ACCOUNT, 'customrole_sbr_integration')).toBeUndefined();
    expect(json(await host.handle(call({ ...ids('health'), user: app }))).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });
});
