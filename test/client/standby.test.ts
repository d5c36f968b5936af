/**
 * The standby certificate (issue 11, repair without the customer) on the fake NetSuite: added with the primary's M2M
 * token, renewed on request, resumed after a crash without a second upload, failures kept once per reason, and
 * promoted to primary only while NetSuite accepts it.
 */
import { ManualClock } from '../../client/src/clock';
import { OnboardingOrchestrator, type OnboardingServices, type TenantView } from '../../client/src/onboarding';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { Crash, CrashableStore, FakeNetSuite, readRecord } from './onboardingFakes';

const TENANT = '1234567';

function setup(o: { store?: CrashableStore; fake?: FakeNetSuite; clock?: ManualClock; afterUpload?: () => void } = {}) {
  const clock = o.clock ?? new ManualClock();
  const store = o.store ?? new CrashableStore(new MemoryTokenStore());
  const fake = o.fake ?? new FakeNetSuite(clock);
  const services = (s: Parameters<FakeNetSuite['services']>[0]): OnboardingServices => {
    const real = fake.services(s);
    return {
      ...real,
      certificates: (token) => {
        const api = real.certificates(token);
        return { ...api, upload: async (u) => { const r = await api.upload(u); o.afterUpload?.(); return r; } };
      },
    };
  };
  const orchestrator = new OnboardingOrchestrator({ store, clock, services, onCheckpoint: () => undefined, certificateActivation: { attempts: 1, delayMs: 0, sleep: async () => undefined } });
  return { clock, store, fake, orchestrator };
}

async function onboard(orchestrator: OnboardingOrchestrator, fake: FakeNetSuite): Promise<TenantView> {
  await orchestrator.begin({ accountId: TENANT, authClient: { clientId: 'a'.repeat(64) }, ccClient: { clientId: 'c'.repeat(64) }, redirectUri: 'https://127.0.0.1:8899/callback' });
  let view = await orchestrator.advance(TENANT);
  for (let round = 0; round < 10 && view.status !== 'completed'; round++) {
    if (view.status === 'waiting_for_authorization') view = await orchestrator.submitCallback(fake.consent(await orchestrator.authorizationUrl(TENANT), view.settings.redirectUri));
    else if (view.status === 'waiting_for_bundle') {
      fake.bundleInstalled = true;
      view = await orchestrator.recheckBundle(TENANT);
    } else view = await orchestrator.advance(TENANT);
  }
  expect(view.status).toBe('completed');
  return view;
}

describe('standby certificate', () => {
  it('is added with the primary\'s token, then left alone until renewal is due; a renewal revokes the one it replaces', async () => {
    const { orchestrator, fake, store } = setup();
    await onboard(orchestrator, fake);
    const uploads = fake.counters.uploads;
    const added = await orchestrator.ensureStandby(TENANT);
    expect(added).toMatchObject({ changed: 'added', certificateId: expect.any(String) });
    expect(fake.counters.uploads).toBe(uploads + 1);
    const record = await readRecord(store, TENANT);
    expect(record.standby?.current).toMatchObject({ certificateId: added.certificateId, verifiedAt: expect.any(String), entity: 7, role: 1001 });
    expect(record.standby?.current?.certificateId).not.toBe(record.certificate?.certificateId);

    expect(await orchestrator.ensureStandby(TENANT, { renewDue: () => false })).toEqual({ certificateId: added.certificateId, notAfter: added.notAfter });
    expect(fake.counters.uploads).toBe(uploads + 1);

    const renewed = await orchestrator.ensureStandby(TENANT, { renewDue: () => true });
    expect(renewed.changed).toBe('renewed');
    expect(renewed.certificateId).not.toBe(added.certificateId);
    expect(fake.certificates.find((c) => c.certificateId === added.certificateId)?.revoked).toBe(true);
    expect((await readRecord(store, TENANT)).standby?.previous).toEqual([{ certificateId: added.certificateId, revokedAt: expect.any(String) }]);
    expect(fake.certificates.filter((c) => !c.revoked)).toHaveLength(2);
  });

  it('a standby revoked at NetSuite is found by the periodic check and replaced; within the period it is not looked up', async () => {
    const { orchestrator, fake, store, clock } = setup();
    await onboard(orchestrator, fake);
    const first = await orchestrator.ensureStandby(TENANT, { checkEveryMs: 86_400_000 });
    fake.certificates.find((c) => c.certificateId === first.certificateId)!.revoked = true;
    clock.advance(3_600_000);
    expect(await orchestrator.ensureStandby(TENANT, { checkEveryMs: 86_400_000 })).toEqual({ certificateId: first.certificateId, notAfter: first.notAfter });
    clock.advance(86_400_000);
    const second = await orchestrator.ensureStandby(TENANT, { checkEveryMs: 86_400_000 });
    expect(second).toMatchObject({ changed: 'added' });
    expect(second.certificateId).not.toBe(first.certificateId);
    const record = await readRecord(store, TENANT);
    expect(record.standby?.previous).toEqual([{ certificateId: first.certificateId, revokedAt: expect.any(String) }]);
    expect(record.audit.map((a) => a.action)).toContain('standby-lost');
  });

  it('a crash between upload and recording: the next run adopts the uploaded certificate instead of uploading again', async () => {
    const clock = new ManualClock();
    const fake = new FakeNetSuite(clock);
    const inner = new MemoryTokenStore();
    const first = setup({ clock, fake, store: new CrashableStore(inner) });
    await onboard(first.orchestrator, fake);
    first.store.dead = false;
    const crashing = setup({ clock, fake, store: new CrashableStore(inner), afterUpload: () => void (crashing.store.dead = true) });
    await expect(crashing.orchestrator.ensureStandby(TENANT)).rejects.toBeInstanceOf(Crash);
    const uploads = fake.counters.uploads;
    const restarted = setup({ clock, fake, store: new CrashableStore(inner) });
    const standby = await restarted.orchestrator.ensureStandby(TENANT);
    expect(fake.counters.uploads).toBe(uploads);
    const record = await readRecord(inner, TENANT);
    expect(record.standby?.current).toMatchObject({ certificateId: standby.certificateId, adopted: true });
    expect(record.audit.map((a) => a.action)).toContain('standby-certificate-adopted');
  });

  it('a refused upload is thrown and kept on the record, audited once per reason', async () => {
    const { orchestrator, fake, store } = setup();
    await onboard(orchestrator, fake);
    fake.roles.get(7)?.delete(1001); // the fake refuses an upload for an entity without the role
    await expect(orchestrator.ensureStandby(TENANT)).rejects.toThrow(/entity lacks role/);
    await expect(orchestrator.ensureStandby(TENANT)).rejects.toThrow(/entity lacks role/);
    const record = await readRecord(store, TENANT);
    expect(record.standby?.problem).toMatchObject({ message: expect.stringMatching(/entity lacks role/) });
    expect(record.audit.filter((a) => a.action === 'standby-failed')).toHaveLength(1);
    fake.roles.get(7)?.add(1001);
    await orchestrator.ensureStandby(TENANT);
    expect((await readRecord(store, TENANT)).standby?.problem).toBeUndefined();
  });

  it('promotion: the standby becomes the primary while NetSuite accepts it; refused too, nothing changes', async () => {
    const { orchestrator, fake, store } = setup();
    await onboard(orchestrator, fake);
    expect(await orchestrator.promoteStandby(TENANT)).toEqual({ promoted: false, why: 'the tenant has no verified standby certificate' });
    const standby = await orchestrator.ensureStandby(TENANT);
    const primary = (await readRecord(store, TENANT)).certificate?.certificateId as string;
    fake.certificates.find((c) => c.certificateId === primary)!.revoked = true;

    expect(await orchestrator.promoteStandby(TENANT)).toEqual({ promoted: true, from: primary, to: standby.certificateId, revokedOld: false });
    const record = await readRecord(store, TENANT);
    expect(record.certificate).toMatchObject({ certificateId: standby.certificateId, previous: [{ certificateId: primary, revokedAt: expect.any(String) }] });
    expect(record.standby?.current).toBeUndefined();
    await expect(orchestrator.testConnection(TENANT)).resolves.toMatchObject({ roleId: 1001 });

    const next = await orchestrator.ensureStandby(TENANT);
    fake.certificates.find((c) => c.certificateId === next.certificateId)!.revoked = true;
    const before = await readRecord(store, TENANT);
    const refused = await orchestrator.promoteStandby(TENANT);
    expect(refused).toMatchObject({ promoted: false, why: expect.stringMatching(/refused the standby certificate .* too \(invalid_grant\)/) });
    expect(await readRecord(store, TENANT)).toEqual(before);
  });
});
