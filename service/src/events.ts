import { EventEmitter } from 'node:events';
import type { ConnectionStatus } from './status';

/** Event payloads (also the webhook payload's `data`). Never a token, key or secret. */
export interface ServiceEventData {
  'onboarding.completed': { tenant: string; accountId: string };
  'onboarding.failed': { tenant: string; accountId: string; step: string; code: string; message: string };
  'certificate.expiring': { tenant: string; accountId: string; certificateId: string; expiresAt: string; daysLeft: number; threshold: number };
  'certificate.rotated': { tenant: string; accountId: string; certificateId: string; previousCertificateId: string; expiresAt: string };
  'certificate.rotation_failed': { tenant: string; accountId: string; certificateId: string; attempt: number; willRetry: boolean; code: string; message: string };
  'tenant.status_changed': {
    tenant: string;
    accountId: string;
    oldStatus: ConnectionStatus | null;
    newStatus: ConnectionStatus;
    reason: string;
    cause?: string;
    sandboxRefresh?: boolean;
    since: string;
  };
}
export type ServiceEventType = keyof ServiceEventData;
export const SERVICE_EVENT_TYPES: readonly ServiceEventType[] = [
  'onboarding.completed',
  'onboarding.failed',
  'certificate.expiring',
  'certificate.rotated',
  'certificate.rotation_failed',
  'tenant.status_changed',
];

/** The Standard Webhooks payload shape: `type`, `timestamp`, `data`. */
export interface ServiceEvent<T extends ServiceEventType = ServiceEventType> {
  type: T;
  timestamp: string;
  data: ServiceEventData[T];
}

/**
 * The service's events in-process, for library users: `events.on('tenant.status_changed', (e) => …)`, or `'*'` for all.
 * The same events go to the configured webhook endpoints.
 */
export class ServiceEvents {
  private readonly emitter = new EventEmitter();

  constructor(private readonly now: () => number = Date.now) {
    this.emitter.setMaxListeners(0);
  }

  on<T extends ServiceEventType>(type: T | '*', listener: (event: ServiceEvent<T>) => void): () => void {
    const wrapped = (event: ServiceEvent<T>) => {
      try {
        listener(event);
      } catch {
        // A faulty listener must not break a job.
      }
    };
    this.emitter.on(type, wrapped);
    return () => this.emitter.off(type, wrapped);
  }

  emit<T extends ServiceEventType>(type: T, data: ServiceEventData[T]): ServiceEvent<T> {
    const event: ServiceEvent<T> = { type, timestamp: new Date(this.now()).toISOString(), data };
    this.emitter.emit(type, event);
    this.emitter.emit('*', event);
    return event;
  }
}
