import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import type { ServiceEvents } from './events';

/**
 * onboarding.completed / onboarding.failed from an orchestrator's own events. Library users who onboard in their
 * own process call this with their orchestrator to get the same events (and, through a service, the webhooks).
 */
export function bridgeOnboardingEvents(orchestrator: OnboardingOrchestrator, events: ServiceEvents, track: (pending: Promise<unknown>) => void = () => undefined): () => void {
  const accountOf = async (tenant: string) => (await orchestrator.get(tenant).catch(() => undefined))?.accountId ?? '';
  return orchestrator.on((e) => {
    if (e.type === 'completed') {
      track(accountOf(e.tenant).then((accountId) => events.emit('onboarding.completed', { tenant: e.tenant, accountId })));
    } else if (e.type === 'step' && e.status === 'failed') {
      const error = e.error ?? { code: 'UNEXPECTED', message: e.summary };
      track(accountOf(e.tenant).then((accountId) => events.emit('onboarding.failed', { tenant: e.tenant, accountId, step: e.step, code: error.code, message: error.message })));
    }
  });
}
