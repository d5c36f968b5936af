import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, SuiteBridgeError, TransportError } from '../../client/src';
import { runDemo } from '../../client/src/onboarding/demo';

/** `suitebridge demo --emulator-url <url>`: a wrong URL names the flag and the fix instead of "Invalid URL" / "fetch failed". */
const demo = (emulatorUrl: string) => runDemo({ mode: 'plain', write: () => undefined, emulatorUrl }).catch((err: unknown) => err);

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('audit: demo options', () => {
  it.each([
    ['--account', { accountId: 'acme' }, 'INVALID_ACCOUNT_ID'],
    ['--tenant', { tenant: 'no spaces allowed' }, 'INVALID_ARGUMENT'],
  ])('a bad %s is a usage error before any emulator starts', async (_flag, extra, code) => {
    const err = await runDemo({ mode: 'plain', write: () => undefined, emulatorUrl: 'not a url', ...extra }).catch((e: unknown) => e);
    // Checked before --emulator-url is even looked at.
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).code).toBe(code);
  });
});

describe('audit: demo --emulator-url', () => {
  it('rejects a value that is not a URL', async () => {
    const err = await demo('not a url');
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).field).toBe('--emulator-url');
    expect((err as ConfigurationError).remedy).toEqual(expect.any(String));
  });

  it('says when nothing listens there', async () => {
    const server = createServer();
    const url = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await demo(url);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).message).toContain('--emulator-url');
    expect((err as TransportError).remedy).toContain('suitebridge emulator');
  });

  it('says when the server there is not an emulator', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end('nope'));
    const url = await listen(server);
    try {
      const err = await demo(url);
      expect(err).toBeInstanceOf(SuiteBridgeError);
      expect((err as SuiteBridgeError).message).toContain('HTTP 404');
      expect((err as SuiteBridgeError).remedy).toEqual(expect.any(String));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
