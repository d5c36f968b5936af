/**
 * An integration record lives in one account. Its client ID used on another account's host is unknown there, as in
 * NetSuite: token, revoke and client credentials answer invalid_client, the authorize page shows its error page.
 */
import { AUTHORIZE_PATH, CALLBACK, TOKEN_PATH, basic, goodState, hostFetch, loginAudit, pkcePair, startHarness, type Harness } from './support/emulator';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.emu.stop(); });

const sandbox = () => h.emu.hosts('1234567_SB1');
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function tokenOn(origin: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return hostFetch(new URL(TOKEN_PATH, origin), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: form(params) });
}

describe('a client ID of account 1234567 on the hosts of 1234567_SB1', () => {
  test('the authorize page on the sandbox app host does not know the production record', async () => {
    const url = new URL(AUTHORIZE_PATH, sandbox().app);
    const { challenge } = pkcePair();
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: h.publicClient.clientId, redirect_uri: CALLBACK, scope: 'restlets', state: goodState(), code_challenge: challenge, code_challenge_method: 'S256' })) url.searchParams.set(k, v);
    const res = await hostFetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Invalid client ID/);
    // The same request on the record's own account host goes on to the login page.
    const own = new URL(url.pathname + url.search, h.hosts.app);
    expect((await hostFetch(own, { redirect: 'manual' })).status).toBe(200);
  });

  test('the confidential record cannot authenticate at the sandbox token endpoint (401 invalid_client, InvalidIntegration)', async () => {
    const secret = h.confidentialClient.clientSecret!;
    const res = await tokenOn(sandbox().suitetalk, { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic(h.confidentialClient.clientId, secret) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client' });
    expect((await loginAudit(h)).at(-1)).toMatchObject({ status: 'Failure', detail: 'InvalidIntegration' });
    // On its own account's host the same credentials authenticate (and fail only on the made-up refresh token).
    const own = await tokenOn(h.hosts.suitetalk, { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basic(h.confidentialClient.clientId, secret) });
    expect(own.status).not.toBe(401);
  });

  test('the public record cannot refresh at the sandbox token endpoint', async () => {
    const res = await tokenOn(sandbox().suitetalk, { grant_type: 'refresh_token', refresh_token: 'x', client_id: h.publicClient.clientId });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client' });
  });
});
