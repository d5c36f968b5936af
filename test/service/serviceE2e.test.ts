/**
 * The service on BullMQ against the emulator with its clock moved forward (issue 11, "Done when"): three tenants;
 * one certificate nears expiry and is rotated with no call failing; one revoked → needs_certificate, a signed webhook
 * verified by a local receiver, repair → healthy and a second webhook; a bundle uninstalled → needs_reconsent; a
 * sandbox refresh detected as such. Also: /metrics after known traffic, /healthz, /readyz.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import { SCRIPTS } from '../../client/src/onboarding/services';
import { MemoryTokenStore } from '../../client/src/store';
import { buildServiceHttp } from '../../service/src/httpServer';
import { EmulatorLoginAudit } from '../../service/src/loginAudit';
import { SuiteBridgeService } from '../../service/src/service';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhookReceiver';

const DAY_SECONDS = 86_400;

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[3] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(m[4]);
  }
  return undefined;
}

describe('suitebridge service on the emulator', () => {
  let fleet: Fleet;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let receiver: WebhookReceiver;
  let service: SuiteBridgeService;
  const store = new MemoryTokenStore();
  const logLines: string[] = [];

  beforeAll(async () => {
    [fleet, redis, receiver] = await Promise.all([startFleet(), startRedis(), startWebhookReceiver()]);
    const onboarding = fleet.newOrchestrator(store);
    await fleet.onboard(onboarding, 'acme', '1234567');
    // acme was onboarded 400 days before the others: its certificate is the first to near expiry.
    await fleet.admin('POST', '/staging/clock/advance-days', { days: 400 });
    await fleet.onboard(onboarding, 'sandbox', '1234567_SB1');
    await fleet.onboard(onboarding, 'globex', '7654321');
    service = new SuiteBridgeService({
      store,
      redis: redis.redis.url,
      queueName: `e2e-${randomBytes(4).toString('hex')}`,
      now: fleet.now,
      orchestrator: ({ fetch, now }) => new OnboardingOrchestrator({ store, clock: { now }, fetch, certificateActivation: { attempts: 1, delayMs: 0 } }),
      sweepEveryMs: 3_600_000,
      webhooks: [{ url: receiver.url, secret: receiver.secret }],
      webhookBackoffMs: 20,
      rotationBackoffMs: 20,
      audit: new EmulatorLoginAudit(fleet.emulator.url),
      // This file covers repair through the customer's consent; standbyRepairE2e covers the standby certificate.
      standbyCertificate: false,
      logger: pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }),
    });
    await service.start(); // the job scheduler's first sweep runs at once
    await service.whenIdle();
  }, 180_000);
  afterAll(async () => {
    await service?.stop();
    await Promise.all([fleet?.stop(), redis?.destroy(), receiver?.close()]);
  });

  const sweep = async () => {
    await service.sweepNow();
    await service.whenIdle();
  };
  const status = async (tenant: string) => service.statuses.get(tenant);
  const webhooksOf = (type: string, tenant: string) => receiver.verified.filter((r) => r.event.type === type && (r.event.data as { tenant: string }).tenant === tenant);

  it('the first sweep finds three healthy tenants; /metrics counts exactly its traffic', async () => {
    for (const tenant of ['acme', 'sandbox', 'globex']) expect(await status(tenant)).toMatchObject({ tenant, status: 'healthy', reason: expect.any(String) });
    const http = buildServiceHttp(service);
    const metrics = (await http.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'suitebridge_jobs_total', { type: 'sweep', outcome: 'completed' })).toBe(1);
    expect(metricValue(metrics, 'suitebridge_jobs_total', { type: 'tenant', outcome: 'completed' })).toBe(3);
    // One freshly minted token and one health call per tenant.
    expect(metricValue(metrics, 'suitebridge_token_requests_total', { grant: 'client_credentials', outcome: 'ok' })).toBe(3);
    expect(metricValue(metrics, 'suitebridge_netsuite_calls_total', { kind: 'token', status: '200' })).toBe(3);
    expect(metricValue(metrics, 'suitebridge_netsuite_calls_total', { kind: 'restlet', status: '200' })).toBe(3);
    expect(metricValue(metrics, 'suitebridge_tenants', { status: 'healthy' })).toBe(3);
    expect(metricValue(metrics, 'suitebridge_tenants', { status: 'needs_certificate' })).toBe(0);
    // acme's certificate (730 days, 400 gone) is the nearest expiry.
    expect(Math.round(metricValue(metrics, 'suitebridge_certificate_expiry_days_min') ?? 0)).toBe(330);

    // One over-limit answer from the RESTlet: counted, retried by the client, the tenant stays healthy.
    await fetch(`${fleet.emulator.url}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ concurrencyRejects: 1 }) });
    await service.maintainNow('acme');
    await service.whenIdle();
    const after = (await http.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(after, 'suitebridge_over_limit_total', { kind: 'restlet' })).toBe(1);
    expect(metricValue(after, 'suitebridge_netsuite_calls_total', { kind: 'restlet', status: '200' })).toBe(4);
    expect((await status('acme'))?.status).toBe('healthy');

    expect((await http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.json()).toEqual({ ready: true, redis: true, store: true });
    await http.close();
  }, 60_000);

  it('a certificate near expiry is announced, then rotated by the service while calls keep succeeding', async () => {
    const before = (await service.orchestrator.credentials('acme')).certificate?.certificateId as string;
    await fleet.admin('POST', '/staging/clock/advance-days', { days: 300 }); // acme: 30 days left; others: 430
    const app = fleet.newOrchestrator(store);
    let calls = 0;
    const failures: string[] = [];
    let running = true;
    const traffic = (async () => {
      const connection = await app.connect('acme');
      while (running || (calls < 5 && failures.length < 5)) {
        try {
          await connection.restlet.get(SCRIPTS.health.script, SCRIPTS.health.deploy);
          calls++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    })();
    await sweep();
    running = false;
    await traffic;
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(5);
    const after = await service.orchestrator.credentials('acme');
    expect(after.certificate?.certificateId).not.toBe(before);
    expect(after.certificate?.previous).toEqual([expect.objectContaining({ certificateId: before, revokedAt: expect.any(String) })]);
    expect(await status('acme')).toMatchObject({ status: 'healthy', certificateExpiresAt: after.certificate?.notAfter });
    expect(webhooksOf('certificate.expiring', 'acme').map((r) => r.event.data)).toEqual([expect.objectContaining({ threshold: 30, certificateId: before })]);
    expect(webhooksOf('certificate.rotated', 'acme').map((r) => r.event.data)).toEqual([
      expect.objectContaining({ certificateId: after.certificate?.certificateId, previousCertificateId: before }),
    ]);
    for (const tenant of ['sandbox', 'globex']) {
      expect((await service.orchestrator.credentials(tenant)).certificate?.previous).toBeUndefined();
      expect(webhooksOf('certificate.rotated', tenant)).toHaveLength(0);
    }
  }, 60_000);

  it('a revoked certificate: needs_certificate and a signed webhook; repair with the customer\'s consent: healthy and a second webhook', async () => {
    const certificateId = (await service.orchestrator.credentials('globex')).certificate?.certificateId as string;
    await fleet.admin('POST', `/staging/certificates/${certificateId}/revoke`);
    await sweep();
    expect(await status('globex')).toMatchObject({ status: 'needs_certificate', cause: 'CertificateRevoked' });
    const first = webhooksOf('tenant.status_changed', 'globex');
    expect(first.map((r) => r.event.data)).toEqual([expect.objectContaining({ oldStatus: 'healthy', newStatus: 'needs_certificate', cause: 'CertificateRevoked' })]);
    expect(receiver.rejected).toEqual([]);

    const repair = await service.repair('globex');
    expect(repair).toMatchObject({ outcome: 'consent_needed', authorizationUrl: expect.stringContaining('authorize.nl') });
    await fleet.customerCompletes(service.orchestrator, 'globex');
    const done = await service.repair('globex');
    expect(done).toMatchObject({ outcome: 'healthy', state: { status: 'healthy' } });
    await service.whenIdle();
    const record = await service.orchestrator.credentials('globex');
    expect(record.certificate?.certificateId).not.toBe(certificateId);
    expect(record.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['created', 'repair-started', 'certificate-uploaded']));
    const second = webhooksOf('tenant.status_changed', 'globex');
    expect(second.map((r) => r.event.data)).toEqual([
      expect.objectContaining({ newStatus: 'needs_certificate' }),
      expect.objectContaining({ oldStatus: 'needs_certificate', newStatus: 'healthy' }),
    ]);
    expect(new Set(second.map((r) => r.id)).size).toBe(2);
  }, 90_000);

  it('an uninstalled bundle is needs_reconsent; a sandbox refresh is detected as such; both announced', async () => {
    await fleet.admin('DELETE', '/bundles/7654321/512345');
    await fleet.admin('POST', '/staging/accounts/1234567_SB1/sandbox-refresh');
    await sweep();
    expect(await status('globex')).toMatchObject({ status: 'needs_reconsent' });
    expect(await status('sandbox')).toMatchObject({ status: 'needs_certificate', sandboxRefresh: true, cause: 'InvalidCertificateId' });
    expect(webhooksOf('tenant.status_changed', 'sandbox').map((r) => r.event.data)).toEqual([
      expect.objectContaining({ oldStatus: 'healthy', newStatus: 'needs_certificate', sandboxRefresh: true }),
    ]);
    expect(webhooksOf('tenant.status_changed', 'globex').pop()?.event.data).toMatchObject({ newStatus: 'needs_reconsent' });
  }, 60_000);

  it('repair brings both back: the bundle reinstalled and consent given again; the sandbox re-consented after its refresh', async () => {
    for (const tenant of ['globex', 'sandbox']) {
      const old = (await service.orchestrator.credentials(tenant)).certificate?.certificateId;
      const first = await service.repair(tenant);
      expect(first.outcome).toBe('consent_needed');
      await fleet.customerCompletes(service.orchestrator, tenant); // consent, then (globex) the bundle install page
      const done = await service.repair(tenant);
      expect(done).toMatchObject({ outcome: 'healthy', state: { status: 'healthy' } });
      const record = await service.orchestrator.credentials(tenant);
      expect(record.certificate?.certificateId).not.toBe(old);
      // globex's old certificate was still active (only its role was gone): repair revoked it. The sandbox's was wiped.
      if (tenant === 'globex') expect(done).toMatchObject({ revokedOldCertificate: old });
      else expect(done).not.toHaveProperty('revokedOldCertificate');
    }
    await service.whenIdle();
    expect(webhooksOf('tenant.status_changed', 'sandbox').pop()?.event.data).toMatchObject({ oldStatus: 'needs_certificate', newStatus: 'healthy' });
    expect(webhooksOf('tenant.status_changed', 'globex').pop()?.event.data).toMatchObject({ oldStatus: 'needs_reconsent', newStatus: 'healthy' });
  }, 90_000);

  it('every delivery attempt is recorded; no payload or log line carries a token or key', async () => {
    const http = buildServiceHttp(service);
    // Without an API key nothing about tenants or deliveries is served outside /v1.
    for (const url of ['/tenants', '/webhooks/deliveries', '/v1/tenants']) expect((await http.inject({ method: 'GET', url })).statusCode).toBe(404);
    await http.close();
    const deliveries = await service.deliveries.list();
    expect(deliveries.length).toBe(receiver.verified.length);
    expect(deliveries.every((d) => d.delivered && d.attempts.length >= 1 && d.attempts[d.attempts.length - 1]?.status === 204)).toBe(true);
    const everything = JSON.stringify(receiver.verified) + logLines.join('\n');
    expect(everything).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}\.|whsec_/);
    // One JSON log line per job and per state change.
    const lines = logLines.map((l) => JSON.parse(l) as { msg: string; job?: string; event?: string });
    expect(lines.filter((l) => l.msg === 'job tenant completed').length).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.event === 'tenant.status_changed').length).toBe(receiver.verified.filter((r) => r.event.type === 'tenant.status_changed').length);
  });

  it('a failing endpoint is retried with backoff; each attempt is visible', async () => {
    receiver.failNext(2, 503);
    service.events.emit('onboarding.completed', { tenant: 'retry-probe', accountId: '1234567' });
    await service.whenIdle();
    expect(webhooksOf('onboarding.completed', 'retry-probe')).toHaveLength(1);
    const record = (await service.deliveries.list()).find((d) => d.tenant === 'retry-probe');
    expect(record?.attempts.map((a) => a.status)).toEqual([503, 503, 204]);
    expect(record?.delivered).toBe(true);
  });
});
