import { createServer, type Server } from 'node:net';
import { checkKnownScopes, probeAccountHosts } from '../../client/src/onboarding/preflight';
import { ConfigurationError, TransportError } from '../../client/src/errors';
import { runCli } from './_cliCapture';

/** A loopback port with nothing listening: bound, read, then closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('onboard fails fast before waiting for consent', () => {
  it('an unknown scope is refused, naming it and the scopes NetSuite has', () => {
    expect(() => checkKnownScopes(['restlets', 'rest_webservices', 'suite_analytics', 'openid', 'email'])).not.toThrow();
    expect(() => checkKnownScopes(['restlets', 'restlet'])).toThrow(ConfigurationError);
    expect(() => checkKnownScopes(['restlet'])).toThrow('Unknown scope restlet: NetSuite\'s scopes are restlets, rest_webservices, suite_analytics, mcp, openid, email.');
  });

  it('an account host that refuses connections stops the probe with the host and the fix', async () => {
    const port = await closedPort();
    const failure = await probeAccountHosts('1234567', { baseUrl: `http://127.0.0.1:${port}`, dangerouslyAllowInsecureHttp: true }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TransportError);
    expect((failure as TransportError).message).toBe(`Cannot reach 1234567.app.localhost:${port} (ECONNREFUSED); onboarding stopped before waiting for anyone.`);
    expect((failure as TransportError).remedy).toMatch(/Start the emulator/);
  });

  it('an unknown host name points at the account ID', async () => {
    const notFound = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) });
    const failure = await probeAccountHosts('1234567', {}, { fetch: async () => { throw notFound; } }).catch((e: unknown) => e);
    expect((failure as TransportError).message).toBe('Cannot reach 1234567.app.netsuite.com (ENOTFOUND); onboarding stopped before waiting for anyone.');
    expect((failure as TransportError).remedy).toMatch(/--account 1234567.*Account ID/);
  });

  it('any HTTP answer counts as reachable, and each distinct host is asked once', async () => {
    const asked: string[] = [];
    await probeAccountHosts('1234567', {}, { fetch: async (input) => { asked.push(String(input)); return new Response('', { status: 404 }); } });
    expect(asked).toEqual(['https://1234567.app.netsuite.com/', 'https://1234567.suitetalk.api.netsuite.com/', 'https://1234567.restlets.api.netsuite.com/']);
  });

  it('`suitebridge onboard` against a stopped emulator exits 5 at once, having created no store', async () => {
    const port = await closedPort();
    const run = await runCli(['onboard', '--account', '1234567', '--client-id', 'a'.repeat(64), '--cc-client-id', 'b'.repeat(64),
      '--base-url', `http://127.0.0.1:${port}`, '--dangerously-allow-insecure-http', '--no-open', '--store', `/nonexistent-dir-${port}/tokens.db`]);
    expect(run.stderr).toContain(`Cannot reach 1234567.app.localhost:${port} (ECONNREFUSED)`);
    expect(run.code).toBe(5);
  });

  it('`suitebridge onboard --scopes restlets,rest_webservice` exits 2 naming the unknown scope', async () => {
    const run = await runCli(['onboard', '--account', '1234567', '--client-id', 'a'.repeat(64), '--cc-client-id', 'b'.repeat(64), '--scopes', 'restlets,rest_webservice', '--no-open']);
    expect(run.stderr).toContain('Unknown scope rest_webservice:');
    expect(run.code).toBe(2);
  });
});
