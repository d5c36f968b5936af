/**
 * The real compiled RESTlets over HTTP: emulator started on a random port, bundle installed through the admin
 * API, token from the authorization-code flow (seeded Administrator), calls to restlet.nl. Skipped without the
 * SuiteScript build output.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adminAccessToken, hostFetch, startHarness, type Harness } from './support/emulator';

const BUILT = fs.existsSync(path.join(__dirname, '../../src/FileCabinet/SuiteScripts/suitebridge/sbr_rl_install_check.js'));
const describeBuilt = BUILT ? describe : describe.skip;
if (!BUILT) {
  // eslint-disable-next-line no-console
  console.warn('restlet-http: SKIPPED, no build output in src/FileCabinet/SuiteScripts/suitebridge; run `npm run build:suitescript`.');
}

function restletUrl(h: Harness, name: string, params: Record<string, string> = {}): string {
  const url = new URL('/app/site/hosting/restlet.nl', h.hosts.restlets);
  url.searchParams.set('script', `customscript_sbr_rl_${name}`);
  url.searchParams.set('deploy', `customdeploy_sbr_rl_${name}`);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

describeBuilt('real RESTlets over HTTP', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness();
    token = await adminAccessToken(h, 'restlets');
  });
  afterAll(async () => {
    await h?.emu.stop();
  });

  const get = (url: string) => hostFetch(url, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });

  it('answers a missing script before install, then runs health and install_check with governance reported', async () => {
    const before = await get(restletUrl(h, 'health'));
    expect(before.status).toBe(400);
    expect(((await before.json()) as { error: { code: string } }).error.code).toBe('SSS_INVALID_SCRIPTLET_ID');

    const install = await fetch(new URL('/__emulator/bundles', h.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: '1234567', bundleId: '512345' }),
    });
    expect(install.status).toBe(200);

    const health = await get(restletUrl(h, 'health'));
    expect(health.status).toBe(200);
    expect(health.headers.get('x-emulator-governance-units')).toBe('0');
    expect(await health.json()).toMatchObject({ accountId: '1234567', environment: 'PRODUCTION', userId: 7, roleId: 3, roleScriptId: 'administrator' });

    const check = await get(restletUrl(h, 'install_check', { bundleId: '512345', entity: '8' }));
    expect(check.status).toBe(200);
    const units = Number(check.headers.get('x-emulator-governance-units'));
    const body = (await check.json()) as { ok: boolean; unitsUsed: number };
    expect(body.unitsUsed).toBe(units);
    expect(units).toBeGreaterThan(0);
    expect(units).toBeLessThanOrEqual(50);
  });
});
