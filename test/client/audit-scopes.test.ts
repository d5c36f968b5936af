import { ConfigurationError, ClientCredentialsClient } from '../../client/src';
import { runCli } from './_cliCapture';

describe('audit: scopes', () => {
  it.each([
    ['an empty list', [] as string[]],
    ['mcp with another scope', ['mcp', 'restlets']],
  ])('%s gets a remedy', (_what, scopes) => {
    let thrown: unknown;
    try {
      new ClientCredentialsClient({ accountId: '1234567', clientId: 'c', certificateId: 'k', privateKey: 'x', scopes });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).field).toBe('scopes');
    expect((thrown as ConfigurationError).remedy).toEqual(expect.any(String));
  });

  it('token --scope "" names the flag', async () => {
    const { code, stderr } = await runCli(['token', '--client-credentials', '--account', '1234567', '--client-id', 'c', '--certificate-id', 'k',
      '--private-key', '/nonexistent-audit.pem', '--scope', ' , ']);
    expect(code).toBe(2);
    expect(stderr).toContain('--scope');
    expect(stderr).toMatch(/fix: .*--scope restlets/);
  });
});
