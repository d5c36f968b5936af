/**
 * A rotation that cannot happen (the integration record is at its active-certificate limit): the old certificate
 * stays in use, the tenant goes degraded with the reason, certificate.rotation_failed is emitted per attempt and the
 * job is retried with backoff until its attempts run out.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { MemoryTokenStore } from '../../client/src/store';
import type { ServiceEvent } from '../../service/src/events';
import { SuiteBridgeService } from '../../service/src/service';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';

describe('a failing scheduled rotation', () => {
  let fleet: Fleet;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let service: SuiteBridgeService;
  const store = new MemoryTokenStore();

  beforeAll(async () => {
    [fleet, redis] = await Promise.all([startFleet({ activeCertificatesPerIntegration: 1 }), startRedis()]);
    await fleet.onboard(fleet.newOrchestrator(store), 'acme', '1234567');
  }, 120_000);
  afterAll(async () => {
    await service?.stop();
    await Promise.all([fleet?.stop(), redis?.destroy()]);
  });

  it('keeps the old certificate, raises the status, announces each attempt and retries with backoff', async () => {
    service = new SuiteBridgeService({
      store,
      redis: redis.redis.url,
      queueName: `rotfail-${randomBytes(4).toString('hex')}`,
      now: fleet.now,
      orchestrator: ({ fetch, now }) => new OnboardingOrchestrator({ store, clock: { now }, fetch, certificateActivation: { attempts: 1, delayMs: 0 } }),
      rotationAttempts: 3,
      rotationBackoffMs: 10,
      logger: pino({ level: 'silent' }),
    });
    const failures: ServiceEvent<'certificate.rotation_failed'>[] = [];
    service.events.on('certificate.rotation_failed', (e) => failures.push(e));
    await fleet.admin('POST', '/staging/clock/advance-days', { days: 725 }); // 5 days left: due whatever the jitter
    const certificateId = (await service.orchestrator.credentials('acme')).certificate?.certificateId;
    await service.start();
    await service.whenIdle();

    expect(failures.map((f) => [f.data.attempt, f.data.willRetry])).toEqual([[1, true], [2, true], [3, false]]);
    expect(failures[0]?.data).toMatchObject({ tenant: 'acme', certificateId, code: 'NETSUITE_ERROR' });
    expect(failures[0]?.data.message).toMatch(/active certificates \(limit 1\)/);
    const state = await service.statuses.get('acme');
    expect(state).toMatchObject({ status: 'degraded' });
    expect(state?.reason).toMatch(/Certificate rotation failed \(attempt 3, the last\); the current certificate still works for [45] days: .*active certificates \(limit 1\)/);
    expect((await service.orchestrator.credentials('acme')).certificate?.certificateId).toBe(certificateId);
    const metrics = await service.metrics.registry.getSingleMetricAsString('suitebridge_jobs_total');
    expect(metrics).toContain('suitebridge_jobs_total{type="tenant",outcome="retried"} 2');
    expect(metrics).toContain('suitebridge_jobs_total{type="tenant",outcome="failed"} 1');
  }, 60_000);
});
