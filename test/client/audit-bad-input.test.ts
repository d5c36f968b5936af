import { AuthorizationCodeClient, ClientCredentialsClient, ConfigurationError, createClientAssertion } from '../../client/src';
import { startCallbackServer } from '../../client/src/onboarding/callbackServer';

/** Bad input from plain-JavaScript callers gets a typed error that names the field and the fix, not a TypeError. */
function expectConfigurationError(thrown: unknown, field: string): void {
  expect(thrown).toBeInstanceOf(ConfigurationError);
  const err = thrown as ConfigurationError;
  expect(err.code).toBe('INVALID_ARGUMENT');
  expect(err.field).toBe(field);
  expect(err.message).toContain(field);
  expect(err.remedy).toEqual(expect.any(String));
}

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('audit: bad input to the public client API', () => {
  it.each([
    ['ClientCredentialsClient', () => new ClientCredentialsClient(undefined as never)],
    ['AuthorizationCodeClient', () => new AuthorizationCodeClient(null as never)],
  ])('new %s without an options object', (name, make) => {
    expectConfigurationError(caught(make), 'options');
  });

  it('createClientAssertion without an options object', async () => {
    expectConfigurationError(await createClientAssertion(undefined as never).catch((err: unknown) => err), 'options');
  });

  it.each([
    ['ClientCredentialsClient', () => new ClientCredentialsClient({ accountId: '1234567', clientId: '', certificateId: 'c', privateKey: 'k', scopes: ['restlets'] })],
    ['AuthorizationCodeClient', () => new AuthorizationCodeClient({ accountId: '1234567', clientId: ' ', redirectUri: 'https://example.com/cb', scopes: ['restlets'] })],
  ])('%s with an empty clientId says where to find it', (_name, make) => {
    expectConfigurationError(caught(make), 'clientId');
  });

  it('startCallbackServer with a redirect URI that is not a URL', async () => {
    const err = await startCallbackServer('not a url').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).field).toBe('--redirect-uri');
    expect((err as ConfigurationError).message).toContain('not an absolute URL');
    // NetSuite accepts only https:// redirect URIs; the example is the one onboard serves.
    expect((err as ConfigurationError).remedy).toContain('https://127.0.0.1:8899/callback');
  });
});
