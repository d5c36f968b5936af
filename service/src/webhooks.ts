import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ConfigurationError } from '../../client/src/errors';
import type { KeyValueStore } from '../../client/src/onboarding/repository';
import { redact } from '../../client/src/redact';
import { getManyBatched } from '../../client/src/store/getMany';
import type { ServiceEvent } from './events';

export interface WebhookEndpoint {
  url: string;
  /** Standard Webhooks secret: `whsec_` + base64 of 24–64 random bytes. Never logged, never put in a job. */
  secret: string;
}

/** What a delivery job carries in Redis: the event and which endpoint, by index (the secret stays in the config). */
export interface DeliveryJob {
  messageId: string;
  endpoint: number;
  event: ServiceEvent;
}

export interface DeliveryAttempt {
  at: string;
  attempt: number;
  status?: number;
  ok: boolean;
  error?: string;
  durationMs: number;
  /** Sent by redeliver() (an operator's request), not by the queue's retries. */
  redelivery?: boolean;
}

export interface DeliveryRecord {
  /** `<messageId>-<endpoint index>`: what redeliver() and `POST /v1/events/deliveries/{id}/redeliver` take. */
  id: string;
  messageId: string;
  /** Index of the endpoint in the service's `webhooks` option. */
  endpoint: number;
  type: string;
  url: string;
  tenant?: string;
  createdAt: string;
  delivered: boolean;
  attempts: DeliveryAttempt[];
  /** The event as sent (no secrets in it), kept so the delivery can be sent again. */
  event?: ServiceEvent;
}

/** What redeliver() did: the new attempt and the record with it. */
export interface RedeliveryResult {
  delivery: DeliveryRecord;
  attempt: DeliveryAttempt;
}

/** Why a delivery cannot be sent again. `unknown_delivery`: no such id; the others: the record or endpoint lacks what it needs. */
export class WebhookRedeliveryError extends ConfigurationError {
  constructor(readonly reason: 'unknown_delivery' | 'endpoint_removed' | 'event_not_kept', message: string, remedy: string) {
    super('INVALID_ARGUMENT', message, { field: 'deliveryId', remedy });
  }
}

export const DELIVERY_PREFIX = 'suitebridge:service:webhook:';

export function checkEndpoints(endpoints: readonly WebhookEndpoint[]): void {
  endpoints.forEach((e, i) => {
    let url: URL;
    try {
      url = new URL(e.url);
    } catch {
      throw new ConfigurationError('INVALID_ARGUMENT', `Webhook endpoint ${i + 1} is not a URL.`, { field: 'webhooks', remedy: 'Give an absolute https:// URL.' });
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
      throw new ConfigurationError('INSECURE_URL', `Webhook endpoint ${url.origin} is not https.`, { field: 'webhooks', remedy: 'Use https:// (plain http only for a receiver on this host).' });
    }
    try {
      new Webhook(e.secret);
    } catch {
      throw new ConfigurationError('INVALID_ARGUMENT', `The secret of webhook endpoint ${url.origin} is not a Standard Webhooks secret.`, {
        field: 'webhooks',
        remedy: 'Use "whsec_" followed by base64 of 24 to 64 random bytes, e.g. `node -e "console.log(\'whsec_\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))"`.',
      });
    }
  });
}

export function newMessageId(): string {
  return `msg_${randomUUID().replace(/-/g, '')}`;
}

export function deliveryId(messageId: string, endpoint: number): string {
  return `${messageId}-${endpoint}`;
}

/** The store key of a delivery id; undefined for anything that is not one. */
function deliveryKey(id: string): string | undefined {
  const m = /^(msg_[A-Za-z0-9]{1,64})-(\d{1,4})$/.exec(id);
  return m ? `${DELIVERY_PREFIX}${m[1]}:${Number(m[2])}` : undefined;
}

function withId(record: DeliveryRecord, key: string): DeliveryRecord {
  if (record.id) return record;
  // Records written before ids existed: the id follows from the key.
  const [messageId, endpoint] = key.slice(DELIVERY_PREFIX.length).split(':') as [string, string];
  return { ...record, id: deliveryId(messageId, Number(endpoint)), endpoint: Number(endpoint) };
}

/** Every delivery attempt, kept in the service's store and listed by `GET /v1/events/deliveries`. */
export class DeliveryLog {
  constructor(private readonly store: KeyValueStore) {}

  /** Adds an attempt; returns the record as stored with it. */
  async record(job: DeliveryJob, url: string, attempt: DeliveryAttempt): Promise<DeliveryRecord> {
    const key = `${DELIVERY_PREFIX}${job.messageId}:${job.endpoint}`;
    for (let tries = 0; ; tries++) {
      const current = await this.store.get(key);
      const record: DeliveryRecord = current
        ? withId(JSON.parse(current.value) as DeliveryRecord, key)
        : {
            id: deliveryId(job.messageId, job.endpoint),
            messageId: job.messageId,
            endpoint: job.endpoint,
            type: job.event.type,
            url,
            createdAt: attempt.at,
            delivered: false,
            attempts: [],
            ...('tenant' in job.event.data ? { tenant: job.event.data.tenant } : {}),
          };
      record.event ??= job.event;
      record.attempts.push(attempt);
      record.delivered = record.delivered || attempt.ok;
      if (await this.store.compareAndSwap(key, current?.version ?? null, JSON.stringify(record))) return record;
      if (tries >= 4) return record;
    }
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    const key = deliveryKey(id);
    const entry = key ? await this.store.get(key) : undefined;
    return key && entry ? withId(JSON.parse(entry.value) as DeliveryRecord, key) : undefined;
  }

  async list(): Promise<DeliveryRecord[]> {
    const keys = (await this.store.list(DELIVERY_PREFIX)).map((listed) => (listed.startsWith(DELIVERY_PREFIX) ? listed : DELIVERY_PREFIX + listed));
    const entries = await getManyBatched(this.store, keys);
    const out = entries.flatMap((entry, i) => (entry ? [withId(JSON.parse(entry.value) as DeliveryRecord, keys[i] as string)] : []));
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

/**
 * Sends the service's events to its webhook endpoints: the queue's jobs call deliver(), an operator calls
 * redeliver(). The endpoints (and their secrets) stay here; jobs and records name an endpoint by index.
 */
export class WebhookDispatcher {
  constructor(
    readonly endpoints: readonly WebhookEndpoint[],
    readonly log: DeliveryLog,
    private readonly o: { now?: () => number; fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {}

  /** One queued attempt; throws when it failed so the queue retries it. */
  async deliver(job: DeliveryJob, attemptNumber: number): Promise<'delivered' | 'endpoint_removed'> {
    const endpoint = this.endpoints[job.endpoint];
    if (!endpoint) return 'endpoint_removed';
    await deliver(job, endpoint, attemptNumber, this.options());
    return 'delivered';
  }

  /**
   * Sends a recorded delivery once more, now: the same event and the same webhook-id (receivers de-duplicate on it),
   * a new timestamp and signature. The attempt is recorded (`redelivery: true`) and returned whether it succeeded or
   * not; it is not retried. Throws WebhookRedeliveryError when the id is unknown or the endpoint is gone.
   */
  async redeliver(deliveryId: string): Promise<RedeliveryResult> {
    const record = await this.log.get(deliveryId);
    if (!record) {
      throw new WebhookRedeliveryError('unknown_delivery', `No webhook delivery "${deliveryId}".`, 'List deliveries with GET /v1/events/deliveries and pass an item\'s id.');
    }
    // By URL: the operator may have added or removed other endpoints since, which moves the indexes.
    const endpoint = this.endpoints[record.endpoint]?.url === record.url ? this.endpoints[record.endpoint] : this.endpoints.find((e) => e.url === record.url);
    if (!endpoint) {
      throw new WebhookRedeliveryError('endpoint_removed', `Delivery "${deliveryId}" went to ${new URL(record.url).origin}, which is no longer a configured webhook endpoint.`, 'Configure the endpoint again (serve --webhook) to redeliver to it.');
    }
    if (!record.event) {
      throw new WebhookRedeliveryError('event_not_kept', `Delivery "${deliveryId}" was recorded by an older version that did not keep the event.`, 'Only deliveries recorded from this version on can be sent again.');
    }
    const job: DeliveryJob = { messageId: record.messageId, endpoint: record.endpoint, event: record.event };
    const attempt = await sendOnce(job, endpoint, record.attempts.length + 1, this.options(), true);
    const delivery = await this.log.record(job, endpoint.url, attempt);
    return { delivery, attempt };
  }

  private options() {
    return { log: this.log, now: this.o.now ?? Date.now, ...(this.o.fetch ? { fetch: this.o.fetch } : {}), ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}) };
  }
}

/**
 * One signed POST per Standard Webhooks: body = the event JSON, headers webhook-id / webhook-timestamp /
 * webhook-signature. Throws on anything but 2xx so the queue retries with backoff; each attempt is recorded.
 */
export async function deliver(
  job: DeliveryJob,
  endpoint: WebhookEndpoint,
  attemptNumber: number,
  o: { log: DeliveryLog; now: () => number; fetch?: typeof fetch; timeoutMs?: number },
): Promise<void> {
  const attempt = await sendOnce(job, endpoint, attemptNumber, o, false);
  await o.log.record(job, endpoint.url, attempt);
  if (attempt.error !== undefined) throw new Error(`Webhook ${job.messageId} to ${new URL(endpoint.url).origin} failed: ${attempt.error}`);
}

/** The signed POST itself; never throws (a failure is in the attempt). */
async function sendOnce(
  job: DeliveryJob,
  endpoint: WebhookEndpoint,
  attemptNumber: number,
  o: { now: () => number; fetch?: typeof fetch; timeoutMs?: number },
  redelivery: boolean,
): Promise<DeliveryAttempt> {
  const body = JSON.stringify(job.event);
  const sentAt = new Date(o.now());
  const signature = new Webhook(endpoint.secret).sign(job.messageId, sentAt, body);
  const started = performance.now();
  let status: number | undefined;
  let error: string | undefined;
  try {
    const response = await (o.fetch ?? fetch)(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': job.messageId,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
        'user-agent': 'SuiteBridge-Webhooks/1',
      },
      body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
    });
    status = response.status;
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) error = `HTTP ${response.status}`;
  } catch (err) {
    error = redact(err instanceof Error ? err.message : String(err));
  }
  const attempt: DeliveryAttempt = { at: sentAt.toISOString(), attempt: attemptNumber, ok: error === undefined, durationMs: Math.round(performance.now() - started) };
  if (status !== undefined) attempt.status = status;
  if (error !== undefined) attempt.error = error;
  if (redelivery) attempt.redelivery = true;
  return attempt;
}
