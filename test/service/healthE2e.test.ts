/**
 * Health checks against the emulator: three onboarded tenants, every failure staged through the emulator's admin
 * API lands on its status with NetSuite's cause, and each tenant recovers to healthy by itself when the cause goes.
 */
import { MemoryTokenStore } from '../../client/src/store';
import { ServiceEvents, type ServiceEvent } from '../../service/src/events';
import { checkTenantHealth, type HealthCheckDeps } from '../../service/src/healthCheck';
import { EmulatorLoginAudit } from '../../service/src/loginAudit';
import { StatusStore } from '../../service/src/statusStore';
import { startFleet, type Fleet } from './support/fleet';
import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';

const HOUR = 3_600_000;

describe('health checks on the emulator', () => {
  let fleet: Fleet;
  let orchestrator: OnboardingOrchestrator;
  let deps: HealthCheckDeps;
  const changes: ServiceEvent<'tenant.status_changed'>[] = [];

  beforeAll(async () => {
    fleet = await startFleet();
    const store = new MemoryTokenStore();
    orchestrator = fleet.newOrchestrator(store);
    await fleet.onboard(orchestrator, 'acme', '1234567');
    await fleet.onboard(orchestrator, 'sandbox', '1234567_SB1');
    await fleet.onboard(orchestrator, 'globex', '7654321');
    const events = new ServiceEvents(fleet.now);
    events.on('tenant.status_changed', (e) => changes.push(e));
    deps = { orchestrator, statuses: new StatusStore(store), events, now: fleet.now, intervalMs: HOUR, audit: new EmulatorLoginAudit(fleet.emulator.url) };
  }, 120_000);
  afterAll(async () => fleet?.stop());

  const check = (tenant: string) => checkTenantHealth(deps, tenant);
  const lastChange = () => changes[changes.length - 1]?.data;

  it('onboarded tenants are healthy, with check times and the certificate expiry stored', async () => {
    for (const tenant of ['acme', 'sandbox', 'globex']) {
      const state = await check(tenant);
      const record = await orchestrator.credentials(tenant);
      expect(state).toMatchObject({ tenant, status: 'healthy', failures: 0, certificateExpiresAt: record.certificate?.notAfter });
      expect(Date.parse(state!.nextCheckAt) - Date.parse(state!.lastCheckAt)).toBe(HOUR);
      expect(await deps.statuses.get(tenant)).toEqual(state);
    }
    expect(changes).toHaveLength(0); // a first check that finds a tenant healthy is not a change
  }, 60_000);

  it('a revoked certificate is needs_certificate (CertificateRevoked), announced with old and new status', async () => {
    const certificateId = (await orchestrator.credentials('acme')).certificate?.certificateId as string;
    expect((await fleet.admin('POST', `/staging/certificates/${certificateId}/revoke`)).status).toBe(200);
    const state = await check('acme');
    expect(state).toMatchObject({ status: 'needs_certificate', cause: 'CertificateRevoked', failures: 1 });
    expect(state!.reason).toMatch(/revoked.*\(NetSuite: CertificateRevoked\)/);
    expect(lastChange()).toMatchObject({ tenant: 'acme', oldStatus: 'healthy', newStatus: 'needs_certificate', cause: 'CertificateRevoked' });
    const again = await check('acme');
    expect(again).toMatchObject({ status: 'needs_certificate', since: state!.since, failures: 2 });
    expect(changes).toHaveLength(1); // same status again: no new event
  }, 30_000);

  it('the role taken from the integration user is needs_reconsent, and given back it recovers by itself', async () => {
    const record = await orchestrator.credentials('globex');
    const entity = record.certificate?.entity as number;
    const role = record.bundle?.appRole?.internalId as number;
    await fleet.admin('POST', `/staging/accounts/7654321/employees/${entity}/roles/${role}`, { assigned: false });
    expect(await check('globex')).toMatchObject({ status: 'needs_reconsent', cause: 'EntityOrRoleDisabled' });
    await fleet.admin('POST', `/staging/accounts/7654321/employees/${entity}/roles/${role}`, { assigned: true });
    expect(await check('globex')).toMatchObject({ status: 'healthy', failures: 0 });
    expect(lastChange()).toMatchObject({ tenant: 'globex', oldStatus: 'needs_reconsent', newStatus: 'healthy' });
  }, 30_000);

  it('a disabled integration user is needs_reconsent until enabled again', async () => {
    const entity = (await orchestrator.credentials('globex')).certificate?.entity as number;
    await fleet.admin('POST', `/staging/accounts/7654321/employees/${entity}/inactive`, { inactive: true });
    const state = await check('globex');
    expect(state).toMatchObject({ status: 'needs_reconsent', cause: 'EntityOrRoleDisabled' });
    expect(state!.reason).toMatch(/inactive/);
    await fleet.admin('POST', `/staging/accounts/7654321/employees/${entity}/inactive`, { inactive: false });
    expect((await check('globex'))!.status).toBe('healthy');
  }, 30_000);

  it('NetSuite over its limit is degraded, and healthy again once it answers', async () => {
    await fleet.admin('POST', '/staging/clock/advance-days', { days: 0 }); // no-op, proves the route answers
    const put = await fetch(`${fleet.emulator.url}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenEndpoint503: 50 }) });
    expect(put.status).toBe(200);
    const state = await check('acme-unused').catch(() => undefined);
    expect(state).toBeUndefined(); // unknown tenants are refused, not invented
    const degraded = await check('globex');
    expect(degraded).toMatchObject({ status: 'degraded' });
    expect(degraded!.reason).toMatch(/unavailable or over its limit \(HTTP 503\)/);
    await fetch(`${fleet.emulator.url}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenEndpoint503: 0 }) });
    expect((await check('globex'))!.status).toBe('healthy');
  }, 60_000);

  it('an uninstalled bundle is needs_reconsent', async () => {
    expect((await fleet.admin('DELETE', '/bundles/7654321/512345')).status).toBe(200);
    const state = await check('globex');
    expect(state).toMatchObject({ status: 'needs_reconsent', cause: 'EntityOrRoleDisabled' });
  }, 30_000);

  it('a sandbox refresh is detected as such (mapping gone from a sandbox: needs_certificate, sandboxRefresh)', async () => {
    const refreshed = await fleet.admin('POST', '/staging/accounts/1234567_SB1/sandbox-refresh');
    expect(refreshed.body).toMatchObject({ accountId: '1234567_SB1', wiped: { certificateMappings: 1 } });
    const state = await check('sandbox');
    expect(state).toMatchObject({ status: 'needs_certificate', cause: 'InvalidCertificateId', sandboxRefresh: true });
    expect(state!.reason).toMatch(/sandbox refresh/);
    expect(lastChange()).toMatchObject({ tenant: 'sandbox', newStatus: 'needs_certificate', sandboxRefresh: true });
  }, 30_000);

  it('staging refuses what NetSuite could not do, with a clear error', async () => {
    expect(await fleet.admin('POST', '/staging/accounts/1234567/sandbox-refresh')).toMatchObject({ status: 400, body: { error: { code: 'NOT_A_SANDBOX' } } });
    expect(await fleet.admin('POST', '/staging/certificates/nope/revoke')).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_CERTIFICATE' } } });
    expect(await fleet.admin('POST', '/staging/accounts/1234567/employees/7/inactive', {})).toMatchObject({ status: 400, body: { error: { code: 'INVALID_REQUEST' } } });
    const before = fleet.now();
    const moved = await fleet.admin('POST', '/staging/clock/advance-days', { days: 2 });
    expect(moved.status).toBe(200);
    expect(fleet.now() - before).toBeGreaterThanOrEqual(2 * 86_400_000);
  });
});
