import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACCOUNT, BUNDLE, FIXTURE_PROJECT, FakeDirectory, SANDBOX, call, fixedClock, installedFixture, json } from './fixtures/restlet-support';
import { BundleInstallError, BundleInstaller, RestletHost } from '../../emulator/src/restlet';

const MAIN = { scriptId: 'customscript_fx_rl_main', deployId: 'customdeploy_fx_rl_main' };

function fresh(features?: Record<string, string[]>, projectDir = FIXTURE_PROJECT) {
  const directory = new FakeDirectory();
  const clock = fixedClock();
  const host = new RestletHost({ projectDir, directory, clock, ...(features ? { features } : {}) });
  const installer = new BundleInstaller({ projectDir, directory, host, clock });
  return { directory, host, installer, clock };
}

function items(directory: FakeDirectory, accountId = ACCOUNT) {
  return directory
    .db(accountId)
    .prepare('SELECT custrecord_fx_item_key AS k, custrecord_fx_item_value AS v FROM customrecord_fx_item ORDER BY id')
    .all() as { k: string; v: string }[];
}

function tableExists(directory: FakeDirectory, name: string, accountId = ACCOUNT): boolean {
  return directory.db(accountId).prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

describe('BundleInstaller.install', () => {
  it('creates the role from the role XML with internal ID 1001 and its permissions', async () => {
    const { directory, installer } = fresh();
    const result = await installer.install(ACCOUNT, BUNDLE);
    expect(result).toMatchObject({
      bundleId: BUNDLE,
      action: 'install',
      version: '1.0.0',
      role: { internalId: 1001, scriptId: 'customrole_fx_app' },
      customRecordTypes: ['customrecord_fx_item'],
    });
    expect(result.scripts.sort()).toEqual([
      'customscript_fx_bis',
      'customscript_fx_rl_badmods',
      'customscript_fx_rl_exports',
      'customscript_fx_rl_main',
      'customscript_fx_rl_twodefines',
    ]);
    const role = directory.getRoleByScriptId(ACCOUNT, 'customrole_fx_app');
    expect(role?.internalId).toBe(1001);
    expect(Object.fromEntries(role?.permissions ?? [])).toEqual({
      ADMI_LOGIN_OAUTH2: 'FULL',
      ADMI_RESTWEBSERVICES: 'FULL',
      '[scriptid=customrecord_fx_item]': 'EDIT',
    });
  });

  it('creates the custom record table with id, name, isinactive and the custrecord_ fields', async () => {
    const { directory, installer } = fresh();
    await installer.install(ACCOUNT, BUNDLE);
    const columns = (directory.db(ACCOUNT).prepare('PRAGMA table_info(customrecord_fx_item)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(['id', 'name', 'isinactive', 'custrecord_fx_item_key', 'custrecord_fx_item_value', 'custrecord_fx_item_flag']);
  });

  it('runs afterInstall after the objects exist, as Administrator, with the version', async () => {
    const { directory, installer, host } = fresh();
    const result = await installer.install(ACCOUNT, BUNDLE, { version: '2.3.4' });
    expect(items(directory)).toEqual([
      { k: 'installed_version', v: '2.3.4' },
      { k: 'installer_role', v: '3' },
    ]);
    expect(result.unitsUsed).toBe(2 * (2 + 4));
    const audit = host.logs(ACCOUNT).find((e) => e.title === 'beforeInstall');
    expect(JSON.parse(audit?.details ?? '{}')).toEqual({ version: '2.3.4', context: 'BUNDLE_INSTALLATION', role: 3 });
  });

  it('makes the RESTlets callable only once installed', async () => {
    const { host, installer } = fresh();
    const before = await host.handle(call({ ...MAIN, query: { action: 'text' } }));
    expect(json(before).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
    await installer.install(ACCOUNT, BUNDLE);
    expect((await host.handle(call({ ...MAIN, query: { action: 'text' } }))).body).toBe('plain text');
  });

  it('aborts when beforeInstall throws, shows its message and creates nothing', async () => {
    const { directory, host, installer } = fresh({ [ACCOUNT]: ['SERVERSIDESCRIPTING'] });
    const attempt = installer.install(ACCOUNT, BUNDLE);
    await expect(attempt).rejects.toBeInstanceOf(BundleInstallError);
    await expect(installer.install(ACCOUNT, BUNDLE)).rejects.toThrow(
      /beforeInstall.*FX_FEATURE_MISSING: Enable Custom Records before installing \(version 1\.0\.0\)\./,
    );
    expect(directory.getRoleByScriptId(ACCOUNT, 'customrole_fx_app')).toBeUndefined();
    expect(tableExists(directory, 'customrecord_fx_item')).toBe(false);
    expect(installer.installed(ACCOUNT)).toEqual([]);
    expect(json(await host.handle(call({ ...MAIN, query: { action: 'text' } }))).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });

  it('lists installed bundles per account', async () => {
    const { installer, clock } = fresh();
    await installer.install(ACCOUNT, BUNDLE);
    expect(installer.installed(ACCOUNT)).toEqual([{ bundleId: BUNDLE, installedAt: new Date(clock.now()).toISOString() }]);
    expect(installer.installed(SANDBOX)).toEqual([]);
    expect(installer.installed('nope')).toEqual([]);
  });

  it('refuses an unknown account, a malformed bundle ID and a second bundle with the same scripts', async () => {
    const { installer } = fresh();
    await expect(installer.install('999', BUNDLE)).rejects.toThrow(/Account 999 does not exist/);
    await expect(installer.install(ACCOUNT, 'abc')).rejects.toThrow(/Bundle ID "abc" is not valid/);
    await installer.install(ACCOUNT, BUNDLE);
    await expect(installer.install(ACCOUNT, '777')).rejects.toThrow(/customscript_.* is already installed .* by bundle 512345/);
  });

  it('refuses a project whose script files are not built', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sbr-restlet-'));
    fs.cpSync(FIXTURE_PROJECT, copy, { recursive: true });
    fs.rmSync(path.join(copy, 'src/FileCabinet/SuiteScripts/fx/fx_rl_main.js'));
    const { installer } = fresh(undefined, copy);
    await expect(installer.install(ACCOUNT, BUNDLE)).rejects.toThrow(/fx_rl_main\.js .* is missing .*npm run build:suitescript/);
    fs.rmSync(copy, { recursive: true, force: true });
  });
});

describe('BundleInstaller reads only what deploy.xml deploys', () => {
  function projectWithDeployXml(deployXml: string): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sbr-restlet-'));
    fs.cpSync(FIXTURE_PROJECT, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'src/deploy.xml'), deployXml);
    return copy;
  }

  it('installs only the objects deploy.xml lists', async () => {
    const copy = projectWithDeployXml(`<deploy>
  <files><path>~/FileCabinet/SuiteScripts/fx/*</path></files>
  <objects>
    <path>~/Objects/customrole_fx_app.xml</path>
    <path>~/Objects/customrecord_fx_item.xml</path>
    <path>~/Objects/customscript_fx_rl_main.xml</path>
  </objects>
</deploy>`);
    const { installer } = fresh(undefined, copy);
    const result = await installer.install(ACCOUNT, BUNDLE);
    expect(result.scripts).toEqual(['customscript_fx_rl_main']);
    fs.rmSync(copy, { recursive: true, force: true });
  });

  it('refuses a RESTlet whose file deploy.xml does not deploy', async () => {
    const copy = projectWithDeployXml(`<deploy>
  <files><path>~/FileCabinet/SuiteScripts/fx/fx_lib.js</path></files>
  <objects><path>~/Objects/*</path></objects>
</deploy>`);
    const { installer } = fresh(undefined, copy);
    await expect(installer.install(ACCOUNT, BUNDLE)).rejects.toThrow(/is not listed in deploy\.xml <files>/);
    fs.rmSync(copy, { recursive: true, force: true });
  });
});

describe('BundleInstaller: update and uninstall', () => {
  it('treats a re-install as an update: beforeUpdate/afterUpdate with fromVersion and toVersion, same IDs', async () => {
    const { directory, installer, host, installed } = await installedFixture();
    const result = await installer.install(ACCOUNT, BUNDLE, { version: '1.1.0' });
    expect(result).toMatchObject({ action: 'update', version: '1.1.0', fromVersion: '1.0.0', role: installed.role });
    expect(items(directory).slice(2)).toEqual([
      { k: 'before_update', v: '1.0.0->1.1.0' },
      { k: 'after_update', v: '1.0.0->1.1.0' },
    ]);
    expect(directory.rolesOf(ACCOUNT, 8).map((r) => r.internalId)).toEqual([installed.role.internalId]);
    expect((await host.handle(call({ ...MAIN, query: { action: 'text' } }))).status).toBe(200);
  });

  it('gives each installation hook 10,000 units and aborts the update past them', async () => {
    const { installer } = await installedFixture();
    const atLimit = await installer.install(ACCOUNT, BUNDLE, { version: 'burn-1000' });
    expect(atLimit.unitsUsed).toBe(10_000 + 2 + 4);
    await expect(installer.install(ACCOUNT, BUNDLE, { version: 'burn-1001' })).rejects.toThrow(/beforeUpdate.*SSS_USAGE_LIMIT_EXCEEDED/);
    expect(installer.installed(ACCOUNT)).toHaveLength(1);
  });

  class UpdatingDirectory extends FakeDirectory {
    setRolePermissions(accountId: string, roleId: number, permissions: Map<string, string>): void {
      const db = this.db(accountId);
      db.prepare('DELETE FROM rolepermissions WHERE role = ?').run(roleId);
      const levels = ['NONE', 'VIEW', 'CREATE', 'EDIT', 'FULL'];
      for (const [key, level] of permissions) {
        db.prepare('INSERT INTO rolepermissions (role, permkey, permlevel) VALUES (?, ?, ?)').run(roleId, key, levels.indexOf(level));
      }
    }
  }

  /** Installs a copy of the fixture, adds LIST_EMPLOYEE VIEW to the role XML, and updates. */
  async function updateWithExtraPermission(directory: FakeDirectory) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sbr-restlet-'));
    fs.cpSync(FIXTURE_PROJECT, copy, { recursive: true });
    const roleXml = path.join(copy, 'src/Objects/customrole_fx_app.xml');
    const host = new RestletHost({ projectDir: copy, directory, clock: fixedClock() });
    const installer = new BundleInstaller({ projectDir: copy, directory, host });
    await installer.install(ACCOUNT, BUNDLE);
    const extra = '<permissions><permission><permkey>LIST_EMPLOYEE</permkey><permlevel>VIEW</permlevel></permission>';
    fs.writeFileSync(roleXml, fs.readFileSync(roleXml, 'utf8').replace('<permissions>', extra));
    await installer.install(ACCOUNT, BUNDLE, { version: '1.0.1' });
    fs.rmSync(copy, { recursive: true, force: true });
    return host;
  }

  it('updates the role permissions on update when the directory offers setRolePermissions', async () => {
    const directory = new UpdatingDirectory();
    await updateWithExtraPermission(directory);
    expect(directory.permissionLevel(ACCOUNT, 1001, 'LIST_EMPLOYEE')).toBe('VIEW');
  });

  it('keeps the old role permissions on update otherwise, and logs that it did', async () => {
    const directory = new FakeDirectory();
    const host = await updateWithExtraPermission(directory);
    expect(directory.permissionLevel(ACCOUNT, 1001, 'LIST_EMPLOYEE')).toBe('NONE');
    expect(host.logs(ACCOUNT).some((e) => e.details.includes('keeps its old permissions'))).toBe(true);
  });

  it('uninstalls: removes scripts, role and record table', async () => {
    const { directory, installer, host, appUser } = await installedFixture();
    await installer.uninstall(ACCOUNT, BUNDLE);
    expect(installer.installed(ACCOUNT)).toEqual([]);
    expect(directory.getRoleByScriptId(ACCOUNT, 'customrole_fx_app')).toBeUndefined();
    expect(tableExists(directory, 'customrecord_fx_item')).toBe(false);
    const result = await host.handle(call({ ...MAIN, user: appUser, query: { action: 'text' } }));
    expect(json(result).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');
  });

  it('aborts an uninstall when beforeUninstall throws and keeps everything', async () => {
    const { directory, installer } = await installedFixture();
    directory.db(ACCOUNT).prepare("INSERT INTO customrecord_fx_item (custrecord_fx_item_key) VALUES ('block_uninstall')").run();
    await expect(installer.uninstall(ACCOUNT, BUNDLE)).rejects.toThrow(/beforeUninstall.*FX_UNINSTALL_BLOCKED: Delete the block_uninstall record first\./);
    expect(installer.installed(ACCOUNT)).toHaveLength(1);
    expect(directory.getRoleByScriptId(ACCOUNT, 'customrole_fx_app')).toBeDefined();
  });

  it('refuses to uninstall a bundle that is not installed', async () => {
    const { installer } = fresh();
    await expect(installer.uninstall(ACCOUNT, BUNDLE)).rejects.toThrow(/Bundle 512345 is not installed in account 1234567/);
  });

  it('installs again after an uninstall', async () => {
    const { installer } = await installedFixture();
    await installer.uninstall(ACCOUNT, BUNDLE);
    const again = await installer.install(ACCOUNT, BUNDLE);
    expect(again.action).toBe('install');
  });
});
