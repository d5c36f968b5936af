'use strict';
// Client credentials (machine to machine): a certificate is mapped to the integration record once, then the app
// signs its own assertions with the private key. Here the mapping goes through NetSuite's certificate API with an
// administrator's token, as `suitebridge onboard` does.
const {
  AuthorizationCodeClient, ClientCredentialsClient, NetSuiteHttp, RestletClient, TokenManager,
  defaultFetch, driveAuthorization, generateCertificate, resolveEndpoints,
} = require('suitebridge');
const { startEmulator } = require('@suitebridge/emulator');

const SCOPES = ['restlets', 'rest_webservices'];

async function adminAccessToken(emulator, account, transport) {
  const publicRecord = emulator.seed.integrations.find((i) => i.accountId === account && i.publicClient);
  const admin = emulator.seed.users.find((u) => u.accountId === account && u.roles.some((r) => r.internalId === 3));
  const redirectUri = publicRecord.redirectUris[0];
  const auth = new AuthorizationCodeClient({ accountId: account, clientId: publicRecord.clientId, redirectUri, scopes: SCOPES, ...transport });
  const { url } = await auth.start();
  const callbackUrl = await driveAuthorization(url, redirectUri, { email: admin.email, password: admin.password, role: 3 });
  return (await auth.handleCallback(callbackUrl)).tokens.accessToken;
}

async function main() {
  const emulator = await startEmulator({ port: 0, quiet: true });
  try {
    const account = emulator.seed.accounts[0].accountId;
    const transport = { baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true };
    const endpoints = resolveEndpoints(account, transport);
    await fetch(new URL('/__emulator/bundles', emulator.url), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: account }),
    });

    // Once per integration: a key pair, its certificate mapped to the M2M record for the admin's entity and role.
    const m2mRecord = emulator.seed.integrations.find((i) => i.accountId === account && i.grants.includes('client_credentials'));
    const certificate = await generateCertificate({ keyType: 'EC-P256', commonName: 'example m2m' });
    const upload = await defaultFetch(endpoints.certificatesUrl(m2mRecord.clientId), {
      method: 'POST',
      headers: { authorization: `Bearer ${await adminAccessToken(emulator, account, transport)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ fileContent: certificate.certificatePem, role: 3, entity: 7 }),
    });
    if (upload.status !== 200) throw new Error(`certificate upload: ${upload.status} ${await upload.text()}`);
    const { certificate_id: certificateId } = await upload.json();

    // Every run after that: tokens minted from the private key, cached and renewed by the token manager.
    const client = new ClientCredentialsClient({
      accountId: account, clientId: m2mRecord.clientId, certificateId, privateKey: certificate.privateKeyPem, scopes: SCOPES, ...transport,
    });
    const tokens = new TokenManager();
    const auth = tokens.provider({ tenant: account, grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client });
    const restlet = new RestletClient({ endpoints, http: new NetSuiteHttp({ accountId: account }), auth });
    const health = await restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    console.log(`M2M RESTlet health from account ${health.accountId} (role ${health.roleId})`);
  } finally {
    await emulator.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
