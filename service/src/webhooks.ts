import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ConfigurationError } from '../../client/src/errors';
import type { KeyValueStore } from '../../client/src/onboarding/repository';
import { redact } from '../../client/src/redact';
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
}

export interface DeliveryRecord {
  messageId: string;
  type: string;
  url: string;
  tenant?: string;
  createdAt: string;
  delivered: boolean;
  attempts: DeliveryAttempt[];
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

/** Every delivery attempt, kept in the service's store and listed by `GET /v1/events/deliveries`. */
export class DeliveryLog {
  constructor(private readonly store: KeyValueStore) {}

  async record(job: DeliveryJob, url: string, attempt: DeliveryAttempt): Promise<void> {
    const key = `${DELIVERY_PREFIX}${job.messageId}:${job.endpoint}`;
    for (let tries = 0; tries < 5; tries++) {
      const current = await this.store.get(key);
      const record: DeliveryRecord = current
        ? (JSON.parse(current.value) as DeliveryRecord)
        : { messageId: job.messageId, type: job.event.type, url, createdAt: attempt.at, delivered: false, attempts: [], ...('tenant' in job.event.data ? { tenant: job.event.data.tenant } : {}) };
      record.attempts.push(attempt);
      record.delivered = record.delivered || attempt.ok;
      if (await this.store.compareAndSwap(key, current?.version ?? null, JSON.stringify(record))) return;
    }
  }

  async list(): Promise<DeliveryRecord[]> {
    const out: DeliveryRecord[] = [];
    for (const key of await this.store.list(DELIVERY_PREFIX)) {
      const entry = await this.store.get(key.startsWith(DELIVERY_PREFIX) ? key : DELIVERY_PREFIX + key);
      if (entry) out.push(JSON.parse(entry.value) as DeliveryRecord);
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
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
  await o.log.record(job, endpoint.url, attempt);
  if (error !== undefined) throw new Error(`Webhook ${job.messageId} to ${new URL(endpoint.url).origin} failed: ${error}`);
}
