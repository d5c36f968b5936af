import { generateKeyPairSync } from 'node:crypto';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { ClientCredentialsClient, createClientAssertion } from '../../client/src/clientCredentials';
import { ManualClock } from '../../client/src/clock';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { TokenManager } from '../../client/src/tokens/manager';
import { json, mockFetch, rejectionOf } from './support/coreFetchMock';

/** Every failure path of the core, one after another; none may leak a credential anywhere in the error. */
describe('no credential appears in an error', () => {
  const secret = 'S3cr3t-client-secret-0123456789abcdef';
  const refreshToken = 'eyJraWQiOiJyIn0.eyJqdGkiOiJyZWZyZXNoLXRva2VuLXZhbHVlIn0.cmVmcmVzaHNpZ25hdHVyZQ';
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const pemBody = pem.split('\n')[1]!;
  const weakPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const sent: string[] = [];

  function scan(err: unknown, extraSecrets: string[] = []) {
    const e = err as Error & Record<string, unknown>;
    const cause = e.cause as Error | undefined;
    const text = [e.message, String(e.remedy), String(e.stack), JSON.stringify(e), cause ? `${cause.message} ${cause.stack}` : ''].join('\n');
    const needles = [secret, refreshToken, pemBody, weakPem.split('\n')[1]!, ...sent, ...extraSecrets];
    // JWTs: every segment on its own too, so a truncated echo is caught as well.
    for (const needle of needles.flatMap((n) => [n, ...n.split('.').filter((part) => part.length > 20)])) {
      expect(text.includes(needle)).toBe(false);
    }
  }

  const echoingServer = (status: number) =>
    mockFetch((request) => {
      sent.push(...[...request.form.values()].filter((v) => v.length > 20));
      // A hostile or buggy server echoing what it received.
      return json(status, { error: 'invalid_grant', error_description: `got ${request.body} with ${request.headers['authorization'] ?? ''}` });
    });

  it('confidential exchange, refresh and revoke failures', async () => {
    const mock = echoingServer(400);
    const clock = new ManualClock();
    const client = new AuthorizationCodeClient({
      accountId: '1234567', clientId: 'a'.repeat(64), clientSecret: secret, redirectUri: 'https://app.example.com/cb',
      scopes: ['restlets'], fetch: mock.fetch, clock,
    });
    const { state } = await client.start();
    scan(await rejectionOf(client.handleCallback(`https://app.example.com/cb?state=${state}&code=code-value-123456789012345&role=3&entity=7&company=1234567`)));
    scan(await rejectionOf(client.refresh(refreshToken)));
    scan(await rejectionOf(client.revoke(refreshToken)));
    const manager = new TokenManager({ store: new MemoryTokenStore(), clock, sleep: async () => undefined });
    const key = { tenant: 't', grant: 'authorization_code' as const, scopes: ['restlets'] };
    await manager.saveAuthorization(key, { accessToken: 'at', refreshToken, expiresAt: clock.now() - 1, scopes: ['restlets'], tokenType: 'Bearer' });
    scan(await rejectionOf(manager.getAccessToken(key, { kind: 'authorization_code', client })));
    expect(sent.length).toBeGreaterThan(3);
  });

  it('client credentials failures and bad keys', async () => {
    const mock = echoingServer(401);
    const client = new ClientCredentialsClient({
      accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'kid', privateKey: pem, scopes: ['restlets'], fetch: mock.fetch,
    });
    scan(await rejectionOf(client.requestToken()));
    const network = new ClientCredentialsClient({
      accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'kid', privateKey: pem, scopes: ['restlets'],
      fetch: (async () => {
        throw new TypeError('fetch failed');
      }) as unknown as typeof fetch,
    });
    scan(await rejectionOf(network.requestToken()));
    scan(await rejectionOf(createClientAssertion({ clientId: 'c', certificateId: 'k', privateKey: weakPem, audience: 'https://x', scopes: ['restlets'] })));
    const mangled = pem.replace(pemBody, pemBody.slice(0, 30) + '!!' + pemBody.slice(32));
    scan(await rejectionOf(createClientAssertion({ clientId: 'c', certificateId: 'k', privateKey: mangled, audience: 'https://x', scopes: ['restlets'] })), [
      mangled.split('\n')[1]!,
    ]);
  });
});
