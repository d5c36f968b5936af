import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConsole } from '../../client/src/console';
import { ConfigurationError } from '../../client/src/errors';
import { FakeBackend } from './consoleFakeBackend';

const onboarding = { authClientId: 'a'.repeat(64) };

describe('startConsole', () => {
  it('serves on a loopback port and reports its redirect URI; stop() is idempotent', async () => {
    const running = await startConsole({ port: 0, backend: new FakeBackend(), onboarding });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.redirectUri).toBe(`${running.url}/callback`);
      const res = await fetch(`${running.url}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Connect your NetSuite account');
      const viaLocalhost = await fetch(running.url.replace('127.0.0.1', 'localhost'));
      expect(viaLocalhost.status).toBe(200);
    } finally {
      await running.stop();
      await running.stop();
    }
    await expect(fetch(`${running.url}/`)).rejects.toThrow();
  });

  it('refuses a JSON body on a form endpoint', async () => {
    const running = await startConsole({ port: 0, backend: new FakeBackend(), onboarding });
    try {
      const res = await fetch(`${running.url}/connect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"account":"1234567"}' });
      expect(res.status).toBe(415);
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
    [{ onboarding: { ...onboarding, baseUrl: 'ftp://x' } }, 'onboarding.baseUrl'],
    [{ onboarding: { ...onboarding, baseUrl: 'http://127.0.0.1:4010' } }, 'onboarding.baseUrl'],
  ])('rejects bad options %j naming the field', async (bad, field) => {
    const options = { port: 0, backend: new FakeBackend(), onboarding, ...bad } as Parameters<typeof startConsole>[0];
    const attempt = startConsole(options);
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toMatchObject({ field, remedy: expect.any(String) });
  });

  it('names the port and the fix when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startConsole({ port, backend: new FakeBackend(), onboarding })).rejects.toMatchObject({
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
  it('creates the store directory and opens the encrypted store there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-console-store-'));
    const storePath = join(dir, 'nested', 'tokens.db');
    try {
      const running = await startConsole({ port: 0, storePath, storeSecretKey: Buffer.alloc(32, 7), onboarding });
      const page = await fetch(`${running.url}/tenants`);
      expect(await page.text()).toContain('No tenant yet');
      await running.stop();
      expect(existsSync(storePath)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
