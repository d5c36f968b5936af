/**
 * Repair without the customer (issue 11) on the emulator: the service keeps a standby certificate per tenant (a second
 * mapping for the same record, role and entity); a revoked primary is repaired in place with it, no consent link; an
 * expired primary too, because the standby is renewed at half its validity and so expires at another time; a sandbox
 * refresh wipes every mapping, standby included, so repair falls back to the customer's consent.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { MemoryTokenStore } from '../../client/src/store';
import { EmulatorLoginAudit } from '../../service/src/loginAudit';
import { SuiteBridgeService } from '../../service/src/service';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';

const DAY_SECONDS = 86_400;

describe('repair in place with a standby certificate', () => {
  let fleet: Fleet;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let service: SuiteBridgeService;
  const store = new MemoryTokenStore();

  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startFleet(), startRedis()]);
    const onboarding = fleet.newOrchestrator(store);
    await fleet.onboard(onboarding, 'acme', '1234567');
    await fleet.onboard(onboarding, 'sandbox', '1234567_SB1');
    await fleet.onboard(onboarding, 'globex', '7654321');
    service = new SuiteBridgeService({
      store,
      redis: redis.redis.url,
      queueName: `standby-${randomBytes(4).toString('hex')}`,
      now: fleet.now,
      orchestrator: ({ fetch, now, observer }) => new OnboardingOrchestrator({ store, clock: { now }, fetch, observer, certificateActivation: { attempts: 1, delayMs: 0 } }),
      rotationBackoffMs: 20,
      audit: new EmulatorLoginAudit(fleet.emulator.url),
      logger: pino({ level: 'silent' }),
    });
    await service.start();
    await service.whenIdle();
  }, 180_000);
  afterAll(async () => {
    await service?.stop();
    await Promise.all([fleet?.stop(), redis?.destroy()]);
  });

  const sweep = async () => {
    await service.sweepNow();
    await service.whenIdle();
  };
  const record = (tenant: string) => service.orchestrator.credentials(tenant);
  /** What the emulated NetSuite holds for the tenant's M2M record. */
  const mappings = async (tenant: string) => {
    const r = await record(tenant);
    return fleet.services.store.certificatesOf(r.settings.ccClient.clientId).map((c) => ({ id: c.certificate_id, revoked: c.revoked_at !== null, entity: c.entity, role: c.role }));
  };
  const authCodeExchanges = async (accountId: string) => {
    const audit = (await (await fetch(`${fleet.emulator.url}/__emulator/login-audit?account=${accountId}`)).json()) as { action: string; status: string }[];
    return audit.filter((e) => e.action.startsWith('token:authorization_code') || e.action.startsWith('token:refresh_token')).length;
  };

  it('the first sweep gives every tenant a verified standby: a second active mapping for the same role and entity', async () => {
    for (const tenant of ['acme', 'sandbox', 'globex']) {
      const r = await record(tenant);
      const standby = r.standby?.current;
      expect(standby).toMatchObject({ certificateId: expect.any(String), verifiedAt: expect.any(String) });
      expect(standby?.certificateId).not.toBe(r.certificate?.certificateId);
      expect(standby?.privateKeyPem).toContain('PRIVATE KEY');
      const active = (await mappings(tenant)).filter((m) => !m.revoked);
      expect(active.map((m) => m.id).sort()).toEqual([r.certificate?.certificateId, standby?.certificateId].sort());
      expect(new Set(active.map((m) => `${m.role};${m.entity}`)).size).toBe(1);
      expect((await service.statuses.get(tenant))?.status).toBe('healthy');
    }
    // A second sweep changes nothing: the standby is renewed only at half its validity.
    const before = (await record('acme')).standby?.current?.certificateId;
    await sweep();
    expect((await record('acme')).standby?.current?.certificateId).toBe(before);
    expect((await mappings('acme')).filter((m) => !m.revoked)).toHaveLength(2);
  }, 60_000);

  it('revoked primary: needs_certificate; repair promotes the standby, uploads a new one, healthy with no consent link and no customer action', async () => {
    const before = await record('acme');
    const primary = before.certificate?.certificateId as string;
    const standby = before.standby?.current?.certificateId as string;
    const exchangesBefore = await authCodeExchanges('1234567');
    expect((await fleet.admin('POST', `/staging/certificates/${primary}/revoke`)).status).toBe(200);
    await sweep();
    expect(await service.statuses.get('acme')).toMatchObject({ status: 'needs_certificate', cause: 'CertificateRevoked' });

    const result = await service.repair('acme');
    expect(result).toMatchObject({ outcome: 'healthy', state: { status: 'healthy' } });
    expect(result).not.toHaveProperty('authorizationUrl');
    expect((result as { note?: string }).note).toMatch(/no customer action/);

    const after = await record('acme');
    expect(after.certificate?.certificateId).toBe(standby);
    expect(after.certificate?.previous).toEqual([{ certificateId: primary, revokedAt: expect.any(String) }]);
    const fresh = after.standby?.current?.certificateId;
    expect(fresh).toEqual(expect.any(String));
    expect([primary, standby]).not.toContain(fresh);
    // Same tenant: ID, creation, settings, seeded configuration, completed steps; the audit log only grew.
    expect(after).toMatchObject({ tenant: 'acme', createdAt: before.createdAt, completedAt: before.completedAt, settings: before.settings, finalize: before.finalize });
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect(after.audit.slice(before.audit.length).map((a) => a.action)).toEqual(expect.arrayContaining(['standby-promoted', 'standby-key-generated', 'standby-certificate-uploaded', 'standby-verified']));
    expect(Object.values(after.steps).every((s) => s.status === 'done')).toBe(true);
    expect(after.authorization.tokens).toBeUndefined();
    expect(await authCodeExchanges('1234567')).toBe(exchangesBefore);
    // At NetSuite: the revoked primary, the promoted standby and the fresh standby; two active.
    const active = (await mappings('acme')).filter((m) => !m.revoked).map((m) => m.id).sort();
    expect(active).toEqual([standby, fresh].sort());
    expect(await service.statuses.get('acme')).toMatchObject({ status: 'healthy' });
    // The tenant keeps working with the promoted certificate.
    const connection = await service.orchestrator.connect('acme');
    await expect(connection.restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health')).resolves.toMatchObject({ roleScriptId: 'customrole_sbr_integration' });
  }, 90_000);

  it('sandbox refresh: every mapping is gone, the standby too; repair falls back to a consent link, and afterwards the tenant has a standby again', async () => {
    const before = await record('sandbox');
    await fleet.admin('POST', '/staging/accounts/1234567_SB1/sandbox-refresh');
    await sweep();
    expect(await service.statuses.get('sandbox')).toMatchObject({ status: 'needs_certificate', sandboxRefresh: true });
    const first = await service.repair('sandbox');
    expect(first).toMatchObject({ outcome: 'consent_needed', authorizationUrl: expect.stringContaining('authorize.nl') });
    expect((first as { why: string }).why).toMatch(/standby certificate .* too/);
    await fleet.customerCompletes(service.orchestrator, 'sandbox');
    const done = await service.repair('sandbox');
    expect(done).toMatchObject({ outcome: 'healthy', state: { status: 'healthy' } });
    const after = await record('sandbox');
    expect(after.createdAt).toBe(before.createdAt);
    expect(after.certificate?.certificateId).not.toBe(before.certificate?.certificateId);
    expect(after.standby?.current?.verifiedAt).toEqual(expect.any(String));
    expect((await mappings('sandbox')).filter((m) => !m.revoked).map((m) => m.id).sort()).toEqual([after.certificate?.certificateId, after.standby?.current?.certificateId].sort());
  }, 120_000);

  it('expired primary while the standby, renewed at half its validity, is still valid: repaired in place too', async () => {
    const onboarded = await record('globex');
    const firstStandby = onboarded.standby?.current?.certificateId as string;
    // 400 of 730 days: past the standby's half-life, 330 days before the primary is due for rotation.
    await fleet.admin('POST', '/staging/clock/advance-days', { days: 400 });
    await sweep();
    const renewed = await record('globex');
    expect(renewed.certificate?.certificateId).toBe(onboarded.certificate?.certificateId);
    const secondStandby = renewed.standby?.current?.certificateId as string;
    expect(secondStandby).not.toBe(firstStandby);
    expect(renewed.standby?.previous).toEqual([{ certificateId: firstStandby, revokedAt: expect.any(String) }]);
    expect(Date.parse(renewed.standby?.current?.notAfter as string)).toBeGreaterThan(Date.parse(renewed.certificate?.notAfter as string));

    // 740 days after onboarding: the primary expired (no sweep ran to rotate it); the standby has about a year left.
    fleet.services.clock.advanceSeconds(340 * DAY_SECONDS);
    expect(fleet.now()).toBeGreaterThan(Date.parse(renewed.certificate?.notAfter as string));
    await sweep();
    expect(await service.statuses.get('globex')).toMatchObject({ status: 'needs_certificate' });
    const result = await service.repair('globex');
    expect(result).toMatchObject({ outcome: 'healthy', state: { status: 'healthy' } });
    expect(result).not.toHaveProperty('authorizationUrl');
    const after = await record('globex');
    expect(after.certificate?.certificateId).toBe(secondStandby);
    expect(after.standby?.current?.certificateId).toEqual(expect.any(String));
    expect(after.standby?.current?.certificateId).not.toBe(secondStandby);
  }, 120_000);
});
