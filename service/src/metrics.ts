import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClientObserver } from '../../client/src/http/observer';
import { callKind } from './instrumentedFetch';
import type { StatusStore } from './statusStore';
import { CONNECTION_STATUSES } from './status';
import { DAY_MS } from './rotationPolicy';

/** The service's Prometheus series (`GET /metrics`), in a registry of its own. */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly tokenRequests: Counter<'grant' | 'outcome'>;
  readonly netsuiteCalls: Counter<'kind' | 'status'>;
  readonly overLimit: Counter<'kind'>;
  readonly jobs: Counter<'type' | 'outcome'>;
  readonly webhookAttempts: Counter<'outcome'>;
  readonly tokenCacheHits: Counter<'grant'>;
  readonly clientRetries: Counter<'kind' | 'reason'>;
  readonly semaphoreWait: Histogram;
  /** The client library's hooks (orchestrator, NetSuite proxy) feeding the three series above. */
  readonly clientObserver: ClientObserver;

  constructor(statuses: StatusStore, now: () => number) {
    const registers = [this.registry];
    this.tokenRequests = new Counter({ name: 'suitebridge_token_requests_total', help: 'Token endpoint requests by grant and outcome (ok, refused, unavailable)', labelNames: ['grant', 'outcome'], registers });
    this.netsuiteCalls = new Counter({ name: 'suitebridge_netsuite_calls_total', help: 'HTTP calls to NetSuite by kind (token, restlet, rest, suiteql, certificates) and HTTP status', labelNames: ['kind', 'status'], registers });
    this.overLimit = new Counter({ name: 'suitebridge_over_limit_total', help: 'Over-limit answers from NetSuite (429, SSS_REQUEST_LIMIT_EXCEEDED)', labelNames: ['kind'], registers });
    this.jobs = new Counter({ name: 'suitebridge_jobs_total', help: 'Jobs run by this replica, by type (sweep, tenant, webhook) and outcome (completed, failed, retried)', labelNames: ['type', 'outcome'], registers });
    this.webhookAttempts = new Counter({ name: 'suitebridge_webhook_attempts_total', help: 'Webhook delivery attempts by outcome', labelNames: ['outcome'], registers });
    this.tokenCacheHits = new Counter({ name: 'suitebridge_token_cache_hits_total', help: 'Access tokens served from a cache instead of the token endpoint, by grant', labelNames: ['grant'], registers });
    this.clientRetries = new Counter({ name: 'suitebridge_client_retries_total', help: 'NetSuite calls sent again by the client, by kind (token, restlet, rest, suiteql, certificates) and reason', labelNames: ['kind', 'reason'], registers });
    this.semaphoreWait = new Histogram({
      name: 'suitebridge_semaphore_wait_seconds',
      help: 'Time a NetSuite call waited for an account concurrency slot (le="0": calls that found a free slot)',
      buckets: [0, 0.001, 0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30],
      registers,
    });
    this.clientObserver = {
      tokenCache: (e) => {
        if (e.outcome === 'hit') this.tokenCacheHits.inc({ grant: e.grant });
      },
      retry: (e) => this.clientRetries.inc({ kind: kindOf(e.url), reason: e.reason }),
      slotWait: (e) => this.semaphoreWait.observe(e.waitedMs / 1000),
    };
    new Gauge({
      name: 'suitebridge_tenants',
      help: 'Tenants by connection status (from the shared store: the same on every replica)',
      labelNames: ['status'],
      registers,
      async collect() {
        const states = await statuses.list();
        for (const status of CONNECTION_STATUSES) this.set({ status }, states.filter((s) => s.status === status).length);
      },
    });
    new Gauge({
      name: 'suitebridge_certificate_expiry_days_min',
      help: 'Days until the nearest tenant certificate expiry (negative: already expired); absent without tenants',
      registers,
      async collect() {
        const expiries = (await statuses.list()).map((s) => s.certificateExpiresAt).filter((e): e is string => !!e).map((e) => Date.parse(e));
        if (expiries.length === 0) return;
        this.set(Math.floor(((Math.min(...expiries) - now()) / DAY_MS) * 100) / 100);
      },
    });
  }
}

function kindOf(url: string): string {
  try {
    return callKind(url);
  } catch {
    return 'other';
  }
}
