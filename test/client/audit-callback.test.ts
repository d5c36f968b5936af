import { AuthorizationCodeClient, SuiteBridgeError } from '../../client/src';

describe('audit: handleCallback with a callback that is not a URL', () => {
  it('is a typed error naming the callback and the fix', async () => {
    const client = new AuthorizationCodeClient({ accountId: '1234567', clientId: 'c'.repeat(64), redirectUri: 'https://app.example.com/callback', scopes: ['restlets'] });
    const err = await client.handleCallback('http://[not-a-host').then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteBridgeError);
    expect((err as SuiteBridgeError).message).toMatch(/callback/i);
    expect((err as SuiteBridgeError).remedy).toEqual(expect.any(String));
  });
});
