/** onboarding.completed / onboarding.failed from an orchestrator's events, with the tenant's account, no secrets. */
import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import type { OnboardingListener } from '../../client/src/onboarding/types';
import { ServiceEvents, type ServiceEvent } from '../../service/src/events';
import { bridgeOnboardingEvents } from '../../service/src/onboardingEvents';

function fakeOrchestrator(): { orchestrator: OnboardingOrchestrator; fire: OnboardingListener } {
  const listeners = new Set<OnboardingListener>();
  const orchestrator = {
    on: (l: OnboardingListener) => (listeners.add(l), () => listeners.delete(l)),
    get: async (tenant: string) => ({ tenant, accountId: '1234567' }),
  } as unknown as OnboardingOrchestrator;
  return { orchestrator, fire: (e) => listeners.forEach((l) => l(e)) };
}

describe('bridgeOnboardingEvents', () => {
  it('turns completion and a failed step into service events; other events and a detached bridge emit nothing', async () => {
    const { orchestrator, fire } = fakeOrchestrator();
    const events = new ServiceEvents(() => Date.parse('2027-01-01T00:00:00Z'));
    const seen: ServiceEvent[] = [];
    events.on('*', (e) => seen.push(e));
    const detach = bridgeOnboardingEvents(orchestrator, events);
    fire({ type: 'step', tenant: 'acme', step: 'bundle', status: 'done', at: '', summary: 'ok' });
    fire({ type: 'step', tenant: 'acme', step: 'certificate', status: 'failed', at: '', summary: 'x', error: { code: 'NETSUITE_ERROR', message: 'upload refused' } });
    fire({ type: 'completed', tenant: 'acme', at: '' });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([
      { type: 'onboarding.failed', timestamp: '2027-01-01T00:00:00.000Z', data: { tenant: 'acme', accountId: '1234567', step: 'certificate', code: 'NETSUITE_ERROR', message: 'upload refused' } },
      { type: 'onboarding.completed', timestamp: '2027-01-01T00:00:00.000Z', data: { tenant: 'acme', accountId: '1234567' } },
    ]);
    detach();
    fire({ type: 'completed', tenant: 'acme', at: '' });
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(2);
  });

  it('a throwing in-process listener does not stop the others', () => {
    const events = new ServiceEvents();
    const got: string[] = [];
    events.on('tenant.status_changed', () => {
      throw new Error('listener bug');
    });
    events.on('tenant.status_changed', (e) => got.push(e.data.newStatus));
    events.emit('tenant.status_changed', { tenant: 't', accountId: '1', oldStatus: 'healthy', newStatus: 'degraded', reason: 'r', since: '' });
    expect(got).toEqual(['degraded']);
  });
});
