/**
 * "A GET RESTlet request with a body is answered 400" (Oracle, reference §0 and §7), over real HTTP: fetch refuses
 * to send a GET body, so these requests go through node:http to the account's restlets host.
 */
import * as path from 'node:path';
import { adminAccessToken, hostFetch, rawRequest, startHarness, type Harness } from './support/emulator';

const FIXTURE_PROJECT = path.join(__dirname, 'fixtures', 'restlet-project');

let h: Harness;
let token: string;
let url: string;

beforeAll(async () => {
  h = await startHarness({ accounts: [{ accountId: '1234567', customers: 0 }] }, { projectDir: FIXTURE_PROJECT });
  token = await adminAccessToken(h);
  const install = await hostFetch(`${h.url}/__emulator/bundles`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: '1234567', bundleId: '777' }) });
  expect(install.status).toBe(200);
  url = `${h.hosts.restlets}/app/site/hosting/restlet.nl?script=customscript_fx_rl_main&deploy=customdeploy_fx_rl_main&action=whoami`;
});
afterAll(async () => { await h.emu.stop(); });

const headers = () => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });

describe('GET restlet.nl with a body → 400 in the RESTlet error shape', () => {
  test('without a body the same GET runs the script (200)', async () => {
    const res = await rawRequest(url, { headers: headers() });
    expect(res.status).toBe(200);
  });
  test('a JSON body with Content-Length → 400', async () => {
    const res = await rawRequest(url, { headers: headers(), body: '{"a":1}' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ error: { code: expect.any(String), message: expect.stringMatching(/GET/) } });
    expect(res.body).toMatch(/^\{"error" : \{"code" : /);
  });
  test('a chunked body without a content type → 400', async () => {
    const res = await rawRequest(url, { headers: { authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' }, body: 'x=1' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.message).toMatch(/GET/);
  });
  test('the body is not run as the script\'s input: the script log has no entry for the refused call', async () => {
    const before = (await (await hostFetch(`${h.url}/__emulator/script-log?account=1234567`)).json()).length;
    await rawRequest(url, { headers: headers(), body: '{"action":"whoami"}' });
    const after = (await (await hostFetch(`${h.url}/__emulator/script-log?account=1234567`)).json()).length;
    expect(after).toBe(before);
  });
});
