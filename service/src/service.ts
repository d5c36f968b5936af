import { Queue, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import type { KeyValueStore } from '../../client/src/onboarding/repository';
import type { ClientObserver } from '../../client/src/http/observer';
import { ConfigurationError } from '../../client/src/errors';
import { redact } from '../../client/src/redact';
import { RedisAccountSemaphores, type ConcurrencySlots } from '../../client/src/http/accountSemaphore';
import { AccountLimiters } from '../../client/src/http/limiter';
import { ServiceEvents, type ServiceEvent } from './events';
import { instrumentedFetch } from './instrumentedFetch';
import { createServiceLogger } from './logger';
import type { LoginAuditSource } from './loginAudit';
import { maintainTenant, type MaintenanceDeps } from './maintenance';
import { bridgeOnboardingEvents } from './onboardingEvents';
import { repairTenant, type RepairResult } from './repair';
import { ServiceMetrics } from './metrics';
import { DAY_MS } from './rotationPolicy';
import { StatusStore } from './statusStore';
import { checkEndpoints, DeliveryLog, newMessageId, WebhookDispatcher, type DeliveryJob, type RedeliveryResult, type WebhookEndpoint } from './webhooks';

export interface ServiceOptions {
  /** The shared store of tenant records (PostgreSQL for several replicas; SQLite for one host). */
  store: KeyValueStore;
  /** Redis for the job queue (BullMQ), e.g. redis://127.0.0.1:6379. */
  redis: string;
  /**
   * Builds the orchestrator the jobs use; receives the instrumented fetch (metrics, spans) and the metrics hooks
   * (pass `observer` on to count M2M token cache hits, retries and concurrency slot waits).
   */
  orchestrator?: (o: { fetch: typeof fetch; now: () => number; observer: ClientObserver; limiterFor: AccountLimiterFactory }) => OnboardingOrchestrator;
  /** The service's clock for expiry and rotation decisions (tests move it with the emulator's). */
  now?: () => number;
  /** Health sweep interval (default 1 hour). */
  sweepEveryMs?: number;
  rotateBeforeDays?: number;
  rotationJitterDays?: number;
  expiryNoticeDays?: number[];
  /** Attempts of a tenant job whose rotation fails, with exponential backoff (default 8 attempts from 1 minute: ~4 h). */
  rotationAttempts?: number;
  rotationBackoffMs?: number;
  webhooks?: WebhookEndpoint[];
  /** Default 17 attempts from 5 s, doubling: the last one about 45 hours after the first. */
  webhookAttempts?: number;
  webhookBackoffMs?: number;
  audit?: LoginAuditSource;
  /**
   * Keep a standby certificate per tenant (added on the tenant's first maintenance, renewed at half its validity) and
   * repair needs_certificate in place with it, without the customer (default true). One more active certificate per
   * tenant on the integration record; see docs/operator.md, "Repair without the customer".
   */
  standbyCertificate?: boolean;
  logger?: Logger;
  concurrency?: number;
  /** BullMQ queue name; replicas that share it share the work. */
  queueName?: string;
  /** A running job's lock; a replica that dies mid-job loses it after this long and another replica takes the job. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  fetch?: typeof fetch;
  /**
   * NetSuite's concurrency limit is per account, shared by every replica: health checks, rotations and the proxy of
   * all replicas take their slots from one Redis semaphore per account (default true; false: a limiter per process).
   */
  accountSemaphore?: boolean;
  /** Slots per account for every request of the service, instead of the limit learned at onboarding (less keepFreeShare). */
  accountConcurrency?: number;
  /** Share of a learned, shared (not integration-reserved) account limit left to the customer's other integrations (0 to < 1; default 0). */
  keepFreeShare?: number;
}

/** The limiter for an account's requests, sized from the learned limit; the same one for the proxy and the jobs. */
export type AccountLimiterFactory = (accountId: string, limit: number) => ConcurrencySlots;

type JobName = 'sweep' | 'tenant' | 'webhook';
const SWEEP_SCHEDULER = 'health-sweep';

/**
 * `suitebridge serve`: the jobs that keep every tenant connected, on BullMQ. A job scheduler adds one sweep per
 * interval for all replicas together; the sweep adds one job per tenant, deduplicated by tenant, so a tenant is never
 * worked on by two replicas at once; a replica that dies mid-job loses its lock and the job runs again elsewhere.
 */
export class SuiteBridgeService {
  readonly events: ServiceEvents;
  readonly statuses: StatusStore;
  readonly deliveries: DeliveryLog;
  /** Sends events to the webhook endpoints; `redeliver(deliveryId)` sends a recorded delivery again. */
  readonly webhookDispatcher: WebhookDispatcher;
  readonly metrics: ServiceMetrics;
  readonly orchestrator: OnboardingOrchestrator;
  readonly logger: Logger;
  /** The shared store (tenant records, statuses, deliveries, API keys). */
  readonly store: KeyValueStore;
  private readonly now: () => number;
  private readonly queueName: string;
  private readonly webhooks: WebhookEndpoint[];
  private readonly pendingEnqueues = new Set<Promise<unknown>>();
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private readonly connections: Redis[] = [];
  private readonly deps: MaintenanceDeps;
  /** Each account's limiter, shared by the jobs and the proxy (across replicas through Redis unless turned off). */
  readonly limiterFor: AccountLimiterFactory;
  /** The share of a shared account limit kept free; the proxy sizes its limiters with the same share. */
  readonly keepFreeShare: number | undefined;
  private readonly closeLimiters: () => Promise<void> = async () => undefined;

  constructor(private readonly o: ServiceOptions) {
    this.now = o.now ?? Date.now;
    this.store = o.store;
    this.queueName = o.queueName ?? 'suitebridge';
    this.webhooks = o.webhooks ?? [];
    checkEndpoints(this.webhooks);
    for (const [name, value] of [['sweepEveryMs', o.sweepEveryMs], ['rotateBeforeDays', o.rotateBeforeDays], ['rotationAttempts', o.rotationAttempts], ['webhookAttempts', o.webhookAttempts], ['accountConcurrency', o.accountConcurrency]] as const) {
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
        throw new ConfigurationError('INVALID_ARGUMENT', `${name} must be a positive number, got ${String(value)}.`, { field: name });
      }
    }
    this.logger = o.logger ?? createServiceLogger();
    this.events = new ServiceEvents(this.now);
    this.statuses = new StatusStore(o.store);
    this.deliveries = new DeliveryLog(o.store);
    // Signatures carry the real time (receivers refuse timestamps over 5 minutes off), not the service's test clock.
    this.webhookDispatcher = new WebhookDispatcher(this.webhooks, this.deliveries, { now: Date.now, ...(o.fetch ? { fetch: o.fetch } : {}) });
    this.metrics = new ServiceMetrics(this.statuses, this.now);
    const fetchImpl = o.fetch ? instrumentedFetch(this.metrics, o.fetch) : instrumentedFetch(this.metrics);
    const observer = this.metrics.clientObserver;
    this.keepFreeShare = o.keepFreeShare;
    if (o.accountSemaphore !== false) {
      // Connected on first use: a service that never calls NetSuite opens no connection for it.
      let semaphores: RedisAccountSemaphores | undefined;
      this.closeLimiters = async () => semaphores?.close();
      this.limiterFor = (accountId, limit) => {
        semaphores ??= new RedisAccountSemaphores({ redis: o.redis, namespace: `${this.queueName}:` });
        return semaphores.forAccount(accountId, o.accountConcurrency ?? limit);
      };
    } else {
      const local = new AccountLimiters();
      this.limiterFor = (accountId, limit) => local.forAccount(accountId, o.accountConcurrency ?? limit);
    }
    const limiterFor = this.limiterFor;
    this.orchestrator = o.orchestrator?.({ fetch: fetchImpl, now: this.now, observer, limiterFor }) ?? new OnboardingOrchestrator({
      store: o.store, clock: { now: this.now }, fetch: fetchImpl, observer, limiterFor, ...(o.keepFreeShare !== undefined ? { keepFreeShare: o.keepFreeShare } : {}),
    });
    this.deps = {
      orchestrator: this.orchestrator,
      statuses: this.statuses,
      events: this.events,
      now: this.now,
      intervalMs: o.sweepEveryMs ?? 3_600_000,
      ...(o.audit ? { audit: o.audit } : {}),
      standbyCertificate: o.standbyCertificate ?? true,
      policy: {
        rotateBeforeMs: (o.rotateBeforeDays ?? 30) * DAY_MS,
        rotationJitterMs: (o.rotationJitterDays ?? 7) * DAY_MS,
        expiryNoticeDays: o.expiryNoticeDays ?? [60, 30, 14],
      },
    };
    this.events.on('*', (event) => this.onEvent(event));
    bridgeOnboardingEvents(this.orchestrator, this.events, (pending) => this.track(pending));
  }

  private connection(): Redis {
    const redis = new Redis(this.o.redis, { maxRetriesPerRequest: null, lazyConnect: false });
    redis.on('error', () => undefined); // reported by readiness and by failing jobs
    this.connections.push(redis);
    return redis;
  }

  /** Starts the worker and (idempotently, shared by all replicas) the health sweep scheduler. */
  async start(): Promise<void> {
    // Statuses written before the status index existed (or a crash between a status and its index entry).
    const reindexed = await this.statuses.reindex();
    if (reindexed.added + reindexed.removed > 0) this.logger.info(reindexed, 'status index repaired');
    this.queue = new Queue(this.queueName, { connection: this.connection() });
    this.worker = new Worker(this.queueName, (job) => this.process(job), {
      connection: this.connection(),
      concurrency: this.o.concurrency ?? 4,
      ...(this.o.lockDurationMs ? { lockDuration: this.o.lockDurationMs } : {}),
      ...(this.o.stalledIntervalMs ? { stalledInterval: this.o.stalledIntervalMs } : {}),
    });
    this.worker.on('completed', (job) => this.logJob(job, 'completed'));
    this.worker.on('failed', (job, err) => job && this.logJob(job, job.attemptsMade < (job.opts.attempts ?? 1) ? 'retried' : 'failed', err));
    this.worker.on('error', (err) => this.logger.error({ err: redact(err.message) }, 'worker error'));
    await this.queue.upsertJobScheduler(SWEEP_SCHEDULER, { every: this.deps.intervalMs }, { name: 'sweep', data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    this.logger.info({ queue: this.queueName, sweepEveryMs: this.deps.intervalMs, webhooks: this.webhooks.length }, 'service started');
  }

  /** Adds a sweep now (deduplicated: a sweep already waiting or running absorbs it). */
  async sweepNow(): Promise<void> {
    await this.requireQueue().add('sweep', {}, { deduplication: { id: 'sweep' }, removeOnComplete: 100, removeOnFail: 100 });
  }

  /** Adds one tenant's maintenance job (health, expiry notice, rotation when due). */
  async maintainNow(tenant: string): Promise<void> {
    await this.addTenantJob(tenant);
  }

  /** Repair in place (see repair.ts); emits tenant.status_changed when the tenant is healthy again. */
  repair(tenant: string): Promise<RepairResult> {
    return repairTenant({ ...this.deps, store: this.o.store }, tenant);
  }

  /** See WebhookDispatcher.redeliver: the same event and webhook-id again, new timestamp and signature, one attempt. */
  async redeliver(deliveryId: string): Promise<RedeliveryResult> {
    const result = await this.webhookDispatcher.redeliver(deliveryId);
    this.metrics.webhookAttempts.inc({ outcome: result.attempt.ok ? 'delivered' : 'failed' });
    this.logger.info({ delivery: deliveryId, ok: result.attempt.ok, status: result.attempt.status, ...(result.delivery.tenant ? { tenant: result.delivery.tenant } : {}) }, 'webhook redelivered');
    return result;
  }

  /** Resolves when no job is waiting, running or scheduled for retry (tests, `serve --once`). */
  async whenIdle(pollMs = 50): Promise<void> {
    const queue = this.requireQueue();
    // Two idle observations in a row: a retry moving between delayed and waiting is never missed by both.
    for (let idleSeen = 0; idleSeen < 2; ) {
      await Promise.all([...this.pendingEnqueues]);
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
      // The scheduler's next sweep is always delayed; retries waiting for their backoff are not.
      const retries = (await queue.getJobs(['delayed'])).filter((job) => !job.repeatJobKey);
      const idle = Object.values(counts).every((n) => n === 0) && retries.length === 0 && this.pendingEnqueues.size === 0;
      idleSeen = idle ? idleSeen + 1 : 0;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Redis and the store both answer. */
  async readiness(): Promise<{ redis: boolean; store: boolean }> {
    const redis = await Promise.race([
      (this.connections[0]?.ping() ?? Promise.reject(new Error('not started'))).then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref()),
    ]);
    const store = await this.o.store.get('suitebridge:service:readiness-probe').then(() => true, () => false);
    return { redis, store };
  }

  /** Stops taking jobs, lets running jobs finish (a killed replica's jobs return through their expired lock). */
  async stop(): Promise<void> {
    await this.worker?.close();
    await Promise.all([...this.pendingEnqueues].map((p) => p.catch(() => undefined)));
    await this.queue?.close();
    await Promise.all(this.connections.map((c) => c.quit().catch(() => c.disconnect())));
    await this.closeLimiters().catch(() => undefined);
    this.logger.info('service stopped');
  }

  private requireQueue(): Queue {
    if (!this.queue) throw new ConfigurationError('INVALID_ARGUMENT', 'The service is not started.', { remedy: 'Call start() first.' });
    return this.queue;
  }

  private async addTenantJob(tenant: string): Promise<void> {
    await this.requireQueue().add('tenant', { tenant }, {
      deduplication: { id: `tenant:${tenant}` },
      attempts: this.o.rotationAttempts ?? 8,
      backoff: { type: 'exponential', delay: this.o.rotationBackoffMs ?? 60_000 },
      removeOnComplete: 1000,
      removeOnFail: 1000,
    });
  }

  private async process(job: Job): Promise<unknown> {
    switch (job.name as JobName) {
      case 'sweep': {
        const all = await this.orchestrator.list();
        const tenants = all.filter((t) => t.status === 'completed').map((t) => t.tenant);
        for (const tenant of tenants) await this.addTenantJob(tenant);
        // A removed tenant's status goes too, so /tenants and the metrics count only tenants that exist.
        const known = new Set(all.map((t) => t.tenant));
        const forgotten = (await this.statuses.list()).filter((s) => !known.has(s.tenant));
        for (const s of forgotten) await this.statuses.remove(s.tenant);
        return { tenants: tenants.length, ...(forgotten.length ? { forgotten: forgotten.map((s) => s.tenant) } : {}) };
      }
      case 'tenant': {
        const { tenant } = job.data as { tenant: string };
        const attempt = job.attemptsMade + 1;
        const result = await maintainTenant(this.deps, tenant, { number: attempt, last: attempt >= (job.opts.attempts ?? 1) });
        return { status: result.state?.status, ...(result.rotated ? { rotated: result.rotated } : {}) };
      }
      case 'webhook': {
        const data = job.data as DeliveryJob;
        try {
          if ((await this.webhookDispatcher.deliver(data, job.attemptsMade + 1)) === 'endpoint_removed') return { skipped: 'endpoint no longer configured' };
          this.metrics.webhookAttempts.inc({ outcome: 'delivered' });
        } catch (err) {
          this.metrics.webhookAttempts.inc({ outcome: 'failed' });
          throw err;
        }
        return { delivered: true };
      }
      default:
        return { skipped: `unknown job ${job.name}` };
    }
  }

  private onEvent(event: ServiceEvent): void {
    this.logger.info({ event: event.type, ...event.data }, `event ${event.type}`);
    // A tenant that has just finished onboarding is checked now, not at the next sweep (up to an interval away).
    if (event.type === 'onboarding.completed' && this.queue) this.track(this.addTenantJob((event.data as { tenant: string }).tenant));
    if (!this.queue || this.webhooks.length === 0) return;
    const messageId = newMessageId();
    const enqueue = Promise.all(
      this.webhooks.map((_endpoint, index) =>
        this.queue!.add('webhook', { messageId, endpoint: index, event } satisfies DeliveryJob, {
          jobId: `${messageId}-${index}`,
          attempts: this.o.webhookAttempts ?? 17,
          backoff: { type: 'exponential', delay: this.o.webhookBackoffMs ?? 5_000 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        }),
      ),
    ).catch((err: unknown) => this.logger.error({ event: event.type, err: redact(err instanceof Error ? err.message : String(err)) }, 'webhook not queued'));
    this.track(enqueue);
  }

  /** Work started outside a job that whenIdle() and stop() wait for. */
  private track(pending: Promise<unknown>): void {
    const settled = pending.catch(() => undefined);
    this.pendingEnqueues.add(settled);
    void settled.finally(() => this.pendingEnqueues.delete(settled));
  }

  private logJob(job: Job, outcome: 'completed' | 'failed' | 'retried', err?: Error): void {
    this.metrics.jobs.inc({ type: job.name, outcome });
    const tenant = (job.data as { tenant?: string; event?: ServiceEvent }).tenant;
    const line = { job: job.name, id: job.id, outcome, attempt: job.attemptsMade, ...(tenant ? { tenant } : {}), ...(job.returnvalue ? { result: job.returnvalue } : {}), ...(err ? { error: redact(err.message) } : {}) };
    if (outcome === 'completed') this.logger.info(line, `job ${job.name} ${outcome}`);
    else this.logger.warn(line, `job ${job.name} ${outcome}`);
  }
}
