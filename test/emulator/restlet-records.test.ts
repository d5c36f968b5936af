import { ACCOUNT, PLAIN_ENTITY, call, installedFixture, json } from './fixtures/restlet-support';

const MAIN = { scriptId: 'customscript_fx_rl_main', deployId: 'customdeploy_fx_rl_main' };
const EXPORTS = { scriptId: 'customscript_fx_rl_exports', deployId: 'customdeploy_fx_rl_exports' };

describe('N/record and N/query permissions follow the installed role', () => {
  it('lets the app role create, edit and query its custom record (EDIT)', async () => {
    const { host, appUser } = await installedFixture();
    const created = await host.handle(call({ ...MAIN, user: appUser, method: 'POST', body: { key: 'k', value: 'v', flag: true } }));
    expect(created.status).toBe(200);
    const { id } = json(created);
    const edited = await host.handle(call({ ...MAIN, user: appUser, method: 'PUT', body: { id, value: 'v2' } }));
    expect(json(edited)).toMatchObject({ value: 'v2', flag: true });
    const items = json(await host.handle(call({ ...MAIN, user: appUser, query: { action: 'items' } })));
    expect(items.mapped).toContainEqual({ id, key: 'k', value: 'v2' });
    expect(items.values).toContainEqual([id, 'k', 'v2']);
    const looked = json(await host.handle(call({ ...MAIN, user: appUser, query: { action: 'lookupItem', id: String(id) } })));
    expect(looked).toEqual({ custrecord_fx_item_key: 'k', custrecord_fx_item_flag: true });
  });

  it('refuses the app role employee records (no LIST_EMPLOYEE): load, lookupFields and SuiteQL', async () => {
    const { host, appUser, installed } = await installedFixture();
    const viaRecord = await host.handle(call({ ...EXPORTS, user: appUser, query: { entity: '8' } }));
    expect(viaRecord.status).toBe(400);
    expect(json(viaRecord).error).toEqual({ code: 'INSUFFICIENT_PERMISSION', message: expect.stringContaining("'Employees'") });
    const viaLookup = await host.handle(call({ ...MAIN, user: appUser, query: { action: 'lookup', id: '8' } }));
    expect(json(viaLookup).error.code).toBe('INSUFFICIENT_PERMISSION');
    const viaQuery = await host.handle(call({ ...MAIN, user: appUser, query: { action: 'employees' } }));
    expect(json(viaQuery).error.code).toBe('INSUFFICIENT_PERMISSION');
    const assign = await host.handle(call({ ...EXPORTS, user: appUser, method: 'POST', body: { entity: 8, role: installed.role.internalId } }));
    expect(json(assign).error.code).toBe('INSUFFICIENT_PERMISSION');
  });

  it('refuses a role without the custom record permission, in SuiteQL and N/record', async () => {
    const { host, directory } = await installedFixture();
    const bare = directory.createRole(ACCOUNT, {
      scriptId: 'customrole_bare',
      name: 'Bare',
      isAdministrator: false,
      permissions: new Map([['ADMI_RESTWEBSERVICES', 'FULL']]),
    });
    directory.assignRole(ACCOUNT, PLAIN_ENTITY, bare.internalId);
    const user = { entityId: PLAIN_ENTITY, roleId: bare.internalId };
    // The bare role is outside the main deployment's audience: it is refused before the script runs.
    expect((await host.handle(call({ ...MAIN, user, query: { action: 'items' } }))).status).toBe(403);
    // The exports deployment is open to all roles, so the permission check inside the script decides.
    const viaQuery = await host.handle(call({ ...EXPORTS, user, query: { action: 'items' } }));
    expect(viaQuery.status).toBe(400);
    expect(json(viaQuery).error.code).toBe('INSUFFICIENT_PERMISSION');
    const viaRecord = await host.handle(call({ ...EXPORTS, user, query: { action: 'createItem' } }));
    expect(json(viaRecord).error).toEqual({ code: 'INSUFFICIENT_PERMISSION', message: expect.stringContaining("'Fixture Item'") });
    const asApp = await host.handle(call({ ...EXPORTS, user: { entityId: PLAIN_ENTITY, roleId: 1001 }, query: { action: 'createItem' } }));
    expect(asApp.status).toBe(200);
  });

  it('lets the app role read the role table and see its own role', async () => {
    const { host, appUser, installed } = await installedFixture();
    const result = json(await host.handle(call({ ...MAIN, user: appUser, query: { action: 'roles' } })));
    expect(result).toEqual([{ id: installed.role.internalId, scriptid: 'CUSTOMROLE_FX_APP' }]);
  });

  it('assigns and removes a role through the employee roles sublist (standard and dynamic mode)', async () => {
    const { host, directory, installed } = await installedFixture();
    directory.unassignRole(ACCOUNT, PLAIN_ENTITY, installed.role.internalId);
    const role = installed.role.internalId;
    const first = await host.handle(call({ ...EXPORTS, method: 'POST', body: { entity: 8, role } }));
    expect(json(first)).toMatchObject({ changed: true });
    expect(directory.rolesOf(ACCOUNT, 8).map((r) => r.internalId)).toEqual([role]);
    const again = await host.handle(call({ ...EXPORTS, method: 'POST', body: { entity: 8, role: String(role) } }));
    expect(json(again)).toEqual({ changed: false });
    const read = json(await host.handle(call({ ...EXPORTS, query: { entity: '8' } })));
    expect(read).toEqual({ roles: [String(role)], email: 'ivy@example.com' });
    const removed = await host.handle(call({ ...EXPORTS, method: 'DELETE', query: { entity: '8', role: String(role) } }));
    expect(json(removed)).toEqual({ removed: true });
    expect(directory.rolesOf(ACCOUNT, 8)).toEqual([]);
    const dynamic = await host.handle(call({ ...EXPORTS, method: 'POST', body: { entity: 8, role, dynamic: true } }));
    expect(json(dynamic)).toMatchObject({ changed: true });
    expect(directory.rolesOf(ACCOUNT, 8).map((r) => r.internalId)).toEqual([role]);
  });

  it('rejects an unknown role on the roles sublist and a missing employee', async () => {
    const { host } = await installedFixture();
    const badRole = await host.handle(call({ ...EXPORTS, method: 'POST', body: { entity: 8, role: 999 } }));
    expect(json(badRole).error.code).toBe('INVALID_KEY_OR_REF');
    const missing = await host.handle(call({ ...EXPORTS, query: { entity: '99' } }));
    expect(json(missing).error).toEqual({ code: 'RCRD_DSNT_EXIST', message: 'That record does not exist.' });
  });

  it('returns lookupFields values as NetSuite types them', async () => {
    const { host } = await installedFixture();
    const result = json(await host.handle(call({ ...MAIN, query: { action: 'lookup', id: '8' } })));
    expect(result).toEqual({ email: 'ivy@example.com', firstname: 'Ivy', isinactive: false });
  });

  it('runs a minimal search.create: AND filters, columns, getRange and each (10 units per page)', async () => {
    const { host, appUser } = await installedFixture();
    for (const key of ['alpha', 'beta', 'alpha']) {
      await host.handle(call({ ...MAIN, user: appUser, method: 'POST', body: { key, value: `${key}-value`, flag: key === 'beta' } }));
    }
    const found = await host.handle(call({ ...MAIN, user: appUser, query: { action: 'search', key: 'ALPHA' } }));
    expect(json(found)).toEqual([
      { id: expect.any(String), value: 'alpha-value', flag: false },
      { id: expect.any(String), value: 'alpha-value', flag: false },
    ]);
    expect(found.unitsUsed).toBe(10);
    const employees = await host.handle(call({ ...MAIN, query: { action: 'searchEach' } }));
    expect(json(employees)).toEqual(['admin@example.com', 'ivy@example.com']);
    const refused = await host.handle(call({ ...MAIN, user: appUser, query: { action: 'searchEach' } }));
    expect(json(refused).error.code).toBe('INSUFFICIENT_PERMISSION');
  });

  it('answers suiteAppInfo from the installed bundles', async () => {
    const { host } = await installedFixture();
    const result = json(await host.handle(call({ ...MAIN, query: { action: 'bundles', bundleId: '512345' } })));
    expect(result).toEqual({
      installed: true,
      containing: { customscript_fx_rl_main: ['512345'], customscript_other: [] },
      list: ['512345'],
    });
    const other = json(await host.handle(call({ ...MAIN, query: { action: 'bundles', bundleId: '999' } })));
    expect(other.installed).toBe(false);
  });
});
