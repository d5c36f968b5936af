/**
 * The loopback callback server of `suitebridge onboard`: HTTPS with a throwaway certificate (NetSuite refuses http://
 * redirect URIs), reachable by a client that pins exactly that certificate, and deaf to stray requests.
 */
import { X509Certificate } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { ConfigurationError } from '../../client/src';
import { isServableRedirectUri, startCallbackServer, type CallbackServer } from '../../client/src/onboarding/callbackServer';
import { pinnedGet } from '../../client/src/onboarding/pinnedHttps';
import { generateLoopbackCertificate } from '../../client/src/tls/loopbackCertificate';

let server: CallbackServer;
let base: string;

beforeAll(async () => {
  server = await startCallbackServer('https://127.0.0.1:0/callback');
  base = `https://127.0.0.1:${server.port}`;
});

afterAll(() => server.close());

describe('callback server', () => {
  it('serves https with a certificate made for this run and reports its fingerprint, never its key', async () => {
    expect(server.redirectUri).toBe(`${base}/callback`);
    expect(server.certificate.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new X509Certificate(server.certificate.pem).fingerprint256).toBe(server.certificate.sha256Fingerprint);
    expect(JSON.stringify(server.certificate)).not.toMatch(/PRIVATE KEY/);
    const page = await pinnedGet(`${base}/callback?state=s-1&code=c`, server.certificate.pem);
    expect(page.status).toBe(200);
    await expect(server.next('s-1')).resolves.toBe(`${base}/callback?state=s-1&code=c`);
  });

  it('a client pinning another certificate refuses the connection', async () => {
    const other = await generateLoopbackCertificate();
    await expect(pinnedGet(`${base}/callback?state=x&code=y`, other.cert)).rejects.toThrow();
  });

  it('stray requests are answered and ignored; only the awaited state ends the wait', async () => {
    const before = server.ignored;
    const waiting = server.next('s-2');
    let settled = false;
    void waiting.then(() => (settled = true));
    const stray = [
      await pinnedGet(`${base}/callback`, server.certificate.pem),
      await pinnedGet(`${base}/callback?state=someone-else&code=zzz`, server.certificate.pem),
      await pinnedGet(`${base}/favicon.ico`, server.certificate.pem),
    ];
    expect(stray.map((r) => r.status)).toEqual([400, 400, 404]);
    // Plain http to the https port: the TLS layer drops it; the server keeps running.
    await new Promise<void>((resolve) => {
      const req = httpRequest(`http://127.0.0.1:${server.port}/callback?state=s-2&code=x`, () => resolve());
      req.on('error', () => resolve());
      req.end();
    });
    expect(settled).toBe(false);
    expect(server.ignored - before).toBe(3);
    const real = await pinnedGet(`${base}/callback?state=s-2&error=access_denied`, server.certificate.pem);
    expect(real.status).toBe(200);
    await expect(waiting).resolves.toContain('state=s-2&error=access_denied');
  });

  it('only loopback https redirect URIs are served', async () => {
    expect(isServableRedirectUri('https://127.0.0.1:8899/callback')).toBe(true);
    expect(isServableRedirectUri('https://localhost:8899/callback')).toBe(true);
    expect(isServableRedirectUri('http://127.0.0.1:8899/callback')).toBe(false);
    expect(isServableRedirectUri('https://app.example.com/callback')).toBe(false);
    expect(isServableRedirectUri('myapp://callback')).toBe(false);
    await expect(startCallbackServer('http://127.0.0.1:0/callback')).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('a busy port is a typed error naming the redirect URI flag', async () => {
    const err = await startCallbackServer(`https://127.0.0.1:${server.port}/callback`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigurationError);
    expect((err as ConfigurationError).field).toBe('--redirect-uri');
    expect((err as ConfigurationError).message).toMatch(/in use/);
  });
});
