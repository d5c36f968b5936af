import { ManualClock } from '../../client/src/clock';
import { accountLimitFrom, usableLimit } from '../../client/src/http/accountLimit';
import { OnboardingOrchestrator, type TenantSettings, type TenantView } from '../../client/src/onboarding';
import type { GovernanceLimits } from '../../client/src/resources/governance';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { CrashableStore, FakeNetSuite, readRecord } from './onboardingFakes';

const settings = (): TenantSettings => ({
  accountId: '1234567', authClient: { clientId: 'a'.repeat(64) }, ccClient: { clientId: 'c'.repeat(64) }, redirectUri: 'https://127.0.0.1:8899/callback',
});

async function onboard(governance: (token: string) => Promise<GovernanceLimits>) {
  const clock = new ManualClock();
  const store = new CrashableStore(new MemoryTokenStore());
  const fake = new FakeNetSuite(clock);
  const tokensSeen: string[] = [];
  const orchestrator = new OnboardingOrchestrator({
    store, clock, onCheckpoint: () => undefined,
    services: (s) => ({
      ...fake.services(s),
      governanceLimits: async (token) => {
        tokensSeen.push(token);
        return governance(token);
      },
    }),
    certificateActivation: { attempts: 3, delayMs: 1, sleep: async () => undefined },
  });
  await orchestrator.begin(settings());
  let view: TenantView = await orchestrator.advance('1234567');
  for (let round = 0; round < 10 && view.status !== 'completed'; round++) {
    if (view.status === 'waiting_for_authorization') view = await orchestrator.submitCallback(fake.consent(await orchestrator.authorizationUrl('1234567'), view.settings.redirectUri));
    else if (view.status === 'waiting_for_bundle') {
      fake.bundleInstalled = true;
      view = await orchestrator.recheckBundle('1234567');
    } else view = await orchestrator.advance('1234567');
  }
  expect(view.status).toBe('completed');
  return { record: await readRecord(store, '1234567'), tokensSeen, fake };
}

describe('the account concurrency limit learned at onboarding', () => {
  it('reads governanceLimits with the administrator\'s temporary token and stores the unallocated limit with the tenant', async () => {
    const { record, tokensSeen, fake } = await onboard(async () => ({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 10, limitType: 'accountLimit' }));
    expect(record.concurrency).toMatchObject({ limit: 10, source: 'unallocated' });
    expect(tokensSeen).toHaveLength(1);
    // The administrator's token (from consent), not the app role's M2M token.
    expect((fake as unknown as { access: Map<string, { kind: string }> }).access.get(tokensSeen[0]!)?.kind).toBe('auth');
  });

  it('a refused governanceLimits does not fail onboarding: the record says why', async () => {
    const { record } = await onboard(async () => {
      throw new Error('HTTP 403 INSUFFICIENT_PERMISSION');
    });
    expect(record.concurrency).toMatchObject({ unavailable: expect.stringContaining('INSUFFICIENT_PERMISSION') });
  });

  it('picks the integration-specific limit when one is reserved, else the unallocated one, else the account limit', () => {
    const at = '2026-11-29T00:00:00.000Z';
    expect(accountLimitFrom({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 5, integrationConcurrencyLimit: 8, limitType: 'integrationSpecific' }, at)).toEqual({ limit: 8, source: 'integration', at });
    expect(accountLimitFrom({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: 0, limitType: 'accountLimit' }, at)).toEqual({ limit: 1, source: 'unallocated', at });
    expect(accountLimitFrom({ accountConcurrencyLimit: 15, unallocatedConcurrencyLimit: undefined, limitType: undefined }, at)).toEqual({ limit: 15, source: 'account', at });
    // The share kept free applies to a shared limit only: a reserved one is entirely ours.
    expect(usableLimit({ limit: 10, source: 'unallocated' }, 0.2)).toBe(8);
    expect(usableLimit({ limit: 8, source: 'integration' }, 0.2)).toBe(8);
  });
});
