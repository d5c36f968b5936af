/**
 * The service's CLI: `serve` (jobs + /healthz /readyz /metrics on a real port), `cert list --tenant`,
 * `cert revoke` (refuses the certificate in use without --force), `tenants repair` (consent link, then healthy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../../client/src/cli/commands/serve';
import { openStore } from '../../client/src/onboarding/cli/common';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';
import { runCli } from '../client/_cliCapture';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await runCli(args);
  return { code, out: stdout, err: stderr };
}

describe('suitebridge serve, tenants repair, cert list / revoke', () => {
  let fleet: Fleet;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let dir: string;
  let storePath: string;

  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startFleet(), startRedis()]);
    dir = mkdtempSync(join(tmpdir(), 'sbr-service-cli-'));
    storePath = join(dir, 'tokens.db');
    const store = openStore({ store: storePath }, { create: true });
    await fleet.onboard(fleet.newOrchestrator(store), 'acme', '1234567');
    await fleet.onboard(fleet.newOrchestrator(store), 'beta', '1234567');
    await store.close();
  }, 120_000);
  afterAll(async () => {
    await Promise.all([fleet?.stop(), redis?.destroy()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serve answers /healthz, /readyz and /metrics (statuses only behind /v1) after its first sweep, and stops cleanly', async () => {
    const running = await startServe({ store: storePath, redis: redis.redis.url, port: '0', host: '127.0.0.1', sweepEveryMinutes: '60', rotateBeforeDays: '30' });
    try {
      await running.service.whenIdle();
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${running.url}/readyz`)).json()).toEqual({ ready: true, redis: true, store: true });
      // Statuses are served only under /v1 behind an API key; the service knows them.
      expect((await fetch(`${running.url}/tenants`)).status).toBe(404);
      expect(await running.service.statuses.list()).toEqual([
        expect.objectContaining({ tenant: 'acme', status: 'healthy' }),
        expect.objectContaining({ tenant: 'beta', status: 'healthy' }),
      ]);
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      expect(metrics).toContain('suitebridge_tenants{status="healthy"} 2');
      // Per tenant: the health check, and the health call that verifies the standby certificate the first sweep adds.
      expect(metrics).toMatch(/suitebridge_netsuite_calls_total\{kind="restlet",status="200"\} 4\n/);
    } finally {
      await running.stop();
    }
  }, 60_000);

  it('serve without Redis is a usage error naming the fix', async () => {
    const result = await run(['serve', '--store', storePath]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/needs Redis[\s\S]*--redis redis:\/\//);
  });

  it('cert list shows the tenant\'s certificate; cert revoke refuses the one in use without --force', async () => {
    const listed = await run(['--json', 'cert', 'list', '--tenant', 'acme', '--store', storePath]);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.out) as Array<{ certificateId: string; revoked: boolean; inUse: boolean }>;
    expect(rows.filter((r) => r.inUse)).toEqual([expect.objectContaining({ revoked: false })]);
    expect(rows).toHaveLength(4); // beta's certificates are on the same integration record; each tenant has a standby
    expect(rows.filter((r) => (r as { standby?: boolean }).standby)).toEqual([expect.objectContaining({ revoked: false, inUse: false })]);
    const refused = await run(['cert', 'revoke', rows.find((r) => r.inUse)!.certificateId, '--tenant', 'acme', '--store', storePath]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/uses now[\s\S]*--force/);
  }, 30_000);

  it('tenants repair: a revoked certificate is repaired in place with the standby certificate, no consent link', async () => {
    const listed = JSON.parse((await run(['--json', 'cert', 'list', '--tenant', 'acme', '--store', storePath])).out) as Array<{ certificateId: string; inUse: boolean }>;
    const old = listed.find((c) => c.inUse)!.certificateId;
    const revoked = await run(['cert', 'revoke', old, '--tenant', 'acme', '--force', '--store', storePath]);
    expect(revoked).toMatchObject({ code: 0, out: `Revoked certificate ${old}.\n` });
    const first = await run(['tenants', 'repair', 'acme', '--store', storePath]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Repaired: healthy[\s\S]*Repaired in place, no customer action: standby certificate/);
    expect(first.out).not.toMatch(/authorize\.nl/);
    const second = await run(['--json', 'tenants', 'repair', 'acme', '--store', storePath]);
    expect(JSON.parse(second.out)).toMatchObject({ outcome: 'healthy', state: { status: 'healthy' }, note: 'Nothing to repair: the health check passed.' });
    const after = JSON.parse((await run(['--json', 'cert', 'list', '--tenant', 'acme', '--store', storePath])).out) as Array<{ certificateId: string; revoked: boolean; inUse: boolean }>;
    expect(after).toEqual(expect.arrayContaining([expect.objectContaining({ certificateId: old, revoked: true, inUse: false }), expect.objectContaining({ revoked: false, inUse: true })]));
  }, 60_000);

  it('tenants remove revokes the certificate by default; when it cannot, it removes nothing and says why', async () => {
    const beta = JSON.parse((await run(['--json', 'tenants', 'show', 'beta', '--store', storePath])).out) as { certificate: { certificateId: string } };
    const removed = await run(['--json', 'tenants', 'remove', 'beta', '--store', storePath]);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.out)).toMatchObject({ removed: true, revokedCertificateId: beta.certificate.certificateId });

    const acme = JSON.parse((await run(['--json', 'tenants', 'show', 'acme', '--store', storePath])).out) as { certificate: { certificateId: string } };
    await fleet.admin('POST', `/staging/certificates/${acme.certificate.certificateId}/revoke`);
    const refused = await run(['tenants', 'remove', 'acme', '--store', storePath]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/"acme" was not removed: its certificate could not be revoked at NetSuite[\s\S]*--keep-certificate/);
    expect((await run(['--json', 'tenants', 'list', '--store', storePath])).out).toContain('"acme"');
    const kept = await run(['tenants', 'remove', 'acme', '--keep-certificate', '--store', storePath]);
    expect(kept.code).toBe(0);
    expect(JSON.parse((await run(['--json', 'tenants', 'list', '--store', storePath])).out)).toEqual([]);
    // The next sweep forgets the removed tenants' statuses.
    const running = await startServe({ store: storePath, redis: redis.redis.url, port: '0', host: '127.0.0.1', sweepEveryMinutes: '60', rotateBeforeDays: '30' });
    try {
      await running.service.sweepNow();
      await running.service.whenIdle();
      expect(await running.service.statuses.list()).toEqual([]);
      expect(await (await fetch(`${running.url}/metrics`)).text()).toContain('suitebridge_tenants{status="healthy"} 0');
    } finally {
      await running.stop();
    }
  }, 60_000);
});
