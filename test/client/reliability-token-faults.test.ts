import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { TokenEndpointError, TransportError } from '../../client/src/errors';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { TokenManager } from '../../client/src/tokens/manager';
import { authorizationStoreKey } from '../../client/src/tokens/storedAuthorization';
import type { TokenRetryOptions } from '../../client/src/tokens/tokenRetry';
import type { TokenKey } from '../../client/src/tokens/types';
import { runCli } from './_cliCapture';
import { TokenFaultServer, type Fault } from './support/reliabilityFaultServer';

const KEY_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const AC_KEY: TokenKey = { tenant: '1234567', grant: 'authorization_code', scopes: ['restlets'] };
const REDIRECT = 'https://127.0.0.1:8899/callback';

let server: TokenFaultServer;
let delays: number[];
const retry = (): TokenRetryOptions => ({ sleep: async (ms) => void delays.push(ms), random: () => 0.5 });

beforeEach(async () => {
  server = await new TokenFaultServer().start();
  delays = [];
});
afterEach(() => server.close());

function m2mClient(): ClientCredentialsClient {
  return new ClientCredentialsClient({
    accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'kid-1', privateKey: KEY_PEM, scopes: ['restlets'],
    tokenUrl: server.url, dangerouslyAllowInsecureHttp: true, tokenRetry: retry(),
  });
}

/** Every request goes to the fault server, whatever host the client computed. */
function authClient(): AuthorizationCodeClient {
  return new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: REDIRECT, scopes: ['restlets'], tokenRetry: retry(),
    fetch: (_input, init) => fetch(server.url, init),
  });
}

async function codeExchange(client: AuthorizationCodeClient) {
  const { state } = await client.start();
  return client.handleCallback(`${REDIRECT}?code=abc&state=${state}&role=3&entity=7&company=1234567`);
}

async function managerWithStoredAuthorization(options: ConstructorParameters<typeof TokenManager>[0] = {}) {
  const store = new MemoryTokenStore();
  const manager = new TokenManager({ store, sleep: async (ms) => void delays.push(ms), ...options });
  const refreshToken = server.grantRefreshToken();
  await manager.saveAuthorization(AC_KEY, { accessToken: 'old', refreshToken, expiresAt: Date.now() - 1000, scopes: ['restlets'], tokenType: 'Bearer' });
  return { store, manager, refreshToken, source: { kind: 'authorization_code' as const, client: authClient() } };
}

const SURVIVABLE: Fault[] = ['html503', 'bad_gateway', 'rate_limited', 'reset', 'cut_body'];

describe('token endpoint faults: client credentials and code exchange are retried (issue 9 §2)', () => {
  it.each(SURVIVABLE)('client credentials survive %s, with a fresh assertion on the retry', async (fault) => {
    server.faults.push(fault);
    const tokens = await m2mClient().requestToken();
    expect(tokens.accessToken).toMatch(/^at-/);
    expect(server.seen).toHaveLength(2);
    const [first, second] = server.seen.map((s) => decodeJwt(s.form.client_assertion!).jti);
    expect(first).not.toBe(second);
    expect(delays).toEqual([fault === 'rate_limited' ? 2000 : 250]);
  });

  it.each(SURVIVABLE)('the authorization code exchange survives %s', async (fault) => {
    server.faults.push(fault);
    const result = await codeExchange(authClient());
    expect(result.tokens.refreshToken).toMatch(/^rt-/);
    expect(server.seen).toHaveLength(2);
  });

  it('gives up after the bounded retries with NETSUITE_UNAVAILABLE, not an authorization failure', async () => {
    server.faults.push('html503', 'html503', 'html503', 'html503');
    const err = await m2mClient().requestToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err).toMatchObject({ code: 'NETSUITE_UNAVAILABLE', status: 503, error: 'http_503' });
    expect(server.seen).toHaveLength(4);
    expect(delays).toEqual([250, 500, 1000]);
  });

  it('a cut body is a transport error once retries are spent', async () => {
    server.faults.push('cut_body', 'cut_body', 'cut_body', 'cut_body');
    const err = await m2mClient().requestToken().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toMatch(/cut off before its end/);
  });

  it('never retries invalid_client or invalid_grant', async () => {
    server.refuseClient = true;
    await expect(m2mClient().requestToken()).rejects.toMatchObject({ error: 'invalid_client', code: 'TOKEN_REQUEST_FAILED' });
    expect(server.seen).toHaveLength(1);
    await expect(authClient().refresh('rt-unknown')).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(server.seen).toHaveLength(2);
  });
});

describe('refresh faults: retried only where a one-time refresh token cannot be burnt (issue 9 §2)', () => {
  it.each(['html503', 'rate_limited'] as Fault[])('%s (NetSuite refused, nothing rotated) is retried with the same token', async (fault) => {
    const { manager, source, refreshToken } = await managerWithStoredAuthorization();
    server.faults.push(fault);
    expect(await manager.getAccessToken(AC_KEY, source)).toMatch(/^at-/);
    expect(server.seen.map((s) => s.form.refresh_token)).toEqual([refreshToken, refreshToken]);
  });

  it.each(['bad_gateway', 'reset'] as Fault[])('after %s before NetSuite processed it, the store is re-read and the same token sent again', async (fault) => {
    const { manager, source, store, refreshToken } = await managerWithStoredAuthorization();
    server.faults.push(fault);
    expect(await manager.getAccessToken(AC_KEY, source)).toMatch(/^at-/);
    expect(server.seen.map((s) => s.form.refresh_token)).toEqual([refreshToken, refreshToken]);
    expect(JSON.parse((await store.get(authorizationStoreKey(AC_KEY)))!.value).refreshToken).not.toBe(refreshToken);
  });

  it('uses a newer pair another process stored while the answer was lost, instead of replaying the old token', async () => {
    const { manager, source, store } = await managerWithStoredAuthorization({
      // The "other process" saves its rotation while this one waits to retry.
      sleep: async () => {
        const row = await store.get(authorizationStoreKey(AC_KEY));
        const next = { ...JSON.parse(row!.value), refreshToken: server.grantRefreshToken(), accessToken: 'at-other', expiresAt: Date.now() + 3_600_000, issuedAt: Date.now() };
        await store.compareAndSwap(authorizationStoreKey(AC_KEY), row!.version, JSON.stringify(next));
      },
    });
    server.faults.push('bad_gateway');
    expect(await manager.getAccessToken(AC_KEY, source)).toBe('at-other');
    expect(server.seen).toHaveLength(1);
  });

  it('when NetSuite rotated and the answer was lost, says so plainly', async () => {
    const { manager, source } = await managerWithStoredAuthorization();
    server.faults.push('process_then_502');
    const err = await manager.getAccessToken(AC_KEY, source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect((err as TokenEndpointError).error).toBe('invalid_grant');
    expect((err as TokenEndpointError).message).toMatch(/earlier refresh attempt lost its answer/);
    expect((err as TokenEndpointError).remedy).toMatch(/authorization code flow again/);
  });
});

describe('CLI exit code for an unavailable token endpoint (issue 9 §2)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-faults-'));
    writeFileSync(join(dir, 'key.pem'), KEY_PEM, { mode: 0o600 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const args = () => [
    'token', '--client-credentials', '--account', '1234567', '--client-id', 'c'.repeat(64), '--certificate-id', 'kid-1',
    '--private-key', join(dir, 'key.pem'), '--scope', 'restlets', '--token-url', server.url, '--dangerously-allow-insecure-http',
  ];

  it('exits 7 "NetSuite unavailable" when 503s outlast the retries, and survives a single one', async () => {
    server.faults.push('busy503', 'busy503', 'busy503', 'busy503');
    const failed = await runCli(args());
    expect(failed.code).toBe(7);
    expect(failed.stderr).toMatch(/HTTP 503/);
    server.faults.push('busy503');
    const survived = await runCli(args());
    expect(survived.code).toBe(0);
    expect(survived.stdout).toMatch(/^at-/);
  });
});

describe('a process stopped in the middle of a refresh (refresh journal)', () => {
  it('the next process is told that the earlier refresh with the same token never finished', async () => {
    const { store, refreshToken } = await managerWithStoredAuthorization();
    // The first process sends the refresh; NetSuite rotates; the process dies before it can save (no retry, no answer).
    const dying = new TokenManager({ store, sleep: async () => undefined, refreshRetry: { maxRetries: 0 } });
    server.faults.push('process_then_reset');
    await expect(dying.getAccessToken(AC_KEY, { kind: 'authorization_code', client: authClientWithoutRetry() })).rejects.toThrow();
    const journal = await store.get('suitebridge:refreshing:1234567:restlets');
    expect(journal).toBeDefined();
    expect(journal!.value).not.toContain(refreshToken);

    const next = new TokenManager({ store, sleep: async () => undefined });
    const err = await next.getAccessToken(AC_KEY, { kind: 'authorization_code', client: authClient() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect((err as TokenEndpointError).error).toBe('invalid_grant');
    expect((err as TokenEndpointError).message).toMatch(new RegExp(`A process \\(pid ${process.pid}\\) began a refresh with that same token at \\d{4}-`));
  });

  it('a refresh that finishes leaves no journal, and a plain invalid_grant says nothing of a stopped process', async () => {
    const { manager, store, source } = await managerWithStoredAuthorization();
    expect(await manager.getAccessToken(AC_KEY, source)).toMatch(/^at-/);
    expect(await store.get('suitebridge:refreshing:1234567:restlets')).toBeUndefined();

    // A refresh token NetSuite never issued (or revoked): refused at once, nothing rotated, no journal left behind.
    const other = new MemoryTokenStore();
    const refused = new TokenManager({ store: other, sleep: async () => undefined });
    await refused.saveAuthorization(AC_KEY, { accessToken: 'old', refreshToken: 'rt-never-issued', expiresAt: Date.now() - 1000, scopes: ['restlets'], tokenType: 'Bearer' });
    const err = await refused.getAccessToken(AC_KEY, source).catch((e: unknown) => e);
    expect((err as TokenEndpointError).error).toBe('invalid_grant');
    expect((err as Error).message).not.toMatch(/began a refresh/);
    expect(await other.get('suitebridge:refreshing:1234567:restlets')).toBeUndefined();
  });
});

function authClientWithoutRetry(): AuthorizationCodeClient {
  return new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: REDIRECT, scopes: ['restlets'], tokenRetry: { ...retry(), maxRetries: 0 },
    fetch: (_input, init) => fetch(server.url, init),
  });
}
