import { call, installedFixture, json } from './fixtures/restlet-support';
import { UNIT_COSTS, USAGE_LIMITS } from '../../emulator/src/restlet';

const MAIN = { scriptId: 'customscript_fx_rl_main', deployId: 'customdeploy_fx_rl_main' };

describe('RESTlet governance', () => {
  it('uses NetSuite unit costs: runSuiteQL 10 units each', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'burn', n: '7' } }));
    expect(json(result)).toEqual({ remaining: 5000 - 70 });
    expect(result.unitsUsed).toBe(70);
  });

  it('charges custom record create 2 + save 4, load 2 + save 4, submitFields 2', async () => {
    const { host } = await installedFixture();
    const created = await host.handle(call({ ...MAIN, method: 'POST', body: { key: 'a', value: '1' } }));
    expect(created.unitsUsed).toBe(2 + 4);
    expect(json(created).remaining).toBe(5000 - 6);
    const { id } = json(created);
    const saved = await host.handle(call({ ...MAIN, method: 'PUT', body: { id, value: '2' } }));
    expect(json(saved)).toEqual({ value: '2', flag: false, used: 2 + 4 + 2 });
    const submitted = await host.handle(call({ ...MAIN, method: 'PUT', body: { id, value: '3', submit: true } }));
    expect(json(submitted)).toEqual({ value: '3', flag: false, used: 2 + 2 });
    expect(submitted.unitsUsed).toBe(4);
  });

  it('charges employee load 5 + save 10 on the standard-record scale', async () => {
    const { host, installed, directory } = await installedFixture();
    directory.unassignRole('1234567', 8, installed.role.internalId);
    const result = await host.handle(
      call({ scriptId: 'customscript_fx_rl_exports', deployId: 'customdeploy_fx_rl_exports', method: 'POST', body: { entity: 8, role: installed.role.internalId } }),
    );
    expect(json(result)).toEqual({ changed: true, used: 15 });
  });

  it('charges lookupFields 1 and suiteAppInfo is* 5 / list* 10', async () => {
    const { host } = await installedFixture();
    expect((await host.handle(call({ ...MAIN, query: { action: 'lookup', id: '8' } }))).unitsUsed).toBe(UNIT_COSTS.lookupFields);
    const bundles = await host.handle(call({ ...MAIN, query: { action: 'bundles', bundleId: '512345' } }));
    expect(bundles.unitsUsed).toBe(5 + 10 + 10);
  });

  it('charges nothing for runtime, log and error', async () => {
    const { host } = await installedFixture();
    expect((await host.handle(call({ ...MAIN, query: { action: 'whoami' } }))).unitsUsed).toBe(0);
    expect((await host.handle(call({ ...MAIN, query: { action: 'log' } }))).unitsUsed).toBe(0);
    expect((await host.handle(call({ ...MAIN, query: { action: 'throwSuiteScript' } }))).unitsUsed).toBe(0);
  });

  it('allows exactly the 5,000-unit limit', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'burn', n: '500' } }));
    expect(result.status).toBe(200);
    expect(json(result)).toEqual({ remaining: 0 });
    expect(result.unitsUsed).toBe(USAGE_LIMITS.RESTLET);
  });

  it('ends the script with SSS_USAGE_LIMIT_EXCEEDED past 5,000 units', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'burn', n: '501' } }));
    expect(result.status).toBe(400);
    expect(json(result).error.code).toBe('SSS_USAGE_LIMIT_EXCEEDED');
    expect(result.unitsUsed).toBe(5000);
  });

  it('ends the script even when the script catches the usage error', async () => {
    const { host } = await installedFixture();
    const result = await host.handle(call({ ...MAIN, query: { action: 'burnAndCatch' } }));
    expect(result.status).toBe(400);
    expect(json(result).error.code).toBe('SSS_USAGE_LIMIT_EXCEEDED');
  });

  it('meters each call on its own', async () => {
    const { host } = await installedFixture();
    await host.handle(call({ ...MAIN, query: { action: 'burn', n: '400' } }));
    const second = await host.handle(call({ ...MAIN, query: { action: 'burn', n: '400' } }));
    expect(second.status).toBe(200);
    expect(second.unitsUsed).toBe(4000);
  });
});
