/**
 * `suitebridge serve` serves /v1 with keys made by `suitebridge api-keys create` on the same store: after the first
 * sweep the tenant is healthy through the API, and the Python example (a separate process) uses the proxy.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServe } from '../../client/src/cli/commands/serve';
import { main } from '../../client/src/cli/main';
import { openStore } from '../../client/src/onboarding/cli/common';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';

const run = promisify(execFile);

describe('suitebridge serve with the /v1 API', () => {
  let fleet: Fleet;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir: string;
  let storePath: string;

  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startFleet(), startRedis()]);
    dir = mkdtempSync(join(tmpdir(), 'sbr-api-serve-'));
    storePath = join(dir, 'tokens.db');
    const store = openStore({ store: storePath }, { create: true });
    await fleet.onboard(fleet.newOrchestrator(store), 'acme', '1234567');
    await store.close();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([fleet?.stop(), redis?.destroy()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a key from the CLI works against serve; the tenant is healthy after the first sweep; the example runs', async () => {
    let out = '';
    const so = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    try {
      expect(await main(['node', 'suitebridge', '--json', 'api-keys', 'create', '--name', 'py', '--scope', 'proxy', '--scope', 'tenants:read', '--store', storePath])).toBe(0);
    } finally {
      so.mockRestore();
    }
    const { key } = JSON.parse(out) as { key: string };
    const running = await startServe({ store: storePath, redis: redis.redis.url, port: '0', host: '127.0.0.1', sweepEveryMinutes: '60', rotateBeforeDays: '30' });
    try {
      await running.service.whenIdle();
      const page = await fetch(`${running.url}/v1/tenants?status=healthy`, { headers: { authorization: `Bearer ${key}` } });
      expect(page.status).toBe(200);
      expect(((await page.json()) as { items: { tenant: string; status: string }[] }).items.map((t) => [t.tenant, t.status])).toEqual([['acme', 'healthy']]);
      const env = { PATH: process.env.PATH, SUITEBRIDGE_URL: running.url, SUITEBRIDGE_API_KEY: key, SUITEBRIDGE_TENANT: 'acme' };
      const { stdout } = await run('python3', [join(__dirname, '..', '..', 'examples', 'api', 'proxy_example.py')], { env });
      expect(JSON.parse(stdout.split('\n')[0] as string)).toEqual({ step: 'tenant', status: 'healthy', accountId: '1234567' });
      expect(stdout).toContain('"roleScriptId": "customrole_sbr_integration"');
      expect((await fetch(`${running.url}/v1/tenants`)).status).toBe(401);
      const waited = await run('python3', [join(__dirname, '..', '..', 'examples', 'api', 'onboard_example.py'), 'wait-healthy'], { env: { ...env, WAIT_SECONDS: '0.05' } });
      expect(JSON.parse(waited.stdout)).toMatchObject({ tenant: 'acme', status: 'healthy' });
    } finally {
      await running.stop();
    }
  }, 60_000);
});
