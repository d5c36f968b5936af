// ES modules: the same package through `import`. The authorization is kept in an encrypted SQLite file (the
// SQLite store loads better-sqlite3 on first use: install it next to suitebridge; the emulator package brings it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizationCodeClient, NetSuiteHttp, RestletClient, SqliteTokenStore, TokenManager, driveAuthorization, resolveEndpoints,
} from 'suitebridge';
import { startEmulator } from '@suitebridge/emulator';

const SCOPES = ['restlets', 'rest_webservices'];
const dir = mkdtempSync(join(tmpdir(), 'suitebridge-example-'));
const emulator = await startEmulator({ port: 0, quiet: true });
try {
  const account = emulator.seed.accounts[0].accountId;
  const transport = { baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true };
  await fetch(new URL('/__emulator/bundles', emulator.url), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: account }),
  });
  const record = emulator.seed.integrations.find((i) => i.accountId === account && i.publicClient);
  const admin = emulator.seed.users.find((u) => u.accountId === account && u.roles.some((r) => r.internalId === 3));
  const redirectUri = record.redirectUris[0];
  const auth = new AuthorizationCodeClient({ accountId: account, clientId: record.clientId, redirectUri, scopes: SCOPES, ...transport });
  const { url } = await auth.start();
  const result = await auth.handleCallback(await driveAuthorization(url, redirectUri, { email: admin.email, password: admin.password, role: 3 }));

  // The key file is generated next to the database (mode 0600) unless SUITEBRIDGE_SECRET_KEY is set.
  const store = new SqliteTokenStore({ path: join(dir, 'tokens.db') });
  const tokens = new TokenManager({ store });
  const key = { tenant: account, grant: 'authorization_code', scopes: SCOPES };
  await tokens.saveAuthorization(key, result.tokens, result);
  const restlet = new RestletClient({
    endpoints: resolveEndpoints(account, transport),
    http: new NetSuiteHttp({ accountId: account }),
    auth: tokens.provider(key, { kind: 'authorization_code', client: auth }),
  });
  const health = await restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
  console.log(`ESM RESTlet health from account ${health.accountId}; stored keys: ${(await store.list('')).length}`);
  await store.close();
} finally {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
}
