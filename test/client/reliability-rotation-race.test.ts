import { ManualClock } from '../../client/src/clock';
import { OnboardingOrchestrator, type TenantSettings } from '../../client/src/onboarding';
import { RECORD_PREFIX, type KeyValueStore } from '../../client/src/onboarding/repository';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { FakeNetSuite } from './onboardingFakes';

const TENANT = '1234567';
const SETTINGS: TenantSettings = { accountId: TENANT, authClient: { clientId: 'a'.repeat(64) }, ccClient: { clientId: 'c'.repeat(64) }, redirectUri: 'https://127.0.0.1:8899/callback' };

/** Records every version of the tenant record, so a test can replay what a slower process had read. */
class HistoryStore implements KeyValueStore {
  readonly versions: Array<{ value: string; version: number }> = [];
  /** The next read of the tenant record returns this (a process that loaded it earlier), then reads are live. */
  staleOnce: { value: string; version: number } | undefined;
  constructor(private readonly inner = new MemoryTokenStore()) {}
  async get(key: string) {
    if (key === RECORD_PREFIX + TENANT && this.staleOnce) {
      const stale = this.staleOnce;
      this.staleOnce = undefined;
      return stale;
    }
    return this.inner.get(key);
  }
  async compareAndSwap(key: string, expected: number | null, value: string) {
    const ok = await this.inner.compareAndSwap(key, expected, value);
    if (ok && key === RECORD_PREFIX + TENANT) this.versions.push((await this.inner.get(key))!);
    return ok;
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

async function completedTenant() {
  const clock = new ManualClock();
  const store = new HistoryStore();
  const fake = new FakeNetSuite(clock);
  fake.bundleInstalled = true;
  const orchestrator = () =>
    new OnboardingOrchestrator({ store, clock, services: (s) => fake.services(s), onCheckpoint: () => undefined, certificateActivation: { attempts: 1, delayMs: 0, sleep: async () => undefined } });
  const first = orchestrator();
  await first.begin(SETTINGS);
  let view = await first.advance(TENANT);
  for (let round = 0; view.status !== 'completed' && round < 10; round++) {
    view = view.status === 'waiting_for_authorization'
      ? await first.submitCallback(fake.consent(await first.authorizationUrl(TENANT), SETTINGS.redirectUri!))
      : await first.advance(TENANT);
  }
  expect(view.status).toBe('completed');
  return { store, orchestrator, original: view.certificate!.certificateId! };
}

describe('two `cert rotate` runs racing on one tenant (issue 9 §7)', () => {
  it('the loser whose certificate the winner revoked is told another rotation replaced it (not nine invalid_grant causes)', async () => {
    const { store, orchestrator, original } = await completedTenant();
    const before = store.versions.length;
    const winner = await orchestrator().rotateCertificate(TENANT);
    // What the loser had read: the record right after the winner persisted its new key, old certificate still current.
    const keyGenerated = store.versions.slice(before).find((v) => JSON.parse(v.value).rotation && !JSON.parse(v.value).rotation.certificateId);
    expect(keyGenerated).toBeDefined();
    store.staleOnce = keyGenerated;
    const err = await orchestrator().rotateCertificate(TENANT).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ONBOARDING_FAILED' });
    const message = (err as Error).message;
    expect(message).toContain(`Another rotation replaced the certificate of tenant "${TENANT}"`);
    expect(message).toContain(`${original} is now ${winner.certificate!.certificateId}`);
    expect(message).not.toMatch(/Likely causes/);
    expect((err as { remedy: string }).remedy).toMatch(/Nothing to fix/);
  });

  it('the loser whose first write is refused is told the same, and changed nothing', async () => {
    const { store, orchestrator, original } = await completedTenant();
    const beforeRace = (await store.get(RECORD_PREFIX + TENANT))!;
    const winner = await orchestrator().rotateCertificate(TENANT);
    store.staleOnce = beforeRace;
    const versionsBefore = store.versions.length;
    const err = await orchestrator().rotateCertificate(TENANT).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`${original} is now ${winner.certificate!.certificateId}`);
    expect(store.versions.length).toBe(versionsBefore);
  });
});
