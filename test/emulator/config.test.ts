import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator/src/index';
import { resolveConfig } from '../../emulator/src/config/defaults';
import { EmulatorConfigError, validateConfig } from '../../emulator/src/config/validate';
import { adminAccessToken, hostFetch, startHarness } from './support/emulator';

function problemsOf(raw: unknown): string[] {
  try {
    validateConfig(raw);
  } catch (err) {
    if (err instanceof EmulatorConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config is validated at start with errors naming the exact path', () => {
  test('integrations[1].redirectUris[0] must be an absolute URI', () => {
    expect(problemsOf({ integrations: [
      { name: 'a', accountId: '1234567' },
      { name: 'b', accountId: '1234567', redirectUris: ['/callback'] },
    ] }).join('\n')).toMatch(/^integrations\[1\]\.redirectUris\[0\] of record "b" is not an absolute URI/);
  });
  test.each([
    [{ integrations: [{ name: 'a', accountId: '1234567', refreshTokenValidityHours: 721 }] }, 'integrations[0].refreshTokenValidityHours must be an integer from 1 to 720'],
    [{ integrations: [{ name: 'a', accountId: '1234567', refreshTokenValidityHours: 0 }] }, 'integrations[0].refreshTokenValidityHours must be an integer from 1 to 720'],
    [{ integrations: [{ name: 'a', accountId: '1234567', scopes: ['restlets', 'everything'] }] }, 'integrations[0].scopes[1] must be one of'],
    [{ integrations: [{ name: 'a', accountId: '1234567', consentPolicy: 'SOMETIMES' }] }, 'integrations[0].consentPolicy must be one of ALWAYS_ASK, ASK_FIRST_TIME, NEVER_ASK'],
    [{ integrations: [{ name: 'a', accountId: '1234567', publicClient: true, clientSecret: 'a'.repeat(64) }] }, 'integrations[0].clientSecret must be omitted for a public client'],
    [{ integrations: [{ name: 'a', accountId: '9999999' }] }, 'integrations[0].accountId names an account that is not configured'],
    [{ accounts: [{ accountId: '1234567_sb1' }] }, 'accounts[0].accountId must be a NetSuite account ID'],
    [{ accounts: [{ accountId: '1234567', concurrencyLimit: 0 }] }, 'accounts[0].concurrencyLimit must be an integer from 1 to 1000'],
    [{ accounts: [{ accountId: '1234567', employees: [{ entityId: 7, name: 'A', email: 'a@example.com', roles: ['customrole_missing'] }] }] }, 'accounts[0].employees[0].roles[0] names a role that accounts[0].roles does not define'],
    [{ accounts: [{ accountId: '1234567', roles: [{ internalId: 1001, scriptId: 'x', name: 'X', permissions: { ADMI_LOGIN_OAUTH2: 'ALL' } }] }] }, 'accounts[0].roles[0].permissions.ADMI_LOGIN_OAUTH2 must be one of NONE, VIEW, CREATE, EDIT, FULL'],
    [{ limits: { activeCertificatesPerIntegration: 0 } }, 'limits.activeCertificatesPerIntegration must be an integer from 1 to 1000'],
    [{ faults: { latencyMs: 'slow' } }, 'faults.latencyMs must be an integer'],
    [{ unknownThing: true }, 'config.unknownThing is not a known setting'],
  ])('%j → %s', (raw, expected) => {
    expect(problemsOf(raw).join('\n')).toContain(expected);
  });
  test('startEmulator rejects a bad config file before listening, naming file problems', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-emu-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ integrations: [{ name: 'x', accountId: '1234567', redirectUris: ['nope'] }] }));
    await expect(startEmulator({ port: 0, quiet: true, config: file })).rejects.toThrow('integrations[0].redirectUris[0] of record "x" is not an absolute URI');
    writeFileSync(file, '{ not json');
    await expect(startEmulator({ port: 0, quiet: true, config: file })).rejects.toThrow(/not valid JSON/);
    await expect(startEmulator({ port: 0, quiet: true, config: join(dir, 'missing.json') })).rejects.toThrow(/cannot be read/);
  });
});

describe('defaults (UNCERTAIN ones documented in docs/emulator.md)', () => {
  test('record defaults: refresh 168 h, rotation 168 h, ASK_FIRST_TIME, no CC for public clients, limits', () => {
    const resolved = resolveConfig({ integrations: [{ name: 'p', accountId: '1234567', publicClient: true }] }, () => 's');
    expect(resolved.integrations[0]).toMatchObject({
      refreshTokenValidityHours: 168, maxRotationHours: 168, consentPolicy: 'ASK_FIRST_TIME', allowClientCredentialsForPublicClient: false,
      confidentialRefreshReturnsRefreshToken: false, scopes: ['restlets', 'rest_webservices'], clientSecret: undefined,
    });
    expect(resolved.limits).toEqual({
      activeCertificatesPerIntegration: 5, authCodeLifetimeSeconds: 600, assertionClockToleranceSeconds: 0,
      certificatePropagationSeconds: 0, suiteqlTimeoutMs: 60_000,
    });
    expect(resolved.manageOwnCertificatesPermission).toBe('ADMI_MANAGE_OWN_OAUTH2_CERTS');
  });
});

describe('default seed', () => {
  test('accounts, records with deterministic 64-hex client IDs, users with roles', async () => {
    const h = await startHarness();
    try {
      expect(h.seed.accounts).toEqual([
        { accountId: '1234567', environment: 'PRODUCTION', concurrencyLimit: 5, hosts: {
          app: `http://1234567.app.localhost:${new URL(h.url).port}`, suitetalk: `http://1234567.suitetalk.localhost:${new URL(h.url).port}`, restlets: `http://1234567.restlets.localhost:${new URL(h.url).port}` } },
        { accountId: '1234567_SB1', environment: 'SANDBOX', concurrencyLimit: 5, hosts: {
          app: `http://1234567-sb1.app.localhost:${new URL(h.url).port}`, suitetalk: `http://1234567-sb1.suitetalk.localhost:${new URL(h.url).port}`, restlets: `http://1234567-sb1.restlets.localhost:${new URL(h.url).port}` } },
      ]);
      const prod = h.seed.integrations.filter((i) => i.accountId === '1234567');
      expect(prod.map((i) => i.name)).toEqual(['SuiteBridge (public)', 'SuiteBridge (confidential)']);
      expect(prod[0]).toMatchObject({ publicClient: true, clientSecret: null, allowClientCredentialsForPublicClient: false, grants: ['authorization_code'],
        refreshTokenValidityHours: 1, redirectUris: ['https://127.0.0.1:8899/callback', 'https://127.0.0.1:3030/callback'], scopes: ['restlets', 'rest_webservices'] });
      expect(prod[1]).toMatchObject({ publicClient: false, allowClientCredentialsForPublicClient: false, grants: ['client_credentials'] });
      expect(prod[1]!.clientSecret).toMatch(/^[0-9a-f]{64}$/);
      for (const i of h.seed.integrations) expect(i.clientId).toMatch(/^[0-9a-f]{64}$/);
      const again = await startHarness();
      try {
        expect(again.seed.integrations.map((i) => i.clientId)).toEqual(h.seed.integrations.map((i) => i.clientId));
      } finally {
        await again.emu.stop();
      }
      const users = h.seed.users.filter((u) => u.accountId === '1234567');
      expect(users.map((u) => [u.entityId, u.name, u.roles.map((r) => r.internalId)])).toEqual([[7, 'Ada Admin', [3]], [8, 'Ivy Integration', []]]);
      expect(users[0]!.password.length).toBeGreaterThanOrEqual(12);
      const seedEndpoint = await (await fetch(new URL('/__emulator/seed', h.url))).json();
      expect(seedEndpoint.baseUrl).toBe(h.url);
      expect(seedEndpoint.integrations).toEqual(h.seed.integrations);
    } finally {
      await h.emu.stop();
    }
  });
});

describe('--data-dir keeps secrets, passwords, signing key and tokens; --seed-out writes the seed', () => {
  test('restart on the same data dir: same secret and password, earlier access token still valid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-emu-data-'));
    const seedOut = join(dir, 'seed.json');
    const first = await startHarness(undefined, { dataDir: dir });
    const token = await adminAccessToken(first);
    await first.emu.stop();
    const second = await startEmulator({ port: 0, quiet: true, dataDir: dir, seedOut, clock: first.clock });
    try {
      const written = JSON.parse(readFileSync(seedOut, 'utf8'));
      expect(written.baseUrl).toBe(second.url);
      expect(written.integrations[1].clientSecret).toBe(first.seed.integrations[1]!.clientSecret);
      expect(written.users[0].password).toBe(first.seed.users[0]!.password);
      expect(statSync(seedOut).mode & 0o077).toBe(0);
      const res = await hostFetch(new URL('/services/rest/record/v1/employee/7', second.hosts('1234567').suitetalk), { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      await second.stop();
    }
  });
  test('two in-memory emulators get different secrets', async () => {
    const a = await startHarness();
    const b = await startHarness();
    try {
      expect(a.confidentialClient.clientSecret).not.toBe(b.confidentialClient.clientSecret);
    } finally {
      await a.emu.stop();
      await b.emu.stop();
    }
  });
});
