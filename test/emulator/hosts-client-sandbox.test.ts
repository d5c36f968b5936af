/**
 * End to end through the client library with nothing but `baseUrl` = the emulator's bare origin, for the sandbox
 * account 1234567_SB1: the client must derive 1234567-sb1.app / .suitetalk / .restlets hosts, and its default
 * transport must reach them. The emulator's request log shows which Host served each request.
 */
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';
import { driveAuthorization } from '../../client/src/onboarding/formDriver';
import { staticTokenProvider } from '../../client/src/resources/accessTokenProviders';
import { RecordClient } from '../../client/src/resources/records';
import { SuiteQLClient } from '../../client/src/resources/suiteql';
import type { ServedRequest } from '../../emulator/src/index';
import { CALLBACK, hostFetch, startHarness, type Harness } from './support/emulator';

const SANDBOX = '1234567_SB1';
const SCOPES = ['restlets', 'rest_webservices'];

let h: Harness;
let port: string;

beforeAll(async () => {
  h = await startHarness();
  port = new URL(h.url).port;
});
afterAll(async () => { await h.emu.stop(); });

async function servedSince(count: number): Promise<ServedRequest[]> {
  return ((await (await hostFetch(`${h.url}/__emulator/requests`)).json()) as ServedRequest[]).slice(count);
}

test('authorization code + PKCE, token, SuiteQL and a record read for 1234567_SB1 go to the -sb1 hosts only', async () => {
  const publicRecord = h.seed.integrations.find((i) => i.accountId === SANDBOX && i.publicClient)!;
  const admin = h.seed.users.find((u) => u.accountId === SANDBOX && u.roles.some((r) => r.internalId === 3))!;
  const before = (await servedSince(0)).length;

  const client = new AuthorizationCodeClient({
    accountId: SANDBOX, clientId: publicRecord.clientId, redirectUri: CALLBACK, scopes: SCOPES,
    baseUrl: h.url, dangerouslyAllowInsecureHttp: true,
  });
  expect(client.endpoints.tokenUrl).toBe(`http://1234567-sb1.suitetalk.localhost:${port}/services/rest/auth/oauth2/v1/token`);
  const { url } = await client.start();
  expect(new URL(url).host).toBe(`1234567-sb1.app.localhost:${port}`);
  const callback = await driveAuthorization(url, CALLBACK, { email: admin.email, password: admin.password, role: 3 });
  const result = await client.handleCallback(callback);
  expect(result.company).toBe(SANDBOX);

  const http = new NetSuiteHttp({ accountId: SANDBOX });
  const auth = staticTokenProvider(result.tokens.accessToken);
  const suiteql = new SuiteQLClient({ endpoints: client.endpoints, http, auth });
  expect(await suiteql.all('SELECT 1 AS one')).toEqual([{ one: '1' }]);
  const records = new RecordClient({ endpoints: client.endpoints, http, auth });
  expect(await records.get('employee', 7)).toMatchObject({ id: '7' });

  const served = await servedSince(before);
  const hostsByPath = new Map<string, Set<string>>();
  for (const r of served) hostsByPath.set(r.path, new Set([...(hostsByPath.get(r.path) ?? []), r.host]));
  expect(hostsByPath.get('/app/login/oauth2/authorize.nl')).toEqual(new Set([`1234567-sb1.app.localhost:${port}`]));
  expect(hostsByPath.get('/services/rest/auth/oauth2/v1/token')).toEqual(new Set([`1234567-sb1.suitetalk.localhost:${port}`]));
  expect(hostsByPath.get('/services/rest/query/v1/suiteql')).toEqual(new Set([`1234567-sb1.suitetalk.localhost:${port}`]));
  expect(hostsByPath.get('/services/rest/record/v1/employee/7')).toEqual(new Set([`1234567-sb1.suitetalk.localhost:${port}`]));
  expect(served.every((r) => r.host.startsWith('1234567-sb1.') && r.status < 400)).toBe(true);
});
