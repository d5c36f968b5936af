import { createHash } from 'node:crypto';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import {
  MemoryPendingAuthorizationStore,
  TokenStorePendingAuthorizationStore,
  type PendingAuthorization,
  type PendingAuthorizationStore,
} from '../../client/src/authcodePending';
import { ManualClock } from '../../client/src/clock';
import { AuthorizationError, TokenEndpointError } from '../../client/src/errors';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { json, mockFetch, rejectionOf, rejectionSync, tokenResponse, type Handler } from './support/coreFetchMock';

const CLIENT_ID = 'a'.repeat(64);
const SECRET = 'b'.repeat(64);
const REDIRECT = 'https://127.0.0.1:8899/callback';
const TOKEN_URL = 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token';

class SpyPending implements PendingAuthorizationStore {
  readonly inner: MemoryPendingAuthorizationStore;
  readonly saved = new Map<string, PendingAuthorization>();
  constructor(clock: ManualClock) {
    this.inner = new MemoryPendingAuthorizationStore(clock);
  }
  async put(state: string, entry: PendingAuthorization): Promise<void> {
    this.saved.set(state, entry);
    await this.inner.put(state, entry);
  }
  take(state: string): Promise<PendingAuthorization | undefined> {
    return this.inner.take(state);
  }
}

function setup(options: { secret?: boolean; handler?: Handler } = {}) {
  const clock = new ManualClock();
  const pending = new SpyPending(clock);
  const mock = mockFetch(options.handler ?? (() => tokenResponse({ refresh_token: 'rt-1' })));
  const client = new AuthorizationCodeClient({
    accountId: '1234567_sb1',
    clientId: CLIENT_ID,
    ...(options.secret ? { clientSecret: SECRET } : {}),
    redirectUri: REDIRECT,
    scopes: ['restlets', 'rest_webservices'],
    pending,
    fetch: mock.fetch,
    clock,
  });
  return { clock, pending, client, ...mock };
}

function callback(state: string, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ state, role: '3', entity: '7', company: '1234567_SB1', code: 'the-code', ...extra });
  return `${REDIRECT}?${params}`;
}

describe('AuthorizationCodeClient.start', () => {
  it('builds the authorize.nl URL with S256 PKCE, space-separated scopes and a long random state', async () => {
    const { client, pending } = setup();
    const { url, state } = await client.start();
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe('https://1234567-sb1.app.netsuite.com/app/login/oauth2/authorize.nl');
    expect(parsed.searchParams.get('response_type')).toBe('code');
    expect(parsed.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(parsed.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(parsed.searchParams.get('scope')).toBe('restlets rest_webservices');
    expect(url).toContain('scope=restlets+rest_webservices');
    expect(parsed.searchParams.get('state')).toBe(state);
    expect(state.length).toBeGreaterThanOrEqual(43);
    expect(state).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(parsed.searchParams.get('code_challenge_method')).toBe('S256');
    expect(parsed.searchParams.has('prompt')).toBe(false);
    const verifier = pending.saved.get(state)!.codeVerifier;
    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(parsed.searchParams.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('uses a fresh state and verifier each time', async () => {
    const { client, pending } = setup();
    const a = await client.start();
    const b = await client.start();
    expect(a.state).not.toBe(b.state);
    expect(pending.saved.get(a.state)!.codeVerifier).not.toBe(pending.saved.get(b.state)!.codeVerifier);
  });

  it('passes prompt and rejects unknown prompt values', async () => {
    const { client } = setup();
    expect(new URL((await client.start({ prompt: 'login consent' })).url).searchParams.get('prompt')).toBe('login consent');
    const err = await rejectionOf(client.start({ prompt: 'select_account' }));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.field).toBe('prompt');
  });
});

describe('AuthorizationCodeClient options', () => {
  const base = { accountId: '1234567', clientId: CLIENT_ID, scopes: ['restlets'] };
  it.each(['http://app.example.com/cb', 'http://127.0.0.1:8899/callback', 'http://localhost:3000/cb'])(
    'refuses the http:// redirect URI %s, loopback included (NetSuite does not support http://)',
    (redirectUri) => {
      const err = rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri }));
      expect(err.code).toBe('INSECURE_URL');
      expect(err.field).toBe('redirectUri');
      expect(err.remedy).toMatch(/https:\/\/127\.0\.0\.1:<port>\/callback.*custom scheme/s);
    },
  );
  it('accepts https:// and custom-scheme redirect URIs', () => {
    expect(new AuthorizationCodeClient({ ...base, redirectUri: 'https://app.example.com/cb' }).isPublicClient).toBe(true);
    expect(new AuthorizationCodeClient({ ...base, redirectUri: 'myapp://callback' }).isPublicClient).toBe(true);
  });
  it('refuses bad scopes, a missing client ID and a bad account', () => {
    expect(rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri: REDIRECT, scopes: [] })).code).toBe('INVALID_ARGUMENT');
    expect(rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri: REDIRECT, scopes: ['restlets,rest_webservices'] })).field).toBe(
      'scopes',
    );
    expect(rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri: REDIRECT, scopes: ['mcp', 'restlets'] })).message).toMatch(/mcp/);
    expect(rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri: REDIRECT, clientId: '' })).field).toBe('clientId');
    expect(rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri: REDIRECT, accountId: 'x.evil' })).code).toBe(
      'INVALID_ACCOUNT_ID',
    );
    expect(rejectionSync(() => new AuthorizationCodeClient({ ...base, redirectUri: 'not a url' })).field).toBe('redirectUri');
  });
});

describe('AuthorizationCodeClient.handleCallback', () => {
  it('exchanges the code as a public client: client_id in the body, no Authorization header', async () => {
    const { client, calls, clock, pending } = setup();
    const { state } = await client.start();
    const result = await client.handleCallback(callback(state));
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.url).toBe(TOKEN_URL);
    expect(call.method).toBe('POST');
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.headers['authorization']).toBeUndefined();
    expect(Object.fromEntries(call.form)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: REDIRECT,
      code_verifier: pending.saved.get(state)!.codeVerifier,
      client_id: CLIENT_ID,
    });
    expect(result.role).toBe(3);
    expect(result.entity).toBe(7);
    expect(result.company).toBe('1234567_SB1');
    expect(result.tokens.tokenType).toBe('Bearer');
    expect(result.tokens.refreshToken).toBe('rt-1');
    expect(result.tokens.expiresAt).toBe(clock.now() + 3600_000); // "3600" as a string
    expect(result.tokens.scopes).toEqual(['restlets', 'rest_webservices']);
  });

  it('uses HTTP Basic for a confidential client and no client_id in the body', async () => {
    const { client, calls } = setup({ secret: true });
    const { state } = await client.start();
    await client.handleCallback(new URL(callback(state)));
    expect(calls[0]!.headers['authorization']).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64')}`);
    expect(calls[0]!.form.has('client_id')).toBe(false);
    expect(client.isPublicClient).toBe(false);
  });

  it('accepts a relative callback, negative entity IDs, numeric expires_in, Bearer and an id_token', async () => {
    const { client } = setup({ handler: () => json(200, { access_token: 'at', expires_in: 1800, token_type: 'Bearer', id_token: 'idt', scope: 'restlets' }) });
    const { state } = await client.start();
    const result = await client.handleCallback(`/callback?${new URLSearchParams({ state, role: '1001', entity: '-5', company: 'TSTDRV1', code: 'c' })}`);
    expect(result.entity).toBe(-5);
    expect(result.tokens.idToken).toBe('idt');
    expect(result.tokens.scopes).toEqual(['restlets']);
  });

  it('accepts a state only once', async () => {
    const { client, calls } = setup();
    const { state } = await client.start();
    await client.handleCallback(callback(state));
    const err = await rejectionOf(client.handleCallback(callback(state)));
    expect(err).toBeInstanceOf(AuthorizationError);
    expect(err.code).toBe('STATE_MISMATCH');
    expect(calls).toHaveLength(1);
  });

  it('rejects an unknown, a missing and an expired state without calling the token endpoint', async () => {
    const { client, calls, clock } = setup();
    expect((await rejectionOf(client.handleCallback(callback('x'.repeat(43))))).code).toBe('STATE_MISMATCH');
    expect((await rejectionOf(client.handleCallback(`${REDIRECT}?code=c`))).message).toMatch(/no state/);
    const { state } = await client.start();
    clock.advance(10 * 60 * 1000 + 1);
    expect((await rejectionOf(client.handleCallback(callback(state)))).code).toBe('STATE_MISMATCH');
    expect(calls).toHaveLength(0);
  });

  it('rejects a state issued for another client sharing the pending store', async () => {
    const { client, pending, clock } = setup();
    const { state } = await client.start();
    const other = new AuthorizationCodeClient({
      accountId: '1234567_SB1', clientId: 'c'.repeat(64), redirectUri: REDIRECT, scopes: ['restlets'], pending, clock,
      fetch: mockFetch(() => tokenResponse()).fetch,
    });
    expect((await rejectionOf(other.handleCallback(callback(state)))).code).toBe('STATE_MISMATCH');
  });

  it('turns access_denied into AUTHORIZATION_DENIED and burns the state', async () => {
    const { client, calls } = setup();
    const { state } = await client.start();
    const err = await rejectionOf(client.handleCallback(`${REDIRECT}?error=access_denied&state=${state}`));
    expect(err).toBeInstanceOf(AuthorizationError);
    expect(err.code).toBe('AUTHORIZATION_DENIED');
    expect(err.error).toBe('access_denied');
    expect(err.remedy).toMatch(/Allow/);
    expect((await rejectionOf(client.handleCallback(callback(state)))).code).toBe('STATE_MISMATCH');
    expect(calls).toHaveLength(0);
  });

  it.each(['invalid_scope', 'invalid_request', 'unauthorized_client', 'unsupported_response_type', 'login_required', 'server_error'])(
    'turns error=%s into AUTHORIZATION_FAILED with a remedy',
    async (error) => {
      const { client } = setup();
      const { state } = await client.start();
      const err = await rejectionOf(client.handleCallback(`${REDIRECT}?error=${error}&error_description=nope&state=${state}`));
      expect(err.code).toBe('AUTHORIZATION_FAILED');
      expect(err.error).toBe(error);
      expect(err.errorDescription).toBe('nope');
      expect(err.message).toContain(error);
      expect(typeof err.remedy).toBe('string');
    },
  );

  it('reports an error even without state, and redacts what it echoes', async () => {
    const { client } = setup();
    const jwt = 'eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const err = await rejectionOf(client.handleCallback(`${REDIRECT}?error=invalid_request&error_description=${jwt}`));
    expect(err.code).toBe('AUTHORIZATION_FAILED');
    expect(err.message).not.toContain(jwt);
    expect(err.errorDescription).not.toContain(jwt);
  });

  it('fails clearly when code or role/entity/company are missing', async () => {
    const { client } = setup();
    const a = await client.start();
    expect((await rejectionOf(client.handleCallback(`${REDIRECT}?state=${a.state}`))).message).toMatch(/neither code nor error/);
    const b = await client.start();
    const err = await rejectionOf(client.handleCallback(`${REDIRECT}?state=${b.state}&code=c&role=3`));
    expect(err.code).toBe('AUTHORIZATION_FAILED');
    expect(err.message).toMatch(/role, entity or company/);
  });

  it('maps an invalid_grant from the exchange to TokenEndpointError with likely causes', async () => {
    const { client } = setup({ handler: () => json(400, { error: 'invalid_grant' }) });
    const { state } = await client.start();
    const err = await rejectionOf(client.handleCallback(callback(state)));
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err.grant).toBe('authorization_code');
    expect(err.status).toBe(400);
    expect(err.likelyCauses.join(' ')).toMatch(/code_verifier/);
    expect(err.message).not.toContain('the-code');
  });

  it.each([
    ['no access token', { token_type: 'bearer', expires_in: '3600' }],
    ['a non-bearer token type', { access_token: 'at', token_type: 'mac', expires_in: '3600' }],
    ['a non-numeric expires_in', { access_token: 'at', token_type: 'bearer', expires_in: 'soon' }],
    ['a negative expires_in', { access_token: 'at', token_type: 'bearer', expires_in: -1 }],
  ])('rejects a 200 with %s as INVALID_TOKEN_RESPONSE', async (_name, body) => {
    const { client } = setup({ handler: () => json(200, body) });
    const { state } = await client.start();
    expect((await rejectionOf(client.handleCallback(callback(state)))).code).toBe('INVALID_TOKEN_RESPONSE');
  });

  it('rejects a 200 HTML page as INVALID_TOKEN_RESPONSE', async () => {
    const { client } = setup({ handler: () => new Response('<html>login</html>', { status: 200 }) });
    const { state } = await client.start();
    const err = await rejectionOf(client.handleCallback(callback(state)));
    expect(err.code).toBe('INVALID_TOKEN_RESPONSE');
    expect(err.remedy).toMatch(/token URL/);
  });
});

describe('AuthorizationCodeClient.refresh and revoke', () => {
  it('refreshes as a public client and returns the rotated refresh token', async () => {
    const { client, calls } = setup({ handler: () => tokenResponse({ refresh_token: 'rt-2' }) });
    const tokens = await client.refresh('rt-1');
    expect(Object.fromEntries(calls[0]!.form)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-1', client_id: CLIENT_ID });
    expect(calls[0]!.headers['authorization']).toBeUndefined();
    expect(tokens.refreshToken).toBe('rt-2');
  });

  it('refreshes as a confidential client with Basic and may get no new refresh token', async () => {
    const { client, calls } = setup({ secret: true, handler: () => tokenResponse() });
    const tokens = await client.refresh('rt-1');
    expect(calls[0]!.headers['authorization']).toMatch(/^Basic /);
    expect(calls[0]!.form.has('client_id')).toBe(false);
    expect(tokens.refreshToken).toBeUndefined();
  });

  it('explains an invalid_grant on refresh (expired, revoked, already used, rotation window)', async () => {
    const { client } = setup({ handler: () => json(400, { error: 'invalid_grant' }) });
    const err = await rejectionOf(client.refresh('rt-secret-value'));
    expect(err.grant).toBe('refresh_token');
    const causes = err.likelyCauses.join('\n');
    expect(causes).toMatch(/RefreshTokenExpired/);
    expect(causes).toMatch(/revoked/);
    expect(causes).toMatch(/already used/);
    expect(causes).toMatch(/Maximum Time for Token Rotation/);
    expect(err.remedy).toMatch(/authorization-code flow again/);
    expect(err.message).not.toContain('rt-secret-value');
  });

  it('rejects an empty refresh token', async () => {
    const { client } = setup();
    expect((await rejectionOf(client.refresh(''))).code).toBe('INVALID_ARGUMENT');
  });

  it('revokes on the revoke endpoint with token in the form', async () => {
    const { client, calls } = setup({ secret: true, handler: () => new Response('', { status: 200 }) });
    await client.revoke('rt-1');
    expect(calls[0]!.url).toBe('https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/revoke');
    expect(Object.fromEntries(calls[0]!.form)).toEqual({ token: 'rt-1' });
    expect(calls[0]!.headers['authorization']).toMatch(/^Basic /);
  });

  it('revokes as a public client with client_id and maps errors', async () => {
    const { client, calls } = setup({ handler: () => json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="1234567_SB1"' }) });
    const err = await rejectionOf(client.revoke('rt-1'));
    expect(calls[0]!.form.get('client_id')).toBe(CLIENT_ID);
    expect(err).toBeInstanceOf(TokenEndpointError);
    expect(err.grant).toBe('revoke');
    expect(err.message).toMatch(/^Token revocation failed: HTTP 401 invalid_client/);
  });
});

describe('pending authorization stores', () => {
  const entry = (expiresAt: number): PendingAuthorization => ({
    accountId: '1', clientId: 'c', redirectUri: REDIRECT, codeVerifier: 'v', scopes: ['restlets'], createdAt: 0, expiresAt,
  });

  it('memory store: single use, expiry, purge on put', async () => {
    const clock = new ManualClock(1000);
    const store = new MemoryPendingAuthorizationStore(clock);
    await store.put('s1', entry(2000));
    await store.put('s2', entry(1500));
    expect((await store.take('s1'))?.codeVerifier).toBe('v');
    expect(await store.take('s1')).toBeUndefined();
    clock.set(1600);
    await store.put('s3', entry(5000));
    expect(store.size).toBe(1);
    expect(await store.take('s2')).toBeUndefined();
  });

  it('TokenStore-backed store: persists across client instances, single use under concurrent takes', async () => {
    const clock = new ManualClock(1000);
    const tokenStore = new MemoryTokenStore();
    const a = new TokenStorePendingAuthorizationStore(tokenStore, clock);
    const b = new TokenStorePendingAuthorizationStore(tokenStore, clock);
    await a.put('state-1', entry(9000));
    expect((await tokenStore.list('')).some((k) => k.includes('state-1'))).toBe(false); // hashed keys
    const results = await Promise.all([a.take('state-1'), b.take('state-1'), b.take('state-1')]);
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await tokenStore.list('suitebridge:pending:')).toEqual([]);
    await a.put('state-2', entry(1500));
    clock.set(2000);
    expect(await b.take('state-2')).toBeUndefined();
  });

  it('works as the client pending store: start in one client, callback in another', async () => {
    const clock = new ManualClock();
    const tokenStore = new MemoryTokenStore();
    const mk = () =>
      new AuthorizationCodeClient({
        accountId: '1234567', clientId: CLIENT_ID, redirectUri: REDIRECT, scopes: ['restlets'], clock,
        pending: new TokenStorePendingAuthorizationStore(tokenStore, clock),
        fetch: mockFetch(() => tokenResponse({ refresh_token: 'r' })).fetch,
      });
    const { state } = await mk().start();
    const result = await mk().handleCallback(callback(state));
    expect(result.tokens.refreshToken).toBe('r');
  });
});
