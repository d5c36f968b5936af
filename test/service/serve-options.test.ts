/**
 * `suitebridge serve` (issue 12): HTTPS with --tls-cert/--tls-key (a self-signed certificate made in the test), and
 * the NetSuite proxy / API flags: each bounded, a bad one exits 2 before the store, Redis or a port is touched, and
 * good ones reach the running API.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { startServe, type ServeFlags } from '../../client/src/cli/commands/serve';
import { openStore } from '../../client/src/onboarding/cli/common';
import { generateLoopbackCertificate } from '../../client/src/tls/loopbackCertificate';
import { ApiKeyStore } from '../../service/src/api/apiKeys';
import { serveHttpOptions } from '../../service/src/serveOptions';
import { checkServiceTls } from '../../service/src/tls';
import { startRedis } from '../support/redis';
import { runCli } from '../client/_cliCapture';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCli(args);
  return { code, out: stdout, err: stderr };
}

describe('serve: HTTPS and proxy flags', () => {
  let dir: string;
  let certFile: string;
  let keyFile: string;
  let otherKeyFile: string;
  let cert: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-serve-options-'));
    const [mine, other] = await Promise.all([generateLoopbackCertificate(), generateLoopbackCertificate()]);
    cert = mine.cert;
    certFile = join(dir, 'cert.pem');
    keyFile = join(dir, 'key.pem');
    otherKeyFile = join(dir, 'other-key.pem');
    writeFileSync(certFile, mine.cert);
    writeFileSync(keyFile, mine.key, { mode: 0o600 });
    writeFileSync(otherKeyFile, other.key, { mode: 0o600 });
    writeFileSync(join(dir, 'garbage.pem'), 'not a certificate');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps the flags to the proxy and API options', () => {
    expect(serveHttpOptions({
      proxyAccountConcurrency: '8', proxyKeepFreePercent: '25', proxyMaxRetries: '0', proxyRetryBaseMs: '100', proxyRetryMaxDelayMs: '1000',
      proxyMaxRetryAfterSeconds: '30', proxyTimeoutSeconds: '45', proxyTenantCacheMs: '0', maxBodyBytes: '2048', rateLimitPerMinute: '60',
      baseUrl: 'http://127.0.0.1:9999', dangerouslyAllowInsecureHttp: true,
    })).toEqual({
      api: {
        proxy: { accountConcurrency: 8, keepFreeShare: 0.25, retry: { maxRetries: 0, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 30_000 }, timeoutMs: 45_000, tenantCacheMs: 0 },
        bodyLimitBytes: 2048,
        rateLimitPerMinute: 60,
        onboarding: { baseUrl: 'http://127.0.0.1:9999', dangerouslyAllowInsecureHttp: true },
      },
    });
    expect(serveHttpOptions({})).toEqual({ api: { proxy: {} } });
  });

  const storeArgs = () => ['--redis', 'redis://127.0.0.1:1', '--store', join(dir, 'never-created.db')];
  it.each([
    [['--proxy-account-concurrency', '0'], '--proxy-account-concurrency'],
    [['--proxy-account-concurrency', '1001'], '--proxy-account-concurrency'],
    [['--proxy-keep-free-percent', '91'], '--proxy-keep-free-percent'],
    [['--proxy-max-retries', '11'], '--proxy-max-retries'],
    [['--proxy-max-retries', '-1'], '--proxy-max-retries'],
    [['--proxy-retry-base-ms', 'soon'], '--proxy-retry-base-ms'],
    [['--proxy-retry-base-ms', '500', '--proxy-retry-max-delay-ms', '100'], '--proxy-retry-max-delay-ms'],
    [['--proxy-max-retry-after-seconds', '601'], '--proxy-max-retry-after-seconds'],
    [['--proxy-timeout-seconds', '1.5'], '--proxy-timeout-seconds'],
    [['--proxy-tenant-cache-ms', '300001'], '--proxy-tenant-cache-ms'],
    [['--max-body-bytes', '10'], '--max-body-bytes'],
    [['--rate-limit-per-minute', '0'], '--rate-limit-per-minute'],
    [['--base-url', 'http://netsuite.example.com'], '--base-url'],
    [['--dangerously-allow-insecure-http'], '--dangerously-allow-insecure-http'],
    [['--tls-cert', '@cert'], '--tls-key'],
    [['--tls-key', '@key'], '--tls-cert'],
    [['--tls-cert', '@cert', '--tls-key', '@missing'], '--tls-key'],
    [['--tls-cert', '@garbage', '--tls-key', '@key'], '--tls-cert'],
    [['--tls-cert', '@cert', '--tls-key', '@otherKey'], '--tls-key'],
  ])('%j exits 2 naming %s, before the store or Redis is opened', async (args, flag) => {
    const files: Record<string, string> = { '@cert': certFile, '@key': keyFile, '@otherKey': otherKeyFile, '@garbage': join(dir, 'garbage.pem'), '@missing': join(dir, 'missing.pem') };
    const { code, err } = await run(['serve', ...storeArgs(), ...args.map((a) => files[a] ?? a)]);
    expect(code).toBe(2);
    expect(err).toContain(flag);
    // A missing store would be the error if the store had been opened first.
    expect(err).not.toMatch(/token store/i);
    expect(existsSync(join(dir, 'never-created.db'))).toBe(false);
    expect(err).not.toContain('PRIVATE KEY');
  });

  it('checkServiceTls (the library option) refuses a certificate outside its validity, and a key that is not PEM', () => {
    const key = readFileSync(keyFile, 'utf8');
    expect(checkServiceTls({ cert, key })).toEqual({ cert, key });
    expect(() => checkServiceTls({ cert, key }, undefined, new Date(Date.now() + 30 * 86_400_000))).toThrow(expect.objectContaining({ code: 'CERTIFICATE_ERROR', message: expect.stringContaining('not now') }));
    expect(() => checkServiceTls({ cert, key: 'x' })).toThrow(/not an unencrypted PEM private key/);
  });

  describe('running', () => {
    let redis: Awaited<ReturnType<typeof startRedis>>;
    let storePath: string;
    beforeAll(async () => {
      redis = await startRedis();
      storePath = join(dir, 'tokens.db');
      await openStore({ store: storePath }, { create: true }).close();
    }, 60_000);
    afterAll(async () => redis?.destroy());

    it('serves HTTPS with --tls-cert/--tls-key, and applies --max-body-bytes and --rate-limit-per-minute', async () => {
      const store = openStore({ store: storePath });
      const { key } = await new ApiKeyStore(store).create({ name: 'tls', scopes: ['proxy'] });
      await store.close();
      const flags: ServeFlags = {
        store: storePath, redis: redis.redis.url, port: '0', host: '127.0.0.1', sweepEveryMinutes: '60', rotateBeforeDays: '30',
        tlsCert: certFile, tlsKey: keyFile, maxBodyBytes: '2048', rateLimitPerMinute: '2',
      };
      const running = await startServe(flags);
      const trusting = new Agent({ connect: { ca: cert } });
      try {
        expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const health = await undiciFetch(`${running.url}/healthz`, { dispatcher: trusting });
        expect(health.status).toBe(200);
        // Only a client that trusts this certificate gets in; plain http on the same port gets no answer.
        await expect(undiciFetch(`${running.url}/healthz`)).rejects.toThrow();
        await expect(fetch(running.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
        const post = (bytes: number) => undiciFetch(`${running.url}/v1/tenants/acme/restlets/customscript_x/customdeploy_x`, {
          method: 'POST', dispatcher: trusting, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(bytes) }),
        });
        expect((await post(4096)).status).toBe(413);
        // Within the body limit: on to the tenant lookup (no such tenant). A 413 is refused before the rate limit counts.
        expect((await post(10)).status).toBe(404);
        expect((await post(10)).status).toBe(404);
        const third = await post(10);
        expect(third.status).toBe(429);
        expect(await third.json()).toMatchObject({ code: 'RATE_LIMITED', detail: expect.stringContaining('2 requests') });
      } finally {
        await trusting.close();
        await running.stop();
      }
    }, 60_000);
  });
});
