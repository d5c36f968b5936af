import {
  ACCOUNT,
  ADMIN_ENTITY,
  ADMIN_ROLE,
  FakeDirectory,
  FIXTURE_PROJECT,
  SANDBOX,
  call,
  fixedClock,
  installedFixture,
  json,
} from './fixtures/restlet-support';
import { BundleInstaller, RestletHost } from '../../emulator/src/restlet';

const MAIN = { scriptId: 'customscript_fx_rl_main', deployId: 'customdeploy_fx_rl_main' };
const EXPORTS = { scriptId: 'customscript_fx_rl_exports', deployId: 'customdeploy_fx_rl_exports' };
const BADMODS = { scriptId: 'customscript_fx_rl_badmods', deployId: 'customdeploy_fx_rl_badmods' };

const INVALID_SCRIPTLET = {
  error: { code: 'SSS_INVALID_SCRIPTLET_ID', message: 'That Suitelet is invalid, disabled, or no longer exists.' },
};

describe('RestletHost: resolving scripts and deployments', () => {
  it('answers a call to a script that is not installed as NetSuite answers a missing script', async () => {
    const directory = new FakeDirectory();
    const host = new RestletHost({ projectDir: FIXTURE_PROJECT, directory, clock: fixedClock() });
    const result = await host.handle(call({ ...MAIN, query: { action: 'text' } }));
    expect(result.status).toBe(400);
    expect(json(result)).toEqual(INVALID_SCRIPTLET);
  });

  it('refuses unknown scripts, unknown deployments, TESTING deployments and undeployed deployments alike', async () => {
    const { host } = await installedFixture();
    for (const ids of [
      { scriptId: 'customscript_nope', deployId: 'customdeploy_fx_rl_main' },
      { scriptId: MAIN.scriptId, deployId: 'customdeploy_nope' },
      { scriptId: MAIN.scriptId, deployId: 'customdeploy_fx_rl_main_testing' },
      { scriptId: MAIN.scriptId, deployId: 'customdeploy_fx_rl_main_off' },
      { scriptId: 'customscript_fx_bis', deployId: 'customdeploy_fx_bis' },
    ]) {
      const result = await host.handle(call({ ...ids, query: { action: 'text' } }));
      expect({ ids, status: result.status, body: json(result) }).toEqual({ ids, status: 400, body: INVALID_SCRIPTLET });
    }
  });

  it('matches script and deployment IDs case-insensitively', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ scriptId: 'CUSTOMSCRIPT_FX_RL_MAIN', deployId: 'CustomDeploy_FX_RL_Main', query: { action: 'text' } }));
    expect(result.status).toBe(200);
    expect(result.body).toBe('plain text');
  });

  it('accepts numeric internal IDs for script and deployment, as restlet.nl does', async () => {
    const { host } = await installedFixture();
    const record = host.registry.findScript(ACCOUNT, MAIN.scriptId);
    const deployment = record?.script.deployments.find((d) => d.scriptId === MAIN.deployId);
    expect(record?.script.internalId).toEqual(expect.any(Number));
    const result = await host.handle(
      call({ scriptId: String(record?.script.internalId), deployId: String(deployment?.internalId), query: { action: 'text' } }),
    );
    expect(result.body).toBe('plain text');
  });

  it('is per account: a bundle installed in production is missing in the sandbox', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, accountId: SANDBOX, query: { action: 'text' } }));
    expect(json(result)).toEqual(INVALID_SCRIPTLET);
  });
});

describe('RestletHost: audience', () => {
  it('lets the app role and Administrator in through audslctrole', async () => {
    const { host, appUser } = await installedFixture();
    expect((await host.handle(call({ ...MAIN, user: appUser, query: { action: 'text' } }))).status).toBe(200);
    expect((await host.handle(call({ ...MAIN, query: { action: 'text' } }))).status).toBe(200);
  });

  it('refuses a role outside the audience with 403 INSUFFICIENT_PERMISSION', async () => {
    const { host, appUser } = await installedFixture();
    const result = await host.handle(
      call({ scriptId: MAIN.scriptId, deployId: 'customdeploy_fx_rl_main_admin', user: appUser, query: { action: 'text' } }),
    );
    expect(result.status).toBe(403);
    expect(json(result).error.code).toBe('INSUFFICIENT_PERMISSION');
  });

  it('refuses a role that does not exist (e.g. removed by an uninstall)', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, user: { entityId: 8, roleId: 4242 }, query: { action: 'text' } }));
    expect(result.status).toBe(403);
  });

  it('lets any role in when allroles is T', async () => {
    const { host, directory } = await installedFixture();
    const other = directory.createRole(ACCOUNT, { scriptId: 'customrole_other', name: 'Other', isAdministrator: false, permissions: new Map() });
    const result = await host.handle(call({ ...EXPORTS, user: { entityId: 8, roleId: other.internalId }, query: { action: 'greet', name: 'x' } }));
    expect(result.status).toBe(200);
  });

  it('uses a configured refusal when one is given', async () => {
    const { host, appUser } = await installedFixture({ audienceRefusal: { status: 400, code: 'SSS_NO_ACCESS', message: 'no' } });
    const result = await host.handle(
      call({ scriptId: MAIN.scriptId, deployId: 'customdeploy_fx_rl_main_admin', user: appUser, query: { action: 'text' } }),
    );
    expect(result.status).toBe(400);
    expect(json(result)).toEqual({ error: { code: 'SSS_NO_ACCESS', message: 'no' } });
  });
});

describe('RestletHost: entry points and request semantics', () => {
  it('passes GET parameters as an object, including script and deploy', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'params', a: '1', script: MAIN.scriptId, deploy: MAIN.deployId } }));
    expect(json(result)).toEqual({ action: 'params', a: '1', script: MAIN.scriptId, deploy: MAIN.deployId });
    expect(result.contentType).toMatch(/^application\/json/);
  });

  it('passes a JSON body to post as an object and a text/plain body as a string', async () => {
    const { host } = await installedFixture();
    const asJson = await host.handle(call({ ...MAIN, method: 'POST', body: JSON.stringify({ key: 'k1', value: 'v1' }) }));
    expect(asJson.status).toBe(200);
    const id = json(asJson).id as number;
    const items = json(await host.handle(call({ ...MAIN, query: { action: 'items' } })));
    expect(items.mapped).toContainEqual({ id, key: 'k1', value: 'v1' });
    const asText = await host.handle(call({ ...MAIN, method: 'POST', body: 'hello', contentType: 'text/plain' }));
    expect(asText.status).toBe(200);
    expect(asText.body).toBe('text body: hello');
    expect(asText.contentType).toMatch(/^text\/plain/);
  });

  it('accepts an already parsed JSON body', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, method: 'POST', body: { key: 'k', value: 'v' } }));
    const items = json(await host.handle(call({ ...MAIN, query: { action: 'items' } })));
    expect(items.mapped).toContainEqual({ id: json(result).id, key: 'k', value: 'v' });
  });

  it('supports exports-style (tsc) modules, custom modules and require()', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...EXPORTS, query: { action: 'greet', name: 'Ada' } }));
    expect(json(result)).toEqual({ greeting: 'hello Ada', viaRequire: 'hello again' });
  });

  it('answers 405 for a method without an entry point', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, method: 'DELETE' }));
    expect(result.status).toBe(405);
    expect(json(result).error.message).toContain('no delete entry point');
  });

  it('answers 400 for a GET with a body', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'text' }, body: '{"a":1}' }));
    expect(result.status).toBe(400);
    expect(json(result).error.message).toContain('GET');
  });

  it('answers 415 for an unsupported content type and for a POST without one', async () => {
    const { host } = await installedFixture();
    expect((await host.handle(call({ ...MAIN, method: 'POST', body: '<a/>', contentType: 'application/xml' }))).status).toBe(415);
    expect((await host.handle(call({ ...MAIN, method: 'POST', body: '{}', contentType: undefined }))).status).toBe(415);
  });

  it('answers 400 for a JSON body that does not parse', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, method: 'POST', body: '{not json' }));
    expect(result.status).toBe(400);
    expect(json(result).error.message).toContain('not valid JSON');
  });
});

describe('RestletHost: errors', () => {
  it('turns a thrown SuiteScriptError into 400 with its name and message, in NetSuite spacing', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'throwSuiteScript' } }));
    expect(result.status).toBe(400);
    expect(result.body).toBe('{"error" : {"code" : "FX_FAIL", "message" : "The fixture failed on purpose."}}');
  });

  it('uses the error name for other errors and never leaks a stack', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'throwPlain' } }));
    expect(json(result)).toEqual({ error: { code: 'TypeError', message: 'bad thing happened' } });
    expect(result.body).not.toMatch(/at |\.js:/);
  });

  it('uses UNEXPECTED_ERROR for a thrown string', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'throwString' } }));
    expect(json(result)).toEqual({ error: { code: 'UNEXPECTED_ERROR', message: 'just a string' } });
  });

  it('names an N module that is not emulated', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...BADMODS, query: { which: 'n' } }));
    expect(result.status).toBe(400);
    expect(json(result).error.message).toContain('Module "N/https" is not emulated');
  });

  it('names a custom module that does not exist', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...BADMODS, query: { which: 'custom' } }));
    expect(json(result).error).toEqual({
      code: 'MODULE_DOES_NOT_EXIST',
      message: expect.stringContaining('Custom module "./does_not_exist" not found'),
    });
  });

  it('refuses a file that calls define twice', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ scriptId: 'customscript_fx_rl_twodefines', deployId: 'customdeploy_fx_rl_twodefines' }));
    expect(result.status).toBe(400);
    expect(json(result).error.code).toBe('MULTIPLE_DEFINE_CALLS');
  });

  it('ends a script that runs too long with SSS_TIME_LIMIT_EXCEEDED', async () => {
    const { host } = await installedFixture({ timeoutMs: 50 });
    const result = await host.handle(call({ ...MAIN, query: { action: 'spin' } }));
    expect(json(result).error.code).toBe('SSS_TIME_LIMIT_EXCEEDED');
  });
});

describe('RestletHost: N/runtime and N/log', () => {
  it('reports account, environment, user, role and script as NetSuite does', async () => {
    const { host, appUser, installed } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, user: appUser, query: { action: 'whoami' } }));
    expect(json(result)).toEqual({
      accountId: ACCOUNT,
      envType: 'PRODUCTION',
      isProduction: true,
      version: '2026.2',
      executionContext: 'RESTLET',
      user: {
        id: 8,
        role: installed.role.internalId,
        roleId: 'customrole_fx_app',
        roleCenter: 'BASIC',
        name: 'Ivy Integration',
        email: 'ivy@example.com',
      },
      restPermission: 4,
      employeePermission: 0,
      itemPermission: 3,
      fullNumber: 4,
      script: {
        id: 'customscript_fx_rl_main',
        deploymentId: 'customdeploy_fx_rl_main',
        bundleIds: ['512345'],
        logLevel: 'AUDIT',
        remaining: 5000,
        parameter: null,
      },
    });
    expect(installed.role.internalId).toBe(1001);
  });

  it('reports Administrator as role 3, roleId "administrator"', async () => {
    const { host } = await installedFixture();
    const body = json(await host.handle(call({ ...MAIN, query: { action: 'whoami' } })));
    expect(body.user).toMatchObject({ id: ADMIN_ENTITY, role: ADMIN_ROLE, roleId: 'administrator' });
    expect(body.employeePermission).toBe(4);
  });

  it('answers isFeatureInEffect from the account features and rejects unknown feature IDs', async () => {
    const { host } = await installedFixture({ features: { [ACCOUNT]: ['SERVERSIDESCRIPTING', 'CUSTOMRECORDS'] } });
    const feature = async (name: string) => host.handle(call({ ...MAIN, query: { action: 'feature', feature: name } }));
    expect(json(await feature('CUSTOMRECORDS'))).toEqual({ enabled: true });
    expect(json(await feature('OAUTH2'))).toEqual({ enabled: false });
    const unknown = await feature('NOT_A_FEATURE');
    expect(unknown.status).toBe(400);
    expect(json(unknown).error.code).toBe('INVALID_FEATURE_ID');
  });

  it('captures N/log entries at or above the deployment log level, with the script ID', async () => {
    const { host, lines } = await installedFixture();
    await host.handle(call({ ...MAIN, query: { action: 'log' } }));
    const entries = host.logs(ACCOUNT).filter((e) => e.level !== 'SYSTEM' && e.scriptId === 'customscript_fx_rl_main');
    expect(entries.map((e) => [e.level, e.title, e.details])).toEqual([
      ['AUDIT', 'audit title', '{"a":1}'],
      ['ERROR', 'error title', 'error details'],
    ]);
    expect(lines.some((l) => l.includes('customscript_fx_rl_main') && l.includes('audit title'))).toBe(true);
  });

  it('gives scripts the emulator clock through Date', async () => {
    const { host, clock } = await installedFixture();
    clock.advance(60_000);
    const body = json(await host.handle(call({ ...MAIN, query: { action: 'date' } })));
    expect(body).toEqual({ now: '2026-11-22T10:01:00.000Z', ms: Date.parse('2026-11-22T10:01:00.000Z') });
  });

  it('works with a host built without a clock or log (defaults)', async () => {
    const directory = new FakeDirectory();
    const host = new RestletHost({ projectDir: FIXTURE_PROJECT, directory });
    await new BundleInstaller({ projectDir: FIXTURE_PROJECT, directory, host }).install(ACCOUNT, '1');
    expect((await host.handle(call({ ...MAIN, query: { action: 'text' } }))).body).toBe('plain text');
  });
});
