/**
 * The RESTlet host wired through emulator-core's seam (createRestletSeam) onto its real SQLite directory,
 * so the two halves are known to fit: role IDs, employee roles, custom record tables and SuiteQL.
 */
import { resolveConfig } from '../../emulator/src/config/defaults';
import { SqliteAccountDirectory } from '../../emulator/src/data/directory';
import { createRestletSeam } from '../../emulator/src/restletSeam';
import { FIXTURE_PROJECT, fixedClock, json } from './fixtures/restlet-support';

const ACCOUNT = '1234567';
const MAIN = { scriptId: 'customscript_fx_rl_main', deployId: 'customdeploy_fx_rl_main' };
const EXPORTS = { scriptId: 'customscript_fx_rl_exports', deployId: 'customdeploy_fx_rl_exports' };

function seam() {
  const clock = fixedClock();
  const config = resolveConfig({}, (key) => `test-${key}`);
  const directory = new SqliteAccountDirectory(config.accounts, undefined, clock.now);
  const lines: string[] = [];
  const restlets = createRestletSeam({ projectDir: FIXTURE_PROJECT, directory, clock, log: (line) => lines.push(line) });
  return { directory, restlets, lines };
}

function restletCall(o: Partial<Parameters<ReturnType<typeof seam>['restlets']['host']['handle']>[0]> & { scriptId: string; deployId: string }) {
  return { accountId: ACCOUNT, method: 'GET' as const, query: {}, body: undefined, contentType: 'application/json', user: { entityId: 7, roleId: 3 }, ...o };
}

describe('RESTlet host on emulator-core directory', () => {
  it('installs through the seam and runs scripts as the seeded administrator and the app role', async () => {
    const { directory, restlets, lines } = seam();
    const installed = (await restlets.installer.install(ACCOUNT, '512345')) as { role: { internalId: number } };
    expect(installed.role.internalId).toBe(1001);
    expect(restlets.installer.installed(ACCOUNT).map((b) => b.bundleId)).toEqual(['512345']);

    const whoami = await restlets.host.handle(restletCall({ ...MAIN, query: { action: 'whoami' } }));
    expect(whoami.status).toBe(200);
    expect(json(whoami).user).toMatchObject({ id: 7, role: 3, roleId: 'administrator' });

    const assign = await restlets.host.handle(restletCall({ ...EXPORTS, method: 'POST', body: '{"entity":8,"role":1001}' }));
    expect(json(assign)).toMatchObject({ changed: true });
    expect(directory.rolesOf(ACCOUNT, 8).map((r) => r.internalId)).toEqual([1001]);

    const app = { entityId: 8, roleId: 1001 };
    const created = await restlets.host.handle(restletCall({ ...MAIN, user: app, method: 'POST', body: '{"key":"k","value":"v"}' }));
    expect(created.status).toBe(200);
    const items = json(await restlets.host.handle(restletCall({ ...MAIN, user: app, query: { action: 'items' } })));
    expect(items.mapped).toContainEqual({ id: json(created).id, key: 'k', value: 'v' });
    const roles = json(await restlets.host.handle(restletCall({ ...MAIN, user: app, query: { action: 'roles' } })));
    expect(roles).toEqual([{ id: 1001, scriptid: 'CUSTOMROLE_FX_APP' }]);
    expect(lines.some((l) => l.includes('beforeInstall'))).toBe(true);

    await restlets.installer.uninstall(ACCOUNT, '512345');
    expect(directory.getRole(ACCOUNT, 1001)).toBeUndefined();
    directory.close();
  });
});
