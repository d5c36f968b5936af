// A vendor's app: one customer account, authorized once (authorization code + PKCE), tokens kept by the token
// manager (refreshed ahead of expiry, rotated refresh tokens stored), a RESTlet called with whatever token is current.
// Against a real account, drop the emulator and the two transport options, and show the authorization URL to a person.
import {
  AuthorizationCodeClient,
  MemoryTokenStore,
  NetSuiteHttp,
  RestletClient,
  TokenManager,
  driveAuthorization,
  resolveEndpoints,
  type TokenKey,
  type TokenSource,
} from 'suitebridge';
import { startEmulator } from '@suitebridge/emulator';

const SCOPES = ['restlets', 'rest_webservices'];

interface Health {
  accountId: string;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ port: 0, quiet: true });
  try {
    const account = emulator.seed.accounts[0]!.accountId;
    const integration = emulator.seed.integrations.find((i) => i.accountId === account && i.publicClient)!;
    const admin = emulator.seed.users.find((u) => u.accountId === account && u.roles.some((r) => r.internalId === 3))!;
    // The emulator's account hosts are http://<account>.<kind>.localhost:<port>: allowed for loopback only.
    const transport = { baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true };

    // The SuiteBridge bundle (its RESTlets) goes into the account first, as a NetSuite administrator would install it.
    const install = await fetch(new URL('/__emulator/bundles', emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: account }),
    });
    if (install.status !== 200) throw new Error(`bundle install: ${install.status}`);

    const redirectUri = integration.redirectUris[0]!;
    const auth = new AuthorizationCodeClient({ accountId: account, clientId: integration.clientId, redirectUri, scopes: SCOPES, ...transport });
    const { url } = await auth.start();
    // A person signs in and consents at `url`; the emulator's pages can be driven from code instead.
    const callbackUrl = await driveAuthorization(url, redirectUri, { email: admin.email, password: admin.password, role: 3 });
    const result = await auth.handleCallback(callbackUrl);

    const tokens = new TokenManager({ store: new MemoryTokenStore() });
    const key: TokenKey = { tenant: account, grant: 'authorization_code', scopes: SCOPES };
    const source: TokenSource = { kind: 'authorization_code', client: auth };
    await tokens.saveAuthorization(key, result.tokens, result);

    const restlet = new RestletClient({
      endpoints: resolveEndpoints(account, transport),
      http: new NetSuiteHttp({ accountId: account }),
      auth: tokens.provider(key, source),
    });
    const health = await restlet.get<Health>('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    console.log(`RESTlet health from account ${health.accountId}: ${JSON.stringify(health)}`);
  } finally {
    await emulator.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
