'use strict';
const { after, before, describe, it } = require('node:test');
const assert = require('node:assert/strict');
const {
  AuthorizationCodeClient, ClientCredentialsClient, NetSuiteHttp, RestletClient, TokenManager,
  defaultFetch, driveAuthorization, generateCertificate, resolveEndpoints,
} = require('suitebridge');
const { startEmulator } = require('@suitebridge/emulator');
const { checkConnection } = require('../src/connectionCheck');

const SCOPES = ['restlets', 'rest_webservices'];
let emulator;
let account;
let transport;
let m2m; // { clientId, certificateId, privateKey }

/** POST to the emulator's admin API (loopback only): seed data, stage failures. */
async function admin(path, body, method = 'POST') {
  const res = await fetch(new URL(path, emulator.url), { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  assert.equal(res.status, 200, `${path}: ${text}`);
  return JSON.parse(text);
}

async function mapCertificate() {
  const record = emulator.seed.integrations.find((i) => i.accountId === account && i.publicClient);
  const user = emulator.seed.users.find((u) => u.accountId === account && u.roles.some((r) => r.internalId === 3));
  const auth = new AuthorizationCodeClient({ accountId: account, clientId: record.clientId, redirectUri: record.redirectUris[0], scopes: SCOPES, ...transport });
  const { url } = await auth.start();
  const { tokens } = await auth.handleCallback(await driveAuthorization(url, record.redirectUris[0], { email: user.email, password: user.password, role: 3 }));
  const m2mRecord = emulator.seed.integrations.find((i) => i.accountId === account && i.grants.includes('client_credentials'));
  const certificate = await generateCertificate({ keyType: 'EC-P256', commonName: 'vendor tests' });
  const res = await defaultFetch(resolveEndpoints(account, transport).certificatesUrl(m2mRecord.clientId), {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fileContent: certificate.certificatePem, role: 3, entity: user.entityId }),
  });
  assert.equal(res.status, 200);
  return { clientId: m2mRecord.clientId, certificateId: (await res.json()).certificate_id, privateKey: certificate.privateKeyPem };
}

/** A fresh client per check, as a new process of the vendor's app would have (no cached token). */
function restlet() {
  const client = new ClientCredentialsClient({ accountId: account, ...m2m, scopes: SCOPES, ...transport });
  const auth = new TokenManager().provider({ tenant: account, grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client });
  const http = new NetSuiteHttp({ accountId: account, retry: { maxRetries: 0 } });
  return new RestletClient({ endpoints: resolveEndpoints(account, transport), http, auth });
}

before(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  account = emulator.seed.accounts[0].accountId;
  transport = { baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true };
  await admin('/__emulator/bundles', { accountId: account });
  m2m = await mapCertificate();
});

after(() => emulator?.stop());

describe('checkConnection', () => {
  it('reports a working connection', async () => {
    assert.deepEqual(await checkConnection(restlet()), { ok: true, accountId: account });
  });

  it('says "retry later" when the account is at its concurrency limit', async () => {
    await admin('/__emulator/faults', { concurrencyRejects: 1 }, 'PUT');
    assert.deepEqual(await checkConnection(restlet()), { ok: false, action: 'retry later' });
  });

  it('asks for a new certificate when the customer revoked it', async () => {
    await admin(`/__emulator/staging/certificates/${m2m.certificateId}/revoke`, {});
    const result = await checkConnection(restlet());
    assert.equal(result.ok, false);
    assert.equal(result.action, 'map a new certificate');
  });
});
