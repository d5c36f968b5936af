import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { generateCertificate } from '../../client/src/certificates/generate';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { resolveEndpoints } from '../../client/src/account';
import { AuthorizationError, TokenEndpointError } from '../../client/src/errors';
import { defaultFetch } from '../../client/src/http/transport';
import { driveAuthorization } from '../../client/src/onboarding/formDriver';
import { SqliteTokenStore } from '../../client/src/store/sqlite';
import { TokenManager } from '../../client/src/tokens/manager';
import type { TokenKey } from '../../client/src/tokens/types';
import { startEmulator, type RunningEmulator } from '../../emulator/src/index';
import { bothGrantsConfig } from '../emulator/support/records';

jest.setTimeout(60_000);

const ACCOUNT = '1234567';
// NetSuite accepts only https (or custom-scheme) redirect URIs; the driver stops at the redirect without following it.
const REDIRECT = 'https://127.0.0.1:8899/callback';
const SCOPES = ['restlets', 'rest_webservices'];
const AC_KEY: TokenKey = { tenant: 'e2e', grant: 'authorization_code', scopes: SCOPES };

let emulator: RunningEmulator;
let dir: string;
let publicClientId: string;
let confidential: { clientId: string; clientSecret: string };
let admin: { email: string; password: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sbr-e2e-core-'));
  // A confidential record with both grants (Oracle allows it) for the confidential auth-code test; the public record
  // keeps authorization_code only, so client credentials go through the confidential record as NetSuite requires.
  emulator = await startEmulator({ port: 0, quiet: true, dataDir: join(dir, 'emu'), config: bothGrantsConfig() });
  const integrations = emulator.seed.integrations.filter((i) => i.accountId === ACCOUNT);
  publicClientId = integrations.find((i) => i.publicClient)!.clientId;
  const conf = integrations.find((i) => !i.publicClient)!;
  confidential = { clientId: conf.clientId, clientSecret: conf.clientSecret! };
  const user = emulator.seed.users.find((u) => u.accountId === ACCOUNT && u.roles.some((r) => r.internalId === 3))!;
  admin = { email: user.email, password: user.password };
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function transport() {
  return { baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true };
}

function authClient(clientId = publicClientId, clientSecret?: string) {
  return new AuthorizationCodeClient({
    accountId: ACCOUNT, clientId, redirectUri: REDIRECT, scopes: SCOPES, ...transport(),
    ...(clientSecret !== undefined ? { clientSecret } : {}),
  });
}

async function authorize(client: AuthorizationCodeClient) {
  const { url } = await client.start();
  const callbackUrl = await driveAuthorization(url, REDIRECT, { ...admin, role: 3 });
  return client.handleCallback(callbackUrl);
}

describe('client core against the emulator', () => {
  it('authorization code + PKCE (public client): tokens, role/entity/company, rotation through the store, revoke', async () => {
    const client = authClient();
    const result = await authorize(client);
    expect(result.role).toBe(3);
    expect(result.entity).toBe(7);
    expect(result.company.toUpperCase()).toBe(ACCOUNT);
    expect(result.tokens.refreshToken).toBeTruthy();
    expect(result.tokens.expiresAt).toBeGreaterThan(Date.now());

    const store = new SqliteTokenStore({ path: join(dir, 'tokens.db'), env: {} });
    let offset = 0;
    const manager = new TokenManager({ store, clock: { now: () => Date.now() + offset } });
    await manager.saveAuthorization(AC_KEY, result.tokens, result);
    const source = { kind: 'authorization_code' as const, client };
    expect(await manager.getAccessToken(AC_KEY, source)).toBe(result.tokens.accessToken);

    offset = 3_600_000; // local clock jumps an hour: refresh ahead of expiry
    const rotated = await manager.getAccessToken(AC_KEY, source);
    expect(rotated).not.toBe(result.tokens.accessToken);
    const stored = await manager.loadAuthorization(AC_KEY);
    expect(stored!.refreshToken).not.toBe(result.tokens.refreshToken);

    // The old refresh token is single use: NetSuite (the emulator) refuses it with invalid_grant.
    const reuse = await client.refresh(result.tokens.refreshToken!).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(TokenEndpointError);
    expect((reuse as TokenEndpointError).error).toBe('invalid_grant');
    expect((reuse as TokenEndpointError).likelyCauses.join()).toMatch(/already used/);

    // The rotated access token works on a REST resource.
    const response = await defaultFetch(resolveEndpoints(ACCOUNT, transport()).governanceLimitsUrl, { headers: { authorization: `Bearer ${rotated}` } });
    expect(response.status).toBe(200);

    await manager.revokeAuthorization(AC_KEY, client);
    expect(await manager.loadAuthorization(AC_KEY)).toBeUndefined();
    const afterRevoke = await client.refresh(stored!.refreshToken).catch((e: unknown) => e);
    expect((afterRevoke as TokenEndpointError).error).toBe('invalid_grant');
    await store.close();
  });

  it('authorization code (confidential client, Basic) and a reused state', async () => {
    const client = authClient(confidential.clientId, confidential.clientSecret);
    const { url, state } = await client.start();
    const callbackUrl = await driveAuthorization(url, REDIRECT, { ...admin, role: 3 });
    const { tokens } = await client.handleCallback(callbackUrl);
    expect(tokens.accessToken).toBeTruthy();
    const again = await client.handleCallback(callbackUrl).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AuthorizationError);
    expect((again as AuthorizationError).code).toBe('STATE_MISMATCH');
    expect(state.length).toBeGreaterThanOrEqual(43);
    const refreshed = await client.refresh(tokens.refreshToken!);
    expect(refreshed.accessToken).toBeTruthy();
  });

  it('client credentials: upload a certificate, mint tokens (single flight), wrong kid explained', async () => {
    const { tokens } = await authorize(authClient());
    const endpoints = resolveEndpoints(ACCOUNT, transport());
    for (const keyType of ['EC-P256', 'RSA-3072'] as const) {
      const cert = await generateCertificate({ keyType, commonName: 'suitebridge e2e' });
      // The mapping belongs to the confidential record: NetSuite refuses client credentials for public clients.
      const upload = await defaultFetch(endpoints.certificatesUrl(confidential.clientId), {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fileContent: cert.certificatePem, role: 3, entity: 7 }),
      });
      const uploadBody = await upload.text();
      expect({ status: upload.status, body: upload.status === 200 ? '' : uploadBody }).toEqual({ status: 200, body: '' });
      const certificateId = (JSON.parse(uploadBody) as { certificate_id: string }).certificate_id;

      const m2m = new ClientCredentialsClient({
        accountId: ACCOUNT, clientId: confidential.clientId, certificateId, privateKey: cert.privateKeyPem, scopes: SCOPES, ...transport(),
      });
      const manager = new TokenManager();
      const key: TokenKey = { tenant: `e2e-${keyType}`, grant: 'client_credentials', scopes: SCOPES };
      const all = await Promise.all(Array.from({ length: 50 }, () => manager.getAccessToken(key, { kind: 'client_credentials', client: m2m })));
      expect(new Set(all).size).toBe(1);
      expect(manager.tokenRequestCount).toBe(1);
      expect(await m2m.requestToken()).toMatchObject({ tokenType: 'Bearer' });

      const wrongKid = new ClientCredentialsClient({
        accountId: ACCOUNT, clientId: confidential.clientId, certificateId: 'not-a-certificate-id', privateKey: cert.privateKeyPem, scopes: SCOPES, ...transport(),
      });
      const err = await wrongKid.requestToken().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenEndpointError);
      expect((err as TokenEndpointError).likelyCauses.join()).toMatch(/kid/);

      // One certificate per (integration, role, entity): revoke it, after which the kid stops working.
      const revoke = await defaultFetch(endpoints.certificateRevokeUrl(confidential.clientId, certificateId), {
        method: 'POST', headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(revoke.status).toBe(200);
      const revoked = await m2m.requestToken().catch((e: unknown) => e);
      expect(revoked).toBeInstanceOf(TokenEndpointError);
      expect((revoked as TokenEndpointError).likelyCauses.join()).toMatch(/revoked/);
    }
  });
});
