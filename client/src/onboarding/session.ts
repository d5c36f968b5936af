import type { ClientObserver } from '../http/observer';
import type { Checkpoint } from './checkpoints';
import type { TenantActivity, TenantRepository } from './repository';
import type { OnboardingServices } from './services';
import type { AuditEntry, Clock, OnboardingEvent, StepId, StoredTokens, TenantRecord } from './types';

type AuditInput = Omit<AuditEntry, 'at'>;

/** How long to keep trying a freshly uploaded certificate before concluding it does not work. */
export interface ActivationPolicy {
  attempts: number;
  delayMs: number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * One tenant's record while a step works on it. Every change goes through `commit`, which persists the new
 * record and its audit entries in one compare-and-swap: an action is either recorded with its result or not
 * at all, so a resumed run repeats only idempotent calls and never logs an action twice.
 */
export class TenantSession {
  constructor(
    private current: TenantRecord,
    private version: number,
    private readonly repo: TenantRepository,
    readonly services: OnboardingServices,
    readonly clock: Clock,
    private readonly emitEvent: (event: OnboardingEvent) => void,
    private readonly onCheckpoint: (checkpoint: Checkpoint) => void,
    /** In-memory only: the last client-credentials token of this tenant (cheap to mint, so never persisted). */
    readonly cache: { m2m?: StoredTokens & { certificateId: string } } = {},
    readonly activation: ActivationPolicy = { attempts: 1, delayMs: 0, sleep: async () => undefined },
    /** Metrics hooks (M2M token cache hits and misses). */
    readonly observer?: ClientObserver,
  ) {}

  get record(): Readonly<TenantRecord> {
    return this.current;
  }

  get tenant(): string {
    return this.current.tenant;
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  async commit(mutate: (record: TenantRecord) => void, ...audit: AuditInput[]): Promise<void> {
    const next = structuredClone(this.current);
    mutate(next);
    const at = this.nowIso();
    next.updatedAt = at;
    for (const entry of audit) next.audit.push({ at, ...entry });
    this.version = await this.repo.save(next, this.version);
    this.current = next;
  }

  /** The record as stored now (another process may have changed it); this session's copy is left as it is. */
  async latest(): Promise<TenantRecord | undefined> {
    return (await this.repo.load(this.tenant))?.record;
  }

  /** Bookkeeping kept outside the tenant record (last token time): best effort, never fails, never conflicts. */
  async recordActivity(activity: TenantActivity): Promise<void> {
    await this.repo.recordActivity(this.tenant, activity);
  }

  emit(event: OnboardingEvent): void {
    this.emitEvent(event);
  }

  progress(step: StepId, action: string, message: string): void {
    this.emitEvent({ type: 'progress', tenant: this.tenant, step, action, message, at: this.nowIso() });
  }

  checkpoint(name: Checkpoint): void {
    this.onCheckpoint(name);
  }
}
