import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { startConsole, type ConsoleOptions } from '../../client/src/console';
import { hashOperatorPassword } from '../../client/src/console/operatorCredential';
import { ConfigurationError } from '../../client/src/errors';
import { generateLoopbackCertificate } from '../../client/src/tls/loopbackCertificate';
import { FakeBackend } from './consoleFakeBackend';

const onboarding = { authClientId: 'a'.repeat(64), ccClientId: 'c'.repeat(64) };
let operator: { passwordHash: string };

beforeAll(async () => {
  operator = { passwordHash: await hashOperatorPassword('operator password 1', { cost: 1024 }) };
});

interface PinnedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET over https that trusts exactly the certificate with this SHA-256 fingerprint (pinning, not "ignore errors"). */
function pinnedGet(url: string, fingerprint: string | undefined, headers: Record<string, string> = {}): Promise<PinnedResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'GET', headers, rejectUnauthorized: false }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate();
      if (!fingerprint || peer.fingerprint256 !== fingerprint) {
        res.destroy();
        reject(new Error(`certificate ${peer.fingerprint256} is not the pinned ${fingerprint}`));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startConsole', () => {
  it('serves https with a throwaway certificate, reports its fingerprint and an https redirect URI; stop() is idempotent', async () => {
    const running = await startConsole({ port: 0, backend: new FakeBackend(), onboarding, operator });
    try {
      expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(running.redirectUri).toBe(`${running.url}/callback`);
      expect(running.tls).toBe('throwaway');
      expect(running.certificateFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      const res = await pinnedGet(`${running.url}/`, running.certificateFingerprint);
      expect(res.status).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/^__Host-sbr_console_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
      const viaLocalhost = await pinnedGet(running.url.replace('127.0.0.1', 'localhost'), running.certificateFingerprint);
      expect(viaLocalhost.status).toBe(200);
      // Plain fetch refuses the throwaway certificate: nobody vouches for it.
      await expect(fetch(`${running.url}/`)).rejects.toThrow();
    } finally {
      await running.stop();
      await running.stop();
    }
    await expect(pinnedGet(`${running.url}/`, running.certificateFingerprint)).rejects.toThrow();
  });

  it('serves your own certificate under the public URL you give', async () => {
    const own = await generateLoopbackCertificate();
    const running = await startConsole({ port: 0, backend: new FakeBackend(), onboarding, operator, https: { key: own.key, cert: own.cert }, publicUrl: 'https://localhost:8443' });
    try {
      expect(running.tls).toBe('certificate');
      expect(running.certificateFingerprint).toBeUndefined();
      expect(running.redirectUri).toBe('https://localhost:8443/callback');
      const link = await running.createOnboardingLink('1234567');
      expect(link.url).toMatch(/^https:\/\/localhost:8443\/join\/[A-Za-z0-9_-]{43}$/);
    } finally {
      await running.stop();
    }
  });

  it('behind a TLS proxy serves plain http on loopback and answers only to the public host', async () => {
    const running = await startConsole({ port: 0, backend: new FakeBackend(), onboarding, operator, behindTlsProxy: true, publicUrl: 'https://console.example.com' });
    try {
      expect(running.tls).toBe('proxy');
      expect(running.url).toBe('https://console.example.com');
      expect(running.redirectUri).toBe('https://console.example.com/callback');
    } finally {
      await running.stop();
    }
  });

  it.each([
    [{ port: 70000 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ host: '0.0.0.0' }, 'host'],
    [{ backend: undefined }, 'store'],
    [{ backend: undefined, onboarding: { authClientId: '' }, storePath: '/tmp/never-created.db' }, 'onboarding.authClientId'],
    [{ backend: undefined, onboarding: { authClientId: 'a'.repeat(64) }, storePath: '/tmp/never-created.db' }, 'onboarding.ccClientId'],
    [{ onboarding: { ...onboarding, baseUrl: 'ftp://x' } }, 'onboarding.baseUrl'],
    [{ onboarding: { ...onboarding, baseUrl: 'http://127.0.0.1:4010' } }, 'onboarding.baseUrl'],
    [{ behindTlsProxy: true }, 'publicUrl'],
    [{ host: '0.0.0.0', https: { key: 'k', cert: 'c' } }, 'publicUrl'],
    [{ behindTlsProxy: true, publicUrl: 'http://console.example.com' }, 'publicUrl'],
    [{ publicUrl: 'https://console.example.com/path' }, 'publicUrl'],
    [{ operator: undefined }, 'operator'],
    [{ operator: {} }, 'operator'],
    [{ operator: { password: 'short' } }, 'operatorPassword'],
    [{ operator: { passwordHash: 'scrypt$3$8$1$AAAA$BBBB' } }, 'operatorPasswordHash'],
  ])('rejects bad options %j naming the field', async (bad, field) => {
    const options = { port: 0, backend: new FakeBackend(), onboarding, operator, ...bad } as ConsoleOptions;
    const attempt = startConsole(options);
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toMatchObject({ field, remedy: expect.any(String) });
  });

  it('names the port and the fix when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startConsole({ port, backend: new FakeBackend(), onboarding, operator })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        field: 'port',
        message: `Port ${port} on 127.0.0.1 is in use.`,
      });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('startConsole with a store path', () => {
  it('creates the store directory, keeps onboarding links there hashed, and answers operator pages only after sign-in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-console-store-'));
    const storePath = join(dir, 'nested', 'tokens.db');
    try {
      const running = await startConsole({ port: 0, storePath, storeSecretKey: Buffer.alloc(32, 7), onboarding, operator });
      const page = await pinnedGet(`${running.url}/tenants`, running.certificateFingerprint);
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/login');
      const link = await running.createOnboardingLink('1234567');
      const landing = await pinnedGet(link.url, running.certificateFingerprint);
      expect(landing.status).toBe(200);
      expect(landing.body).toContain('Opening your onboarding');
      await running.stop();
      expect(existsSync(storePath)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
