/**
 * Every NetSuite pain point from shared/reference/landscape.md §B (B1–B13) and netsuite-oauth2.md §9 (1–15),
 * proved end to end: the SuiteBridge client (public API) against one running emulator on a random port.
 * One `describe` per pain point, named after it, so the list can be audited against the references.
 *
 * Time: the emulator's clock is the harness TestClock; every client gets the same clock, and each test starts
 * at real time (the built CLI runs in its own process with the system clock).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, decodeJwt, decodeProtectedHeader, importPKCS8 } from 'jose';
import {
  AuthorizationCodeClient,
  AuthorizationError,
  CertificateApi,
  ClientCredentialsClient,
  ConfigurationError,
  GovernanceClient,
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  NetSuiteApiError,
  NetSuiteHttp,
  RestletClient,
  SqliteTokenStore,
  SuiteQLClient,
  TokenEndpointError,
  TokenManager,
  createClientAssertion,
  generateCertificate,
  rotateCertificate,
  verifyWithClientCredentials,
  normalizeAccountId,
  resolveEndpoints,
  staticTokenProvider,
  tokenEndpointError,
  type AccessTokenProvider,
  type CertificateKeyType,
  type PendingAuthorization,
  type PendingAuthorizationStore,
  type TokenKey,
  type TokenSource,
  type TokenStore,
} from '../../client/src';
import { defaultFetch } from '../../client/src/http/transport';
import { driveAuthorization } from '../../client/src/onboarding/formDriver';
import type { EmulatorConfig } from '../../emulator/src';
import { uploadCertificate } from '../emulator/support/certApi';
import { makeCertificate } from '../emulator/support/certificates';
import { TOKEN_PATH, decodeJwtPart, loginAudit, startHarness, tokenRequest, type Harness } from '../emulator/support/emulator';
import { barrierFetch, loopbackFetch, recordingFetch, startRedirectingHost } from './support/painPointsHttp';

jest.setTimeout(60_000);

const REPO = join(__dirname, '..', '..');
const PROD = '1234567';
const SANDBOX = '1234567_SB1';
const SMALL = '7654321'; // concurrency limit 2
// NetSuite accepts only https (or custom-scheme) redirect URIs; the form driver stops at the redirect without following it.
const REDIRECT = 'https://127.0.0.1:8899/callback';
const SCOPES = ['restlets', 'rest_webservices'];
const ADMIN_ROLE = 3;
const ADMIN_ENTITY = 7;
const LIMITED_ROLE = 1010;
const LIMITED_ENTITY = 8;
const HEALTH = ['customscript_sbr_rl_health', 'customdeploy_sbr_rl_health'] as const;

const CONFIG: EmulatorConfig = {
  accounts: [
    {
      accountId: PROD, customers: 20,
      roles: [{ internalId: LIMITED_ROLE, scriptId: 'customrole_pp_oauth_only', name: 'OAuth login only', permissions: { ADMI_LOGIN_OAUTH2: 'FULL' } }],
      employees: [
        { entityId: ADMIN_ENTITY, name: 'Ada Admin', email: 'admin@example.com', roles: [ADMIN_ROLE] },
        { entityId: LIMITED_ENTITY, name: 'Ivy Integration', email: 'integration@example.com', roles: [LIMITED_ROLE] },
      ],
    },
    { accountId: SANDBOX, customers: 20 },
    { accountId: SMALL, customers: 20, concurrencyLimit: 2 },
  ],
  integrations: [
    { name: 'PP public', accountId: PROD, publicClient: true, grants: ['authorization_code'] },
    { name: 'PP confidential', accountId: PROD, publicClient: false },
    { name: 'PP short refresh', accountId: PROD, publicClient: true, grants: ['authorization_code'], refreshTokenValidityHours: 1 },
    { name: 'PP sandbox', accountId: SANDBOX, publicClient: false },
    { name: 'PP small account', accountId: SMALL, publicClient: true, grants: ['authorization_code'] },
    { name: 'PP rotation', accountId: PROD, publicClient: false },
  ],
  // Many tests map their own certificate; the 5-per-record limit is UNCERTAIN and not what this file is about.
  limits: { activeCertificatesPerIntegration: 100 },
};

let h: Harness;
let dir: string;
let sandboxBase: string;

interface Creds { email: string; password: string; role: number }
interface Mapped { certificateId: string; privateKeyPem: string; certificatePem: string; sha256Fingerprint: string }

function integration(name: string): { clientId: string; clientSecret: string | null } {
  const found = h.seed.integrations.find((i) => i.name === name);
  if (!found) throw new Error(`seed lacks integration ${name}`);
  return found;
}
const publicClientId = () => integration('PP public').clientId;
const confidentialClientId = () => integration('PP confidential').clientId;

function user(accountId: string, entityId: number, role: number): Creds {
  const found = h.seed.users.find((u) => u.accountId === accountId && u.entityId === entityId);
  if (!found) throw new Error(`seed lacks user ${entityId} in ${accountId}`);
  return { email: found.email, password: found.password, role };
}
const admin = (accountId = PROD) => user(accountId, ADMIN_ENTITY, ADMIN_ROLE);

function transport(baseUrl = h.url) {
  return { baseUrl, dangerouslyAllowInsecureHttp: true, clock: h.clock } as const;
}

async function authorize(o: {
  clientId: string; creds: Creds; accountId?: string; clientSecret?: string; baseUrl?: string; fetch?: typeof fetch;
  pending?: PendingAuthorizationStore; scopes?: string[]; redirectUri?: string;
}) {
  const client = new AuthorizationCodeClient({
    accountId: o.accountId ?? PROD, clientId: o.clientId, redirectUri: o.redirectUri ?? REDIRECT, scopes: o.scopes ?? SCOPES,
    ...transport(o.baseUrl), ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}), ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.pending ? { pending: o.pending } : {}),
  });
  const { url } = await client.start();
  const callback = await driveAuthorization(url, o.redirectUri ?? REDIRECT, o.creds, o.fetch ? { fetch: o.fetch } : {});
  return { client, result: await client.handleCallback(callback) };
}

/** An administrator token for the certificate API, minted now (tests move the clock). */
async function adminProvider(accountId = PROD, baseUrl = h.url, fetchImpl?: typeof fetch): Promise<AccessTokenProvider> {
  const clientId = accountId === PROD ? publicClientId() : accountId === SANDBOX ? integration('PP sandbox').clientId : integration('PP small account').clientId;
  const clientSecret = accountId === SANDBOX ? integration('PP sandbox').clientSecret ?? undefined : undefined;
  const { result } = await authorize({ clientId, creds: admin(accountId), accountId, baseUrl, ...(clientSecret ? { clientSecret } : {}), ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  return staticTokenProvider(result.tokens.accessToken);
}

function certificateApi(clientId: string, auth: AccessTokenProvider, o: { accountId?: string; baseUrl?: string; fetch?: typeof fetch } = {}): CertificateApi {
  const accountId = o.accountId ?? PROD;
  return new CertificateApi({
    endpoints: resolveEndpoints(accountId, transport(o.baseUrl)), clientId,
    http: new NetSuiteHttp({ accountId, ...(o.fetch ? { fetch: o.fetch } : {}) }), auth,
  });
}

async function mapCertificate(o: { keyType?: CertificateKeyType; clientId?: string; role?: number; entity?: number; validityDays?: number; accountId?: string; baseUrl?: string; fetch?: typeof fetch } = {}): Promise<Mapped> {
  const cert = await generateCertificate({ keyType: o.keyType ?? 'EC-P256', clock: h.clock, ...(o.validityDays ? { validityDays: o.validityDays } : {}) });
  const api = certificateApi(o.clientId ?? confidentialClientId(), await adminProvider(o.accountId ?? PROD, o.baseUrl ?? h.url, o.fetch), o);
  const uploaded = await api.upload({ certificatePem: cert.certificatePem, role: o.role ?? ADMIN_ROLE, entity: o.entity ?? ADMIN_ENTITY });
  return { certificateId: uploaded.certificateId, privateKeyPem: cert.privateKeyPem, certificatePem: cert.certificatePem, sha256Fingerprint: cert.sha256Fingerprint };
}

/**
 * The emulator judges assertions on the harness clock, but its Date header is the host's real time; measuring the
 * offset from that header would "correct" the test clock back to real time (and re-send refused assertions), so
 * these clients sign on the shared test clock as it is.
 */
function m2m(cert: { certificateId: string; privateKeyPem: string }, o: { clientId?: string; scopes?: string[]; fetch?: typeof fetch; accountId?: string; baseUrl?: string; clock?: { now(): number }; algorithm?: 'PS256' | 'PS384' | 'PS512'; assertionLifetimeSeconds?: number } = {}) {
  return new ClientCredentialsClient({
    ...transport(o.baseUrl), accountId: o.accountId ?? PROD, clientId: o.clientId ?? confidentialClientId(), scopes: o.scopes ?? SCOPES,
    measureClockOffset: false,
    certificateId: cert.certificateId, privateKey: cert.privateKeyPem,
    ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.clock ? { clock: o.clock } : {}), ...(o.algorithm ? { algorithm: o.algorithm } : {}),
    ...(o.assertionLifetimeSeconds ? { assertionLifetimeSeconds: o.assertionLifetimeSeconds } : {}),
  });
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure, but the call succeeded');
}

/** The failure reasons the emulator's Login Audit Trail recorded after the first `since` entries (tests run one at a time). */
async function auditFailures(since: number): Promise<string[]> {
  return (await loginAudit(h)).slice(since).filter((e) => e.status === 'Failure').map((e) => e.detail);
}
const auditLength = async () => (await loginAudit(h)).length;

async function installBundle(accountId: string): Promise<void> {
  const res = await fetch(new URL('/__emulator/bundles', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId }) });
  if (res.status !== 200) throw new Error(`bundle install failed: ${res.status} ${await res.text()}`);
}

async function setFaults(faults: Record<string, number>): Promise<void> {
  const res = await fetch(new URL('/__emulator/faults', h.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  if (res.status !== 200) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

function formOf(body: string | undefined): URLSearchParams {
  return new URLSearchParams(body ?? '');
}

let sharedCert: Mapped;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sbr-pain-points-'));
  h = await startHarness(CONFIG);
  h.clock.ms = Date.now();
  // The client maps the bare origin to 1234567-sb1.app/suitetalk/restlets.localhost for the sandbox account.
  sandboxBase = h.url;
  for (const account of [PROD, SMALL]) await installBundle(account);
  sharedCert = await mapCertificate();
}, 60_000);

beforeEach(() => {
  h.clock.ms = Date.now();
});

afterAll(async () => {
  await h?.emu.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------------------
// Landscape §B
// ---------------------------------------------------------------------------------------------------------

describe('landscape B1: auth-code refresh tokens die after their validity (7 days by default)', () => {
  it('an expired refresh token becomes TokenEndpointError invalid_grant whose first likely cause is RefreshTokenExpired, as the audit trail says', async () => {
    const short = integration('PP short refresh'); // Refresh Token Validity: 1 hour
    const { client, result } = await authorize({ clientId: short.clientId, creds: admin() });
    const manager = new TokenManager({ clock: h.clock, staleReadDelayMs: 1 });
    const key: TokenKey = { tenant: 'b1', grant: 'authorization_code', scopes: SCOPES };
    const source: TokenSource = { kind: 'authorization_code', client };
    await manager.saveAuthorization(key, result.tokens, result);

    h.clock.advance(55 * 60); // inside the validity: refreshed ahead of expiry, rotated
    const rotated = await manager.getAccessToken(key, source);
    expect(rotated).not.toBe(result.tokens.accessToken);

    h.clock.advance(2 * 3600); // the rotated refresh token (1 h) is dead too
    const before = await auditLength();
    const err = await failureOf(manager.getAccessToken(key, source));
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err).toMatchObject({ error: 'invalid_grant', grant: 'refresh_token', code: 'TOKEN_REQUEST_FAILED' });
    expect((err as TokenEndpointError).likelyCauses[0]).toMatch(/^RefreshTokenExpired/);
    expect((err as TokenEndpointError).remedy).toMatch(/authorization-code flow again/);
    expect(await auditFailures(before)).toContain('RefreshTokenExpired');
  });

  it('the client-credentials alternative has no refresh token to lose: after the same two weeks it still mints tokens without any user', async () => {
    const manager = new TokenManager({ clock: h.clock });
    const key: TokenKey = { tenant: 'b1-m2m', grant: 'client_credentials', scopes: SCOPES };
    const source: TokenSource = { kind: 'client_credentials', client: m2m(sharedCert) };
    const first = await manager.getTokenSet(key, source);
    expect(first.refreshToken).toBeUndefined();
    h.clock.advance(14 * 24 * 3600);
    const later = await manager.getTokenSet(key, source);
    expect(later.accessToken).not.toBe(first.accessToken);
    expect(later.expiresAt).toBe(h.clock.now() + 3600_000);
  });
});

describe('landscape B2: refresh-token rotation and races between workers', () => {
  it('two TokenManagers sharing one SqliteTokenStore want a refresh at the same moment: the store lock lets one refresh request out, both get its token', async () => {
    const { result } = await authorize({ clientId: publicClientId(), creds: admin() });
    const path = join(dir, 'b2-lock.db');
    const storeA = new SqliteTokenStore({ path, env: {} });
    const storeB = new SqliteTokenStore({ path, env: {} });
    const { fetch: recording, calls } = recordingFetch();
    const clientFor = () => new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: REDIRECT, scopes: SCOPES, ...transport(), fetch: recording });
    const managerA = new TokenManager({ store: storeA, clock: h.clock });
    const managerB = new TokenManager({ store: storeB, clock: h.clock });
    const key: TokenKey = { tenant: 'b2-lock', grant: 'authorization_code', scopes: SCOPES };
    await managerA.saveAuthorization(key, result.tokens, result);

    h.clock.advance(58 * 60); // both see a token due for refresh
    const before = await auditLength();
    const [a, b] = await Promise.all([
      managerA.getAccessToken(key, { kind: 'authorization_code', client: clientFor() }),
      managerB.getAccessToken(key, { kind: 'authorization_code', client: clientFor() }),
    ]);
    expect(calls.filter((c) => c.url.endsWith(TOKEN_PATH))).toHaveLength(1); // the one-time refresh token went out once
    expect(await auditFailures(before)).toEqual([]);
    expect(a).toBe(b);
    expect(a).not.toBe(result.tokens.accessToken);
    expect((await managerB.loadAuthorization(key))?.refreshToken).not.toBe(result.tokens.refreshToken);
    await storeA.close();
    await storeB.close();
  });

  it('without the lock (lock: false) two TokenManagers send the same refresh token at the same moment: neither loses the chain', async () => {
    const { client, result } = await authorize({ clientId: publicClientId(), creds: admin() });
    const path = join(dir, 'b2.db');
    const storeA = new SqliteTokenStore({ path, env: {} });
    const storeB = new SqliteTokenStore({ path, env: {} });
    // Each "worker" has its own client whose refresh requests wait for the other's: both send the same refresh token.
    const together = barrierFetch((url) => url.endsWith(TOKEN_PATH), 2);
    const clientFor = () => new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: REDIRECT, scopes: SCOPES, ...transport(), fetch: together });
    // No cross-process lock (two hosts without one): the store's compare-and-swap alone must keep the chain.
    const managerA = new TokenManager({ store: storeA, clock: h.clock, lock: false });
    const managerB = new TokenManager({ store: storeB, clock: h.clock, lock: false });
    const key: TokenKey = { tenant: 'b2', grant: 'authorization_code', scopes: SCOPES };
    await managerA.saveAuthorization(key, result.tokens, result);

    h.clock.advance(58 * 60); // both see a token due for refresh
    const before = await auditLength();
    const [a, b] = await Promise.all([
      managerA.getAccessToken(key, { kind: 'authorization_code', client: clientFor() }),
      managerB.getAccessToken(key, { kind: 'authorization_code', client: clientFor() }),
    ]);
    // The race really happened: NetSuite (the emulator) refused the second use of the one-time refresh token...
    expect(await auditFailures(before)).toEqual(['RefreshTokenAlreadyUsed']);
    // ...and the loser picked up the winner's rotation instead of failing.
    expect(a).toBe(b);
    expect(a).not.toBe(result.tokens.accessToken);
    const stored = await managerB.loadAuthorization(key);
    expect(stored?.refreshToken).not.toBe(result.tokens.refreshToken);

    // The chain lives on: an hour later either worker refreshes again with what the store holds. The still-valid
    // token is served while that refresh runs in the background; once it lands, callers get the new one.
    h.clock.advance(58 * 60);
    expect(await managerB.getAccessToken(key, { kind: 'authorization_code', client })).toBe(a);
    await managerB.settled();
    const next = await managerB.getAccessToken(key, { kind: 'authorization_code', client });
    expect(next).not.toBe(a);
    const health = await loopbackFetch(resolveEndpoints(PROD, transport()).restletUrl(...HEALTH), { headers: { authorization: `Bearer ${next}` } });
    expect(health.status).toBe(200);
    await storeA.close();
    await storeB.close();
  });
});

describe('landscape B3: opaque invalid_grant / "Invalid login attempt" errors', () => {
  const cases: Array<{ name: string; audit: string; error: string; cause: RegExp; run: () => Promise<unknown> }> = [
    {
      name: 'unknown certificate ID as kid', audit: 'InvalidCertificateId', error: 'invalid_grant', cause: /kid/,
      run: () => m2m({ ...sharedCert, certificateId: 'not-a-certificate-id' }).requestToken(),
    },
    {
      name: 'scope not enabled on the integration record', audit: 'InvalidScope', error: 'invalid_grant', cause: /^InvalidScope/,
      run: () => m2m(sharedCert, { scopes: ['restlets', 'suite_analytics'] }).requestToken(),
    },
    {
      name: 'private key that does not belong to the certificate', audit: 'InvalidSignature', error: 'invalid_grant', cause: /signature|private key/i,
      run: async () => m2m({ certificateId: sharedCert.certificateId, privateKeyPem: (await generateCertificate({ keyType: 'EC-P256', clock: h.clock })).privateKeyPem }).requestToken(),
    },
    {
      name: 'wrong client secret (confidential client)', audit: 'ClientAuthenticationFailed', error: 'invalid_client', cause: /^ClientAuthenticationFailed/,
      run: () => new AuthorizationCodeClient({ accountId: PROD, clientId: confidentialClientId(), clientSecret: 'wrong-secret', redirectUri: REDIRECT, scopes: SCOPES, ...transport() }).refresh('any-refresh-token'),
    },
  ];

  it.each(cases)('$name → TokenEndpointError whose likelyCauses name what the Login Audit Trail shows, with a remedy', async (c) => {
    const before = await auditLength();
    const err = await failureOf(c.run());
    expect(err).toBeInstanceOf(TokenEndpointError);
    const e = err as TokenEndpointError;
    expect(e.error).toBe(c.error);
    const reasons = await auditFailures(before);
    expect(reasons.some((r) => r.startsWith(c.audit))).toBe(true);
    expect(e.likelyCauses.some((cause) => c.cause.test(cause))).toBe(true);
    expect(e.remedy).toMatch(/Login Audit Trail/);
  });

  it('a refused assertion is sent once, so the Login Audit Trail shows one failure per attempt, even while the client measures the clock', async () => {
    h.clock.ms = Math.floor(h.clock.ms / 1000) * 1000 + 500;
    // A Date header in step with the clock the emulator judges on (whole seconds), as from a NetSuite in sync with us.
    const inStep: typeof fetch = async (input, init) => {
      const res = await defaultFetch(input, init);
      const headers = new Headers(res.headers);
      headers.set('date', new Date(Math.floor(h.clock.now() / 1000) * 1000).toUTCString());
      return new Response(await res.text(), { status: res.status, headers });
    };
    const { fetch: recording, calls } = recordingFetch(inStep);
    const client = new ClientCredentialsClient({
      ...transport(), accountId: PROD, clientId: confidentialClientId(), scopes: SCOPES, certificateId: 'not-a-certificate-id', privateKey: sharedCert.privateKeyPem, fetch: recording,
    });
    const before = await auditLength();
    for (let attempt = 0; attempt < 2; attempt++) expect(await failureOf(client.requestToken())).toMatchObject({ error: 'invalid_grant' });
    expect(client.clockOffsetMs).toBe(-500); // measured: the Date header's rounding, not a clock to correct
    expect(calls).toHaveLength(2);
    const reasons = await auditFailures(before);
    expect(reasons).toHaveLength(2);
    expect(reasons.every((r) => r.startsWith('InvalidCertificateId'))).toBe(true);
  });

  it('a lost PKCE verifier at the code exchange is explained as a PKCE mismatch, not a generic failure', async () => {
    // A pending store that hands back a different verifier: what a callback in the wrong process looks like.
    const inner = new MemoryPendingAuthorizationStore(h.clock);
    const tampered: PendingAuthorizationStore = {
      put: (state, entry) => inner.put(state, entry),
      take: async (state) => {
        const entry = await inner.take(state);
        return entry && { ...entry, codeVerifier: `${entry.codeVerifier.slice(0, -4)}AAAA` };
      },
    };
    const err = await failureOf(authorize({ clientId: publicClientId(), creds: admin(), pending: tampered }));
    expect(err).toMatchObject({ error: 'invalid_grant', grant: 'authorization_code' });
    expect((err as TokenEndpointError).likelyCauses.join('\n')).toMatch(/code_verifier/);
  });

  it('an exceeded concurrency limit on a RESTlet is reported as concurrency, not as a login problem', async () => {
    const restlet = new RestletClient({
      endpoints: resolveEndpoints(PROD, transport()), http: new NetSuiteHttp({ accountId: PROD, retry: { maxRetries: 0 } }),
      auth: await adminProvider(),
    });
    await setFaults({ concurrencyRejects: 1 });
    const err = await failureOf(restlet.get(...HEALTH));
    expect(err).toBeInstanceOf(NetSuiteApiError);
    expect(err).toMatchObject({ status: 400, netsuiteCode: 'SSS_REQUEST_LIMIT_EXCEEDED', kind: 'restlet' });
    expect((err as NetSuiteApiError).remedy).toMatch(/concurrency/);
    expect((err as NetSuiteApiError).remedy).not.toMatch(/Login Audit Trail|Log in using/);
  });
});

describe('landscape B4: kid / certificate-ID confusion, IDs starting with "-", one certificate per combination', () => {
  it('the kid must be NetSuite\'s certificate ID: the certificate\'s SHA-256 thumbprint as kid is refused, the ID works', async () => {
    const cert = await mapCertificate();
    for (const thumbprint of [cert.sha256Fingerprint, cert.sha256Fingerprint.replace(/:/g, '').toLowerCase()]) {
      const err = await failureOf(m2m({ ...cert, certificateId: thumbprint }).requestToken());
      expect(err).toMatchObject({ error: 'invalid_grant' });
      expect((err as TokenEndpointError).likelyCauses[0]).toMatch(/kid must be the Certificate ID .* not a thumbprint/);
    }
    await expect(m2m(cert).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('a certificate ID that starts with "-" works through the built CLI, as --certificate-id=<id> and as --certificate-id <id>', async () => {
    const entry = join(REPO, 'build', 'client', 'src', 'cli', 'main.js');
    expect(existsSync(entry)).toBe(true); // run `npx tsc -p tsconfig.json` when this fails
    // NetSuite's IDs are random base64url; map (and revoke) until one starts with "-", as ~1 in 64 do. A revoked
    // certificate cannot be mapped again, so every attempt maps a new one.
    const api = certificateApi(confidentialClientId(), await adminProvider());
    let certificateId = '';
    let generated = await generateCertificate({ keyType: 'EC-P256', clock: h.clock });
    for (let attempt = 0; attempt < 1500 && !certificateId.startsWith('-'); attempt++) {
      if (certificateId) {
        await api.revoke(certificateId);
        generated = await generateCertificate({ keyType: 'EC-P256', clock: h.clock });
      }
      certificateId = (await api.upload({ certificatePem: generated.certificatePem, role: ADMIN_ROLE, entity: ADMIN_ENTITY })).certificateId;
    }
    expect(certificateId.startsWith('-')).toBe(true);
    const keyFile = join(dir, 'dash.key.pem');
    writeFileSync(keyFile, generated.privateKeyPem, { mode: 0o600 });
    const common = ['--json', 'token', '--client-credentials', '--account', PROD, '--client-id', confidentialClientId(),
      '--private-key', keyFile, '--scope', 'restlets,rest_webservices', '--base-url', h.url, '--dangerously-allow-insecure-http', '--decode'];
    // The CLI runs in its own process and signs with the system clock, later than the test clock stands: the emulator
    // would refuse its iat as in the future, so while the CLI runs the emulator follows real time.
    h.clock.now = () => Date.now();
    try {
      for (const form of [[`--certificate-id=${certificateId}`], ['--certificate-id', certificateId]]) {
        const { stdout } = await promisify(execFile)(process.execPath, [join(REPO, 'bin', 'suitebridge.js'), ...common, ...form], { cwd: REPO, timeout: 30_000 })
          .catch((e: { message: string; stdout?: string; stderr?: string }) => { throw new Error(`${e.message}\nstdout: ${e.stdout ?? ''}\nstderr: ${e.stderr ?? ''}`); });
        const out = JSON.parse(stdout) as { header: { alg: string }; payload: { sub: string; scope: string[] } };
        expect(out.payload.sub).toBe(`${PROD};0;${ADMIN_ROLE};${ADMIN_ENTITY};N`); // the token of this very mapping
        expect(out.payload.scope).toEqual(SCOPES);
      }
    } finally {
      h.clock.now = () => h.clock.ms;
    }
  });

  it('a revoked certificate is refused and the error says so', async () => {
    const cert = await mapCertificate();
    const manager = new TokenManager({ clock: h.clock });
    const key: TokenKey = { tenant: 'b4-revoked', grant: 'client_credentials', scopes: SCOPES };
    await manager.getAccessToken(key, { kind: 'client_credentials', client: m2m(cert) });
    await certificateApi(confidentialClientId(), await adminProvider()).revoke(cert.certificateId);
    const before = await auditLength();
    const err = await failureOf(m2m(cert).requestToken());
    expect((err as TokenEndpointError).likelyCauses.join('\n')).toMatch(/revoked/);
    expect(await auditFailures(before)).toEqual(['CertificateRevoked']);
  });

  it('one certificate cannot be mapped to a second role/entity combination', async () => {
    const generated = await generateCertificate({ keyType: 'EC-P256', clock: h.clock });
    const api = certificateApi(confidentialClientId(), await adminProvider());
    await api.upload({ certificatePem: generated.certificatePem, role: ADMIN_ROLE, entity: ADMIN_ENTITY });
    const err = await failureOf(api.upload({ certificatePem: generated.certificatePem, role: LIMITED_ROLE, entity: LIMITED_ENTITY }));
    expect(err).toBeInstanceOf(NetSuiteApiError);
    // The certificate API answers errors in plain text (no error code to read), so the status and NetSuite's own words carry it.
    expect(err).toMatchObject({ status: 400, kind: 'rest' });
    expect((err as Error).message).toMatch(/only one combination/);
  });
});

describe('landscape B4 (2026.1): at most 5 active certificates per integration record', () => {
  it('with 5 active certificates a rotation stops before uploading a sixth and names one to revoke; revoke-oldest makes room and rotates', async () => {
    const clientId = integration('PP rotation').clientId;
    const api = certificateApi(clientId, await adminProvider());
    const mapped: string[] = [];
    for (let i = 0; i < 5; i++) mapped.push((await mapCertificate({ clientId })).certificateId);
    const verify = verifyWithClientCredentials({ ...transport(), accountId: PROD, clientId, scopes: SCOPES });
    const base = { api, role: ADMIN_ROLE, entity: ADMIN_ENTITY, current: { certificateId: mapped[4] ?? '' }, keyType: 'EC-P256' as const, clock: h.clock, verify };

    const full = await failureOf(rotateCertificate(base));
    expect(full).toMatchObject({ code: 'ROTATION_FAILED' });
    expect(mapped.slice(0, 4).some((id) => (full as Error).message.includes(id))).toBe(true); // a candidate, never `current`
    expect((await api.list()).filter((c) => !c.revoked)).toHaveLength(5); // nothing uploaded

    const rotated = await rotateCertificate({ ...base, whenFull: 'revoke-oldest' });
    expect(rotated.evictedCertificateId).toBeDefined();
    expect(rotated.evictedCertificateId).not.toBe(mapped[4]);
    expect(rotated.revokedCertificateId).toBe(mapped[4]);
    const active = (await api.list()).filter((c) => !c.revoked).map((c) => c.certificateId);
    expect(active).toHaveLength(4);
    expect(active).toContain(rotated.certificateId);
    await expect(m2m(rotated, { clientId }).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
  });
});

describe('landscape B5: algorithm and key-size churn (no RS256, no RSA 2048)', () => {
  it('an RS256 assertion is refused by the emulator, while our client signs the same key with PS256 and is accepted', async () => {
    const cert = await mapCertificate({ keyType: 'RSA-3072' });
    const tokenUrl = resolveEndpoints(PROD, transport()).tokenUrl;
    const now = Math.floor(h.clock.now() / 1000);
    const rs256 = await new SignJWT({ scope: SCOPES })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: cert.certificateId })
      .setIssuer(confidentialClientId()).setAudience(tokenUrl).setIssuedAt(now).setExpirationTime(now + 300)
      .sign(await importPKCS8(cert.privateKeyPem, 'RS256'));
    const before = await auditLength();
    const refused = await tokenRequest(h, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: rs256 });
    expect(refused.body).toEqual({ error: 'invalid_grant' });
    expect(await auditFailures(before)).toEqual(['UnsupportedAlgorithm']);

    const { fetch: recording, calls } = recordingFetch();
    await expect(m2m(cert, { fetch: recording }).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(decodeProtectedHeader(formOf(calls[0]?.body).get('client_assertion') ?? '').alg).toBe('PS256');
  });

  it('our client cannot be made to sign RS256', async () => {
    const { privateKey } = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, false, ['sign', 'verify'],
    ) as CryptoKeyPair;
    const base = { clientId: 'c', certificateId: 'k', audience: 'https://1234567.suitetalk.api.netsuite.com/t', scopes: SCOPES };
    await expect(createClientAssertion({ ...base, privateKey })).rejects.toMatchObject({ code: 'CERTIFICATE_ERROR', message: expect.stringMatching(/RS256/) });
    const pem = (await generateCertificate({ keyType: 'RSA-3072' })).privateKeyPem;
    await expect(createClientAssertion({ ...base, privateKey: pem, algorithm: 'RS256' as never })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(decodeProtectedHeader(await createClientAssertion({ ...base, privateKey: pem })).alg).toBe('PS256');
  });

  it('RSA 2048 is refused by the emulator at upload, by CertificateApi before sending, by generateCertificate and by createClientAssertion', async () => {
    const weak = await makeCertificate('RSA-2048');
    const auth = await adminProvider();
    const raw = await uploadCertificate(h, await auth.getAccessToken(), confidentialClientId(), { fileContent: weak.pem, role: ADMIN_ROLE, entity: ADMIN_ENTITY });
    expect(raw.status).toBe(400);
    expect(JSON.stringify(raw.body)).toMatch(/2048|3072/);

    const { fetch: recording, calls } = recordingFetch();
    const err = await failureOf(certificateApi(confidentialClientId(), auth, { fetch: recording }).upload({ certificatePem: weak.pem, role: ADMIN_ROLE, entity: ADMIN_ENTITY }));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(calls).toHaveLength(0);
    await expect(generateCertificate({ keyType: 'RSA-2048' as CertificateKeyType })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(createClientAssertion({ clientId: 'c', certificateId: 'k', audience: 'https://1234567.suitetalk.api.netsuite.com/t', scopes: SCOPES, privateKey: weak.privateKeyPem }))
      .rejects.toMatchObject({ code: 'CERTIFICATE_ERROR', message: expect.stringMatching(/2048/) });
  });

  it('certificates last at most two years: longer validity is refused, and the emulator reports what it stored', async () => {
    await expect(generateCertificate({ keyType: 'EC-P256', validityDays: 731 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const cert = await mapCertificate({ validityDays: 730 });
    const listed = (await certificateApi(confidentialClientId(), await adminProvider()).list()).find((c) => c.certificateId === cert.certificateId);
    expect(listed?.validUntil).toBe(new Date(Math.floor(h.clock.now() / 1000) * 1000 + 730 * 86_400_000).toISOString().slice(0, 10));
  });
});

describe('landscape B6: format of the scope claim', () => {
  it('our assertion carries scope as a JSON array, the emulator grants both scopes, and each scope really opens its API', async () => {
    const { fetch: recording, calls } = recordingFetch();
    const tokens = await m2m(sharedCert, { fetch: recording }).requestToken();
    const claims = decodeJwt(formOf(calls[0]?.body).get('client_assertion') ?? '');
    expect(Array.isArray(claims.scope)).toBe(true);
    expect(claims.scope).toEqual(SCOPES);
    expect(decodeJwtPart(tokens.accessToken, 1).scope).toEqual(SCOPES);
    const endpoints = resolveEndpoints(PROD, transport());
    const http = new NetSuiteHttp({ accountId: PROD });
    const auth = staticTokenProvider(tokens.accessToken);
    await expect(new RestletClient({ endpoints, http, auth }).get(...HEALTH)).resolves.toMatchObject({ accountId: PROD });
    await expect(new GovernanceClient({ endpoints, http, auth }).limits()).resolves.toMatchObject({ accountConcurrencyLimit: 5 });
  });
});

describe('landscape B7: concurrency limits (REST 429, RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED)', () => {
  it('a burst above the account limit (2) gets RESTlet 400s and REST 429s; NetSuiteHttp retries both and every call succeeds', async () => {
    const { client, result } = await authorize({ clientId: integration('PP small account').clientId, creds: admin(SMALL), accountId: SMALL });
    const manager = new TokenManager({ clock: h.clock });
    const key: TokenKey = { tenant: SMALL, grant: 'authorization_code', scopes: SCOPES };
    await manager.saveAuthorization(key, result.tokens, result);
    const auth = manager.provider(key, { kind: 'authorization_code', client });
    const endpoints = resolveEndpoints(SMALL, transport());
    const http = new NetSuiteHttp({ accountId: SMALL, concurrency: 10, retry: { maxRetries: 60, baseDelayMs: 10, maxDelayMs: 80 } });
    const reasons: string[] = [];
    http.onRetry = (e) => reasons.push(e.reason);
    const restlet = new RestletClient({ endpoints, http, auth });
    const governance = new GovernanceClient({ endpoints, http, auth });
    await setFaults({ latencyMs: 40 });
    try {
      const calls = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? restlet.get<{ accountId: string }>(...HEALTH) : governance.limits()));
      const results = await Promise.all(calls);
      expect(results.filter((r) => 'accountId' in r && r.accountId === SMALL)).toHaveLength(10);
      expect(results.filter((r) => 'accountConcurrencyLimit' in r && r.accountConcurrencyLimit === 2)).toHaveLength(10);
    } finally {
      await setFaults({ latencyMs: 0 });
    }
    expect(reasons).toContain('concurrency_limit'); // RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED
    expect(reasons).toContain('rate_limited'); // REST 429
  });

  it('a limiter sized from governanceLimits ("what is my limit?") keeps the same burst free of rejections', async () => {
    const auth = await adminProvider(SMALL);
    const endpoints = resolveEndpoints(SMALL, transport());
    const limits = await new GovernanceClient({ endpoints, http: new NetSuiteHttp({ accountId: SMALL }), auth }).limits();
    const http = new NetSuiteHttp({ accountId: SMALL, concurrency: limits.unallocatedConcurrencyLimit ?? limits.accountConcurrencyLimit });
    expect(http.limiter.max).toBe(2);
    const reasons: string[] = [];
    http.onRetry = (e) => reasons.push(e.reason);
    const restlet = new RestletClient({ endpoints, http, auth });
    await setFaults({ latencyMs: 20 });
    try {
      await Promise.all(Array.from({ length: 12 }, () => restlet.get(...HEALTH)));
    } finally {
      await setFaults({ latencyMs: 0 });
    }
    expect(reasons).toEqual([]);
  });
});

describe('landscape B8: sandbox vs production account IDs and host injection', () => {
  it('a sandbox ID in any case maps to the -sb1 hosts, and the whole flow works on the sandbox host', async () => {
    const endpoints = resolveEndpoints('1234567_sb1');
    expect(endpoints.accountId).toBe(SANDBOX);
    expect(new URL(endpoints.tokenUrl).host).toBe('1234567-sb1.suitetalk.api.netsuite.com');
    expect(new URL(endpoints.authorizeUrl).host).toBe('1234567-sb1.app.netsuite.com');
    expect(new URL(endpoints.restletUrl(...HEALTH)).host).toBe('1234567-sb1.restlets.api.netsuite.com');

    const sandbox = integration('PP sandbox');
    const { result } = await authorize({
      clientId: sandbox.clientId, clientSecret: sandbox.clientSecret ?? '', accountId: '1234567_sb1', creds: admin(SANDBOX), baseUrl: sandboxBase, fetch: loopbackFetch,
    });
    expect(result.company.toUpperCase()).toBe(SANDBOX);
    const suiteql = new SuiteQLClient({
      endpoints: resolveEndpoints(SANDBOX, transport(sandboxBase)), http: new NetSuiteHttp({ accountId: SANDBOX, fetch: loopbackFetch }),
      auth: staticTokenProvider(result.tokens.accessToken),
    });
    await expect(suiteql.all('SELECT id FROM customer')).resolves.toHaveLength(20);
    // The production host refuses the sandbox token: the host form decides the account.
    const prodHost = new RestletClient({
      endpoints: resolveEndpoints(PROD, transport()),
      http: new NetSuiteHttp({ accountId: PROD, fetch: loopbackFetch }), auth: staticTokenProvider(result.tokens.accessToken),
    });
    await expect(prodHost.get(...HEALTH)).rejects.toMatchObject({ status: 401 });
  });

  it.each([
    '1234567.evil.example', '1234567@evil.example', '1234567/../x', '1234567_SB1.attacker', '1234567#', '1234567:443', 'evil.example', '1234567 _SB1', '',
  ])('hostile account ID %j is refused before any request', async (accountId) => {
    const { fetch: recording, calls } = recordingFetch();
    expect(() => normalizeAccountId(accountId)).toThrow(expect.objectContaining({ code: 'INVALID_ACCOUNT_ID' }));
    expect(() => new AuthorizationCodeClient({ accountId, clientId: 'x', redirectUri: REDIRECT, scopes: SCOPES, fetch: recording })).toThrow(ConfigurationError);
    expect(() => new ClientCredentialsClient({ accountId, clientId: 'x', certificateId: 'k', privateKey: sharedCert.privateKeyPem, scopes: SCOPES, fetch: recording })).toThrow(ConfigurationError);
    expect(calls).toHaveLength(0);
  });
});

describe('landscape B9: TBA deprecation; OAuth 2.0 works for RESTlets', () => {
  it('a RESTlet call goes out with an OAuth 2.0 Bearer token (no OAuth 1.0 signature) and the RESTlet accepts it', async () => {
    const { fetch: recording, calls } = recordingFetch();
    const restlet = new RestletClient({
      endpoints: resolveEndpoints(PROD, transport()), http: new NetSuiteHttp({ accountId: PROD, fetch: recording }),
      auth: new TokenManager({ clock: h.clock }).provider({ tenant: 'b9', grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client: m2m(sharedCert) }),
    });
    await expect(restlet.get(...HEALTH)).resolves.toMatchObject({ accountId: PROD });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.get('authorization')).toMatch(/^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(calls[0]?.url).not.toMatch(/oauth_(signature|consumer_key|nonce|token)=/);
  });

  it('the client has no OAuth 1.0 / TBA signing path at all', () => {
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(join(REPO, 'client', 'src'));
    expect(files.length).toBeGreaterThan(20);
    const tba = files.filter((f) => /oauth_signature|oauth_consumer_key|oauth_signature_method|HMAC-SHA256|NLAuth/.test(readFileSync(f, 'utf8')));
    expect(tba).toEqual([]);
  });
});

describe('landscape B10: PKCE mandate (S256 only) and authorize-endpoint quirks', () => {
  it('our authorize URL always carries an S256 challenge of the stored verifier, and the emulator completes it', async () => {
    const inner = new MemoryPendingAuthorizationStore(h.clock);
    let remembered: PendingAuthorization | undefined;
    const spy: PendingAuthorizationStore = { put: (s, e) => { remembered = e; return inner.put(s, e); }, take: (s) => inner.take(s) };
    const client = new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: REDIRECT, scopes: SCOPES, ...transport(), pending: spy });
    const { url } = await client.start();
    const params = new URL(url).searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toBe(createHash('sha256').update(remembered?.codeVerifier ?? '').digest('base64url'));
    const { tokens } = await client.handleCallback(await driveAuthorization(url, REDIRECT, admin()));
    expect(tokens.accessToken).toBeTruthy();
  });

  it.each([
    ['plain method', (p: URLSearchParams) => p.set('code_challenge_method', 'plain')],
    ['no PKCE on a public client', (p: URLSearchParams) => { p.delete('code_challenge'); p.delete('code_challenge_method'); }],
  ])('%s is refused with invalid_request, which our callback handling turns into AUTHORIZATION_FAILED with a remedy', async (_name, tamper) => {
    const client = new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: REDIRECT, scopes: SCOPES, ...transport() });
    const url = new URL((await client.start()).url);
    tamper(url.searchParams);
    const callback = await driveAuthorization(url.toString(), REDIRECT, admin());
    expect(new URL(callback).searchParams.get('error')).toBe('invalid_request');
    const err = await failureOf(client.handleCallback(callback));
    expect(err).toBeInstanceOf(AuthorizationError);
    expect(err).toMatchObject({ code: 'AUTHORIZATION_FAILED', error: 'invalid_request' });
    expect((err as AuthorizationError).remedy).toMatch(/PKCE/);
  });
});

describe('landscape B11: token expiry handling (M2M: 60 min, no refresh token)', () => {
  it('the M2M token is minted again ahead of expiry, before NetSuite would reject it, so callers never see a 401', async () => {
    const { fetch: recording, calls } = recordingFetch();
    const manager = new TokenManager({ clock: h.clock });
    const key: TokenKey = { tenant: 'b11', grant: 'client_credentials', scopes: SCOPES };
    const restlet = new RestletClient({
      endpoints: resolveEndpoints(PROD, transport()), http: new NetSuiteHttp({ accountId: PROD, fetch: recording }),
      auth: manager.provider(key, { kind: 'client_credentials', client: m2m(sharedCert) }),
    });
    await restlet.get(...HEALTH);
    const first = await manager.getTokenSet(key, { kind: 'client_credentials', client: m2m(sharedCert) });
    expect(first.refreshToken).toBeUndefined();
    h.clock.advance(50 * 60);
    await restlet.get(...HEALTH);
    expect(manager.tokenRequestCount).toBe(1);
    h.clock.advance(5 * 60); // 55 min: inside the refresh margin (5 min + 1 min skew + jitter), still valid at NetSuite
    await restlet.get(...HEALTH); // served with the still-valid token while the new one is minted in the background
    await manager.settled();
    expect(manager.tokenRequestCount).toBe(2);
    await restlet.get(...HEALTH);
    expect(manager.tokenRequestCount).toBe(2);
    const authHeaders = calls.map((c) => c.headers.get('authorization'));
    expect(authHeaders[2]).toBe(authHeaders[0]);
    expect(authHeaders[3]).not.toBe(authHeaders[0]);
    expect(calls.map((c) => c.status)).toEqual([200, 200, 200, 200]);
    // The old token was still good when it was replaced: refresh-ahead, not refresh-after-401.
    const old = await loopbackFetch(resolveEndpoints(PROD, transport()).restletUrl(...HEALTH), { headers: { authorization: `Bearer ${first.accessToken}` } });
    expect(old.status).toBe(200);
  });
});

describe('landscape B12: generic OAuth tooling trips on NetSuite (issuer ≠ account host)', () => {
  it('our endpoints are account-specific, never system.netsuite.com, and tokens whose iss is system.netsuite.com are used without an issuer check', async () => {
    for (const id of [PROD, SANDBOX, '1234567_RP2', 'TSTDRV123456']) {
      const e = resolveEndpoints(id);
      const urls = [e.authorizeUrl, e.tokenUrl, e.revokeUrl, e.jwksUrl, e.userinfoUrl, e.suiteqlUrl, e.governanceLimitsUrl, e.restletUrl(...HEALTH), e.certificatesUrl('c')];
      for (const u of urls) {
        expect(new URL(u).host).not.toMatch(/^system\./);
        expect(new URL(u).host.startsWith(`${e.hostId}.`)).toBe(true);
      }
    }
    const discovery = (await (await loopbackFetch(resolveEndpoints(PROD, transport()).openidConfigurationUrl)).json()) as { issuer: string; token_endpoint: string };
    expect(discovery.issuer).toBe('https://system.netsuite.com');
    const { result } = await authorize({ clientId: publicClientId(), creds: admin() });
    expect(decodeJwt(result.tokens.accessToken).iss).toBe(discovery.issuer);
    expect(new URL(resolveEndpoints(PROD, transport()).tokenUrl).origin).not.toBe(discovery.issuer);
  });
});

describe('landscape B13: library maintenance (current deps, ESM-only packages)', () => {
  it('the shipped CommonJS build loads the ESM-only jose and oauth4webapi in plain Node and signs and starts flows with them', async () => {
    const script = `
      const sb = require('./build/client/src/index.js');
      (async () => {
        const cert = await sb.generateCertificate({ keyType: 'EC-P256' });
        const jwt = await sb.createClientAssertion({ clientId: 'c', certificateId: 'k', audience: 'https://1234567.suitetalk.api.netsuite.com/t', scopes: ['restlets'], privateKey: cert.privateKeyPem });
        const auth = new sb.AuthorizationCodeClient({ accountId: '1234567', clientId: 'c', redirectUri: 'https://127.0.0.1:8899/callback', scopes: ['restlets'] });
        const { url } = await auth.start();
        process.stdout.write(JSON.stringify({ parts: jwt.split('.').length, challenge: new URL(url).searchParams.get('code_challenge_method') }));
      })().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: REPO, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ parts: 3, challenge: 'S256' });
  });

  it('runtime dependencies are pinned, installed at the pinned versions, and none is a stale HTTP/OAuth 1.0 library', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      const installed = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string };
      expect(`${name}@${installed.version}`).toBe(`${name}@${version}`);
    }
    for (const stale of ['got', 'request', 'node-fetch', 'oauth-1.0a', 'oauth', 'netsuite-rest']) expect(pkg.dependencies[stale]).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------------------
// netsuite-oauth2.md §9 "Pitfalls reported"
// ---------------------------------------------------------------------------------------------------------

describe('pitfall §9.1: wrong host form for aud and the token URL', () => {
  it('the assertion aud is the exact account-specific token URL; the sandbox host accepts it and another host refuses it', async () => {
    expect(new ClientCredentialsClient({ accountId: '1234567_sb1', clientId: 'c', certificateId: 'k', privateKey: sharedCert.privateKeyPem, scopes: SCOPES }).tokenUrl)
      .toBe('https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token');

    const sandbox = integration('PP sandbox');
    const cert = await mapCertificate({ clientId: sandbox.clientId, accountId: SANDBOX, baseUrl: sandboxBase, fetch: loopbackFetch });
    const client = m2m(cert, { clientId: sandbox.clientId, accountId: SANDBOX, baseUrl: sandboxBase, fetch: loopbackFetch });
    const assertion = await client.createAssertion();
    expect(decodeJwt(assertion).aud).toBe(`${h.emu.hosts(SANDBOX).suitetalk}${TOKEN_PATH}`);
    await expect(client.requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });

    // The production host form in aud, sent to the sandbox token endpoint (where the record lives): refused for aud.
    const before = await auditLength();
    const productionAud = await createClientAssertion({
      clientId: sandbox.clientId, certificateId: cert.certificateId, privateKey: cert.privateKeyPem, scopes: SCOPES, clock: h.clock,
      audience: `${h.emu.hosts(PROD).suitetalk}${TOKEN_PATH}`,
    });
    const answer = await loopbackFetch(`${h.emu.hosts(SANDBOX).suitetalk}${TOKEN_PATH}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: productionAud }).toString(),
    });
    const elsewhere = { status: answer.status, body: await answer.json() };
    expect(elsewhere.body).toEqual({ error: 'invalid_grant' });
    expect(await auditFailures(before)).toEqual(['InvalidAudience']);
    // On the production host the sandbox record is unknown altogether (an integration record lives in one account).
    const otherAccount = await tokenRequest(h, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await client.createAssertion() });
    expect(otherAccount.body).toEqual({ error: 'invalid_client' });
    const err = await tokenEndpointError(new Response(JSON.stringify(elsewhere.body), { status: elsewhere.status }), 'client_credentials');
    expect(err.likelyCauses.join('\n')).toMatch(/aud is not the exact token URL on the account-specific suitetalk host/);
  });
});

describe('pitfall §9.2: kid is NetSuite\'s certificate ID; revocation and expiry invalidate it', () => {
  it('the kid header is the certificate ID verbatim, and an expired certificate stops working with an explanation', async () => {
    const cert = await mapCertificate({ validityDays: 2 });
    const client = m2m(cert);
    expect(decodeProtectedHeader(await client.createAssertion()).kid).toBe(cert.certificateId);
    await expect(client.requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    h.clock.advance(3 * 24 * 3600);
    const before = await auditLength();
    const err = await failureOf(client.requestToken());
    expect((err as TokenEndpointError).likelyCauses.join('\n')).toMatch(/certificate has expired/);
    expect(await auditFailures(before)).toEqual(['CertificateExpired']);
  });
});

describe('pitfall §9.3: alg must match the key (PS256 for RSA, ES256/384/512 by curve)', () => {
  it.each([
    ['RSA-3072', undefined, 'PS256'],
    ['RSA-3072', 'PS384', 'PS384'],
    ['EC-P256', undefined, 'ES256'],
    ['EC-P384', undefined, 'ES384'],
    ['EC-P521', undefined, 'ES512'],
  ] as const)('%s (requested %s) signs %s and the emulator accepts it', async (keyType, requested, alg) => {
    const cert = await mapCertificate({ keyType });
    const { fetch: recording, calls } = recordingFetch();
    await expect(m2m(cert, { fetch: recording, ...(requested ? { algorithm: requested } : {}) }).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(decodeProtectedHeader(formOf(calls[0]?.body).get('client_assertion') ?? '').alg).toBe(alg);
  });
});

describe('pitfall §9.4: exp − iat must stay below 3600 s, with integer iat', () => {
  it('3600 s is refused before sending, 3599 s is accepted, a hand-made 3600 s assertion is refused and explained', async () => {
    expect(() => m2m(sharedCert, { assertionLifetimeSeconds: 3600 })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    await expect(m2m(sharedCert, { assertionLifetimeSeconds: 3599 }).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });

    const now = Math.floor(h.clock.now() / 1000);
    const tooLong = await new SignJWT({ scope: SCOPES })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: sharedCert.certificateId })
      .setIssuer(confidentialClientId()).setAudience(`${h.hosts.suitetalk}${TOKEN_PATH}`).setIssuedAt(now).setExpirationTime(now + 3600)
      .sign(await importPKCS8(sharedCert.privateKeyPem, 'ES256'));
    const before = await auditLength();
    const refused = await tokenRequest(h, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: tooLong });
    expect(refused.body).toEqual({ error: 'invalid_grant' });
    expect(await auditFailures(before)).toEqual(['InvalidAssertionLifetime']);
    const err = await tokenEndpointError(new Response(JSON.stringify(refused.body), { status: refused.status }), 'client_credentials');
    expect(err.likelyCauses.join('\n')).toMatch(/exp - iat is 3600 seconds or more/);
  });

  it('iat and exp are whole seconds even when the clock has milliseconds', async () => {
    const { fetch: recording, calls } = recordingFetch();
    // 537 ms past a whole second on the shared clock: the emulator refuses an iat in its future, so the client must round down.
    h.clock.ms = Math.floor(h.clock.ms / 1000) * 1000 + 537;
    await m2m(sharedCert, { fetch: recording }).requestToken();
    const claims = decodeJwt(formOf(calls[0]?.body).get('client_assertion') ?? '');
    expect(Number.isInteger(claims.iat)).toBe(true);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(300);
  });
});

describe('pitfall §9.5: scope claim type', () => {
  it('a comma-joined scope string is refused by the client; a single scope still goes out as an array and is honoured', async () => {
    expect(() => m2m(sharedCert, { scopes: ['restlets,rest_webservices'] })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', remedy: expect.stringMatching(/separate array items/) }));
    const { fetch: recording, calls } = recordingFetch();
    const tokens = await m2m(sharedCert, { fetch: recording, scopes: ['restlets'] }).requestToken();
    expect(decodeJwt(formOf(calls[0]?.body).get('client_assertion') ?? '').scope).toEqual(['restlets']);
    const endpoints = resolveEndpoints(PROD, transport());
    const auth = staticTokenProvider(tokens.accessToken);
    await expect(new RestletClient({ endpoints, http: new NetSuiteHttp({ accountId: PROD }), auth }).get(...HEALTH)).resolves.toMatchObject({ accountId: PROD });
    await expect(new GovernanceClient({ endpoints, http: new NetSuiteHttp({ accountId: PROD }), auth }).limits()).rejects.toMatchObject({ status: 401, kind: 'rest' });
  });
});

describe('pitfall §9.6: state shorter than 22 characters is rejected', () => {
  it('our state is 43 characters; a 21-character state is refused and our callback handling says why', async () => {
    const client = new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: REDIRECT, scopes: SCOPES, ...transport() });
    const { url, state } = await client.start();
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const short = new URL(url);
    short.searchParams.set('state', state.slice(0, 21));
    const callback = await driveAuthorization(short.toString(), REDIRECT, admin());
    expect(new URL(callback).searchParams.get('error')).toBe('invalid_request');
    const err = await failureOf(client.handleCallback(callback));
    expect(err).toMatchObject({ code: 'AUTHORIZATION_FAILED', error: 'invalid_request' });
    expect((err as AuthorizationError).remedy).toMatch(/state length \(22-1024\)/);
    // The unmodified URL still works: the state itself was fine.
    await expect(client.handleCallback(await driveAuthorization(url, REDIRECT, admin()))).resolves.toMatchObject({ role: ADMIN_ROLE });
  });
});

describe('pitfall §9.7: redirect URI must match the record exactly', () => {
  it('a redirect URI differing by a trailing slash gets an error page and no redirect; the exact one redirects with a code', async () => {
    const almost = `${REDIRECT}/`;
    const client = new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: almost, scopes: SCOPES, ...transport() });
    const { url } = await client.start();
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(almost); // sent verbatim, never "normalised"
    const page = await loopbackFetch(url, { redirect: 'manual' });
    expect(page.headers.get('location')).toBeNull();
    expect(await page.text()).toMatch(/redirect_uri/i);
    await expect(driveAuthorization(url, almost, admin())).rejects.toThrow(/instead of redirecting/);

    const exact = await authorize({ clientId: publicClientId(), creds: admin() });
    expect(exact.result.tokens.accessToken).toBeTruthy();
  });

  it('http:// redirect URIs are refused: by NetSuite (the emulator) even for loopback, and by the client for any other host before a request', async () => {
    // The http form of the registered https callback: NetSuite shows an error page and does not redirect.
    const client = new AuthorizationCodeClient({ accountId: PROD, clientId: publicClientId(), redirectUri: REDIRECT, scopes: SCOPES, ...transport() });
    const url = new URL((await client.start()).url);
    url.searchParams.set('redirect_uri', REDIRECT.replace(/^https:/, 'http:'));
    const page = await loopbackFetch(url.toString(), { redirect: 'manual' });
    expect(page.headers.get('location')).toBeNull();
    expect(await page.text()).toMatch(/redirect_uri/i);
    // An integration record cannot even hold one (Oracle: "The http:// scheme isn't supported").
    await expect(startHarness({ integrations: [{ name: 'http record', accountId: PROD, publicClient: true, redirectUris: [REDIRECT.replace(/^https:/, 'http:')] }] }))
      .rejects.toThrow(/uses http:\/\/.*which NetSuite refuses/);
    expect(() => new AuthorizationCodeClient({ accountId: PROD, clientId: 'x', redirectUri: 'http://example.com/callback', scopes: SCOPES }))
      .toThrow(expect.objectContaining({ code: 'INSECURE_URL' }));
  });
});

describe('pitfall §9.8: weekly re-auth (refresh validity, maximum rotation time)', () => {
  it('within the defaults (168 h) the stored authorization keeps working for days; past the rotation window the error names it', async () => {
    const { client, result } = await authorize({ clientId: publicClientId(), creds: admin() });
    const manager = new TokenManager({ clock: h.clock, staleReadDelayMs: 1 });
    const key: TokenKey = { tenant: 's98', grant: 'authorization_code', scopes: SCOPES };
    const source: TokenSource = { kind: 'authorization_code', client };
    await manager.saveAuthorization(key, result.tokens, result);
    for (let day = 1; day <= 6; day++) {
      h.clock.advance(24 * 3600);
      await expect(manager.getAccessToken(key, source)).resolves.toMatch(/^eyJ/);
    }
    h.clock.advance(2 * 24 * 3600); // 8 days since the user consented
    const before = await auditLength();
    const err = await failureOf(manager.getAccessToken(key, source));
    expect(err).toMatchObject({ error: 'invalid_grant', grant: 'refresh_token' });
    expect((err as TokenEndpointError).likelyCauses.join('\n')).toMatch(/Maximum Time for Token Rotation/);
    expect(await auditFailures(before)).toContain('MaximumTokenRotationTimeExceeded');
  });
});

describe('pitfall §9.9: public-client refresh rotation (persist before use)', () => {
  it('the rotated refresh token is in the store before the access token is returned: a restarted process continues the chain', async () => {
    const { client, result } = await authorize({ clientId: publicClientId(), creds: admin() });
    const path = join(dir, 's99.db');
    const key: TokenKey = { tenant: 's99', grant: 'authorization_code', scopes: SCOPES };
    const first = new SqliteTokenStore({ path, env: {} });
    const manager = new TokenManager({ store: first, clock: h.clock });
    await manager.saveAuthorization(key, result.tokens, result);
    h.clock.advance(58 * 60);
    await manager.getAccessToken(key, { kind: 'authorization_code', client });
    await first.close();
    // The old refresh token is dead (single use)...
    await expect(client.refresh(result.tokens.refreshToken ?? '')).rejects.toMatchObject({ error: 'invalid_grant' });
    // ...and a new process with the same store file carries on without a new login.
    const second = new SqliteTokenStore({ path, env: {} });
    const restarted = new TokenManager({ store: second, clock: h.clock });
    h.clock.advance(58 * 60);
    await expect(restarted.getAccessToken(key, { kind: 'authorization_code', client })).resolves.toMatch(/^eyJ/);
    await second.close();
  });

  it('when the rotated refresh token cannot be written, no access token is handed out', async () => {
    const { client, result } = await authorize({ clientId: publicClientId(), creds: admin() });
    const inner = new MemoryTokenStore();
    let failWrites = false;
    const flaky: TokenStore = {
      get: (k) => inner.get(k),
      compareAndSwap: (k, v, value) => (failWrites ? Promise.reject(new Error('disk full')) : inner.compareAndSwap(k, v, value)),
      delete: (k) => inner.delete(k),
      list: (p) => inner.list(p),
      close: () => inner.close(),
    };
    const manager = new TokenManager({ store: flaky, clock: h.clock });
    const key: TokenKey = { tenant: 's99-flaky', grant: 'authorization_code', scopes: SCOPES };
    await manager.saveAuthorization(key, result.tokens, result);
    h.clock.advance(58 * 60);
    failWrites = true;
    await expect(manager.getAccessToken(key, { kind: 'authorization_code', client })).rejects.toThrow(/disk full/);
  });
});

describe('pitfall §9.10: expires_in is a string', () => {
  it('NetSuite-style "3600" is accepted and turned into an absolute expiry, for auth code and client credentials', async () => {
    const { fetch: recording, calls } = recordingFetch();
    const { result } = await authorize({ clientId: publicClientId(), creds: admin(), fetch: recording });
    const tokenCall = calls.find((c) => c.url.endsWith(TOKEN_PATH));
    expect((JSON.parse(tokenCall?.responseBody ?? '{}') as { expires_in: unknown }).expires_in).toBe('3600');
    expect(result.tokens.expiresAt).toBe(h.clock.now() + 3600_000);

    const m2mCalls = recordingFetch();
    const tokens = await m2m(sharedCert, { fetch: m2mCalls.fetch }).requestToken();
    expect((JSON.parse(m2mCalls.calls[0]?.responseBody ?? '{}') as { expires_in: unknown }).expires_in).toBe('3600');
    expect(tokens.expiresAt).toBe(h.clock.now() + 3600_000);
  });
});

describe('pitfall §9.11: token-endpoint errors are terse', () => {
  it('the wire answer is a bare {"error":"invalid_grant"}; our error adds causes and the audit-trail pointer, and leaks nothing', async () => {
    const { fetch: recording, calls } = recordingFetch();
    const bad = m2m({ ...sharedCert, certificateId: 'wrong-kid' }, { fetch: recording });
    const err = await failureOf(bad.requestToken()) as TokenEndpointError;
    expect(JSON.parse(calls[0]?.responseBody ?? '')).toEqual({ error: 'invalid_grant' });
    expect(err.likelyCauses.length).toBeGreaterThan(3);
    expect(err.message).toMatch(/Likely causes: wrong kid/);
    expect(err.remedy).toMatch(/View Login Audit Trail/);
    const assertion = formOf(calls[0]?.body).get('client_assertion') ?? '';
    for (const secret of [assertion, assertion.split('.')[2] ?? 'x', sharedCert.privateKeyPem.split('\n')[1] ?? 'x']) {
      expect(`${err.message} ${err.remedy} ${JSON.stringify(err)}`).not.toContain(secret);
    }
  });
});

describe('pitfall §9.12: sandbox and release preview need their own M2M mappings', () => {
  it('a production mapping does not work for the sandbox record; a mapping made in the sandbox does', async () => {
    const sandbox = integration('PP sandbox');
    const fromProd = m2m(sharedCert, { clientId: sandbox.clientId, accountId: SANDBOX, baseUrl: sandboxBase, fetch: loopbackFetch });
    const err = await failureOf(fromProd.requestToken());
    expect(err).toMatchObject({ error: 'invalid_grant' });
    expect((err as TokenEndpointError).likelyCauses.join('\n')).toMatch(/sandbox refresh wiped it \(mappings are not copied\)/);
    const own = await mapCertificate({ clientId: sandbox.clientId, accountId: SANDBOX, baseUrl: sandboxBase, fetch: loopbackFetch });
    await expect(m2m(own, { clientId: sandbox.clientId, accountId: SANDBOX, baseUrl: sandboxBase, fetch: loopbackFetch }).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
  });
});

describe('pitfall §9.13: RESTlets on the wrong host', () => {
  it('our RESTlet URLs use the restlets.api host; a 302 from a wrong host is an error naming the host, and the token is not sent on', async () => {
    expect(new URL(resolveEndpoints(PROD).restletUrl(...HEALTH)).host).toBe('1234567.restlets.api.netsuite.com');
    const wrongHost = await startRedirectingHost();
    try {
      const restlet = new RestletClient({
        endpoints: resolveEndpoints(PROD, { baseUrl: wrongHost.url, dangerouslyAllowInsecureHttp: true }),
        http: new NetSuiteHttp({ accountId: PROD }), auth: await adminProvider(),
      });
      const err = await failureOf(restlet.get(...HEALTH));
      expect(err).toBeInstanceOf(NetSuiteApiError);
      expect(err).toMatchObject({ status: 302, netsuiteCode: 'HTTP_302' });
      expect((err as NetSuiteApiError).remedy).toMatch(/restlets\.api/);
      expect(wrongHost.hits).toBe(1);
      expect(wrongHost.followed).toBe(0);
    } finally {
      await wrongHost.close();
    }
  });
});

describe('pitfall §9.14: concurrency errors must be retried with backoff', () => {
  it('injected RESTlet 400 SSS_REQUEST_LIMIT_EXCEEDED and REST 429 are retried with growing, jittered delays', async () => {
    const waits: number[] = [];
    const http = new NetSuiteHttp({ accountId: PROD, retry: { random: () => 0.999, sleep: async (ms) => void waits.push(ms) } });
    const reasons: string[] = [];
    http.onRetry = (e) => reasons.push(e.reason);
    const auth = await adminProvider();
    const endpoints = resolveEndpoints(PROD, transport());
    await setFaults({ concurrencyRejects: 3 });
    await expect(new RestletClient({ endpoints, http, auth }).get(...HEALTH)).resolves.toMatchObject({ accountId: PROD });
    await setFaults({ concurrencyRejects: 2 });
    await expect(new GovernanceClient({ endpoints, http, auth }).limits()).resolves.toMatchObject({ accountConcurrencyLimit: 5 });
    expect(reasons).toEqual(['concurrency_limit', 'concurrency_limit', 'concurrency_limit', 'rate_limited', 'rate_limited']);
    expect(waits.slice(0, 3)).toEqual([499, 999, 1998]); // full jitter under caps of 500·2^n
  });

  it('without retries the REST 429 surfaces as a typed concurrency error', async () => {
    const http = new NetSuiteHttp({ accountId: PROD, retry: { maxRetries: 0 } });
    await setFaults({ concurrencyRejects: 1 });
    const err = await failureOf(new GovernanceClient({ endpoints: resolveEndpoints(PROD, transport()), http, auth: await adminProvider() }).limits());
    expect(err).toMatchObject({ status: 429, netsuiteCode: 'CONCURRENCY_LIMIT_EXCEEDED', kind: 'rest' });
    expect((err as NetSuiteApiError).remedy).toMatch(/concurrency limit/);
  });
});

describe('pitfall §9.15: role lacks permissions although OAuth succeeds', () => {
  it('a role with only "Log in using OAuth 2.0" gets tokens, then typed 403 errors from the RESTlet and REST, without a token refresh loop', async () => {
    const { client, result } = await authorize({ clientId: publicClientId(), creds: user(PROD, LIMITED_ENTITY, LIMITED_ROLE) });
    expect(result.role).toBe(LIMITED_ROLE);
    const manager = new TokenManager({ clock: h.clock });
    const key: TokenKey = { tenant: 's915', grant: 'authorization_code', scopes: SCOPES };
    await manager.saveAuthorization(key, result.tokens, result);
    const auth = manager.provider(key, { kind: 'authorization_code', client });
    const endpoints = resolveEndpoints(PROD, transport());
    const http = new NetSuiteHttp({ accountId: PROD });

    const restletErr = await failureOf(new RestletClient({ endpoints, http, auth }).get(...HEALTH));
    expect(restletErr).toBeInstanceOf(NetSuiteApiError);
    expect(restletErr).toMatchObject({ status: 403, kind: 'restlet', netsuiteCode: 'INSUFFICIENT_PERMISSION' });
    expect((restletErr as NetSuiteApiError).remedy).toMatch(/deployment audience/);

    const restErr = await failureOf(new GovernanceClient({ endpoints, http, auth }).limits());
    expect(restErr).toMatchObject({ status: 403, kind: 'rest', netsuiteCode: 'INSUFFICIENT_PERMISSION' });
    expect((restErr as NetSuiteApiError).remedy).toMatch(/permission/);
    expect(manager.tokenRequestCount).toBe(0); // a 403 is not a token problem
  });
});
