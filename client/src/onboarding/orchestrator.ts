import { ConfigurationError, AuthorizationError, SuiteBridgeError } from '../errors';
import type { ClientObserver } from '../http/observer';
import { usableConcurrency } from '../http/usableConcurrency';
import { redact } from '../redact';
import { envCrashHook, type Checkpoint } from './checkpoints';
import { OnboardingError, ReauthorizationNeeded } from './errors';
import type { ConnectionOptions, TenantConnection } from './connection';
import { describeLeftover } from './leftoverAuthorization';
import { m2mAccessToken } from './m2m';
import { TenantRepository, type KeyValueStore } from './repository';
import { SCRIPTS, type HealthResult, type OnboardingServicesFactory } from './services';
import { TenantSession, type ActivationPolicy } from './session';
import { resolveSettings, settingsConflict, assertTenantName } from './settings';
import { acceptCallback, callbackState, ensurePendingAuthorization, runAuthorize, type StepOutcome } from './steps/authorize';
import { runBundle } from './steps/bundle';
import { runCertificate } from './steps/certificate';
import { runFinalize } from './steps/finalize';
import { rotateTenantCertificate } from './rotation';
import { ensureStandbyCertificate, promoteStandbyCertificate, recordStandbyProblem, type PromotionResult, type StandbyOptions, type StandbyOutcome } from './standby';
import { STEP_IDS, type Clock, type OnboardingEvent, type OnboardingListener, type StepError, type StepId, type TenantRecord, type TenantSettings } from './types';
import { toSummary, toView, type TenantSummary, type TenantView } from './view';

export interface OnboardingOptions {
  store: KeyValueStore;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Test seam; default: the real client library (realServices.ts). */
  services?: OnboardingServicesFactory;
  /** Test seam; default: SIGKILL at the checkpoint named by SUITEBRIDGE_TEST_CRASH_AT. */
  onCheckpoint?: (checkpoint: Checkpoint) => void;
  /** Retries of the first token with a new certificate (default 5 attempts, 2 s apart). */
  certificateActivation?: Partial<ActivationPolicy>;
  /** Metrics hooks: M2M token cache hits, NetSuite call retries, concurrency slot waits (no prom-client here). */
  observer?: ClientObserver;
  /**
   * Connections size their limiter from the account limit learned at onboarding; on a shared (not
   * integration-reserved) limit this share stays free for the customer's other integrations. Default 0.
   */
  keepFreeShare?: number;
  /** A limiter shared by every process for an account, e.g. `(id, limit) => redisSemaphores.forAccount(id, limit)`. */
  limiterFor?: ConnectionOptions['limiterFor'];
}

const SUMMARIES: Record<StepId, (r: TenantRecord) => string> = {
  authorize: (r) => (r.consent ? `consent by entity ${r.consent.entity} (role ${r.consent.role}, company ${r.consent.company})` : 'authorized'),
  bundle: (r) => `bundle ${r.settings.bundleId} installed; app role ${r.bundle?.appRole?.scriptId ?? '?'} (${r.bundle?.appRole?.internalId ?? '?'})`,
  certificate: (r) => `certificate ${r.certificate?.certificateId ?? '?'} for entity ${r.certificate?.entity ?? '?'}; M2M verified`,
  finalize: (r) => `config seeded; account ${r.account?.accountId ?? '?'} (${r.account?.environment ?? '?'}); temporary access revoked`,
};

const RUNNERS: Record<StepId, (s: TenantSession, o: RunOptions) => Promise<StepOutcome>> = {
  authorize: (s) => runAuthorize(s),
  bundle: (s, o) => runBundle(s, { recheck: o.recheckBundle === true }),
  certificate: (s) => runCertificate(s),
  finalize: (s) => runFinalize(s),
};

interface RunOptions {
  recheckBundle?: boolean;
  callbackUrl?: string;
}

export function stepErrorOf(err: unknown): StepError {
  const message = redact(err instanceof Error ? err.message : String(err));
  if (err instanceof SuiteBridgeError) {
    const e: StepError = { code: err.code, message };
    if (err.remedy) e.remedy = redact(err.remedy);
    return e;
  }
  return { code: 'UNEXPECTED', message };
}

/** The four onboarding steps as a resumable per-tenant state machine. Contract: docs/onboarding-api.md. */
export class OnboardingOrchestrator {
  private readonly repo: TenantRepository;
  private readonly clock: Clock;
  private readonly servicesFactory: OnboardingServicesFactory;
  private readonly onCheckpoint: (checkpoint: Checkpoint) => void;
  private readonly listeners = new Set<OnboardingListener>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly caches = new Map<string, TenantSession['cache']>();
  private readonly fetchImpl: typeof fetch | undefined;
  private readonly activation: ActivationPolicy;
  private readonly observer: ClientObserver | undefined;
  private readonly connectionLimits: Pick<OnboardingOptions, 'keepFreeShare' | 'limiterFor'>;

  constructor(options: OnboardingOptions) {
    this.repo = new TenantRepository(options.store);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.onCheckpoint = options.onCheckpoint ?? envCrashHook();
    this.fetchImpl = options.fetch;
    this.observer = options.observer;
    // A bad share fails here, with the typed error, rather than at the first call.
    if (options.keepFreeShare !== undefined) usableConcurrency(1, options.keepFreeShare);
    this.connectionLimits = { ...(options.keepFreeShare !== undefined ? { keepFreeShare: options.keepFreeShare } : {}), ...(options.limiterFor ? { limiterFor: options.limiterFor } : {}) };
    this.activation = {
      attempts: options.certificateActivation?.attempts ?? 5,
      delayMs: options.certificateActivation?.delayMs ?? 2000,
      sleep: options.certificateActivation?.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
    if (options.services) {
      this.servicesFactory = options.services;
    } else {
      // Loaded lazily so fakes-only tests do not pull in the HTTP client stack.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { realServicesFactory } = require('./realServices') as typeof import('./realServices');
      this.servicesFactory = realServicesFactory({ fetch: options.fetch, clock: this.clock, ...(options.observer ? { observer: options.observer } : {}) });
    }
  }

  on(listener: OnboardingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async begin(settings: TenantSettings, o: { restart?: boolean } = {}): Promise<TenantView> {
    const resolved = resolveSettings(settings);
    return this.serialized(resolved.tenant, async () => {
      const existing = await this.repo.load(resolved.tenant);
      if (existing && !o.restart) {
        const field = settingsConflict(existing.record.settings, resolved);
        if (field) {
          throw new ConfigurationError('INVALID_ARGUMENT', `Tenant "${resolved.tenant}" was started with a different ${field}.`, {
            field,
            remedy: `Use the same ${field}, choose another --tenant, or discard it with \`suitebridge tenants remove ${resolved.tenant}\`.`,
          });
        }
        const stored = existing.record.settings.integrationEntity;
        if (resolved.integrationEntity !== undefined && resolved.integrationEntity !== stored) {
          const session = this.sessionFrom(existing.record, existing.version);
          await this.changeIntegrationEntity(session, resolved.integrationEntity);
          return toView(session.record, this.clock.now());
        }
        return toView(existing.record, this.clock.now());
      }
      if (existing?.record.completedAt) {
        throw new ConfigurationError('INVALID_ARGUMENT', `Tenant "${resolved.tenant}" is already onboarded.`, {
          field: 'tenant',
          remedy: `Remove it first with \`suitebridge tenants remove ${resolved.tenant}\` (add --revoke-certificate to revoke its certificate).`,
        });
      }
      const at = new Date(this.clock.now()).toISOString();
      const record: TenantRecord = {
        version: 1,
        tenant: resolved.tenant,
        createdAt: at,
        updatedAt: at,
        settings: resolved,
        steps: { authorize: { status: 'pending' }, bundle: { status: 'pending' }, certificate: { status: 'pending' }, finalize: { status: 'pending' } },
        authorization: {},
        audit: [{ at, step: 'tenant', action: 'created', detail: `onboarding of account ${resolved.accountId} started (auth client ${resolved.authClient.clientId.slice(0, 8)}…, ${resolved.singleRecord ? 'single confidential record for both grants' : `client-credentials client ${resolved.ccClient.clientId.slice(0, 8)}…`})` }],
      };
      const leftover = existing?.record.authorization.tokens;
      if (existing && leftover) {
        // The discarded record's temporary access must not outlive it.
        await this.servicesFactory(existing.record.settings).authorization.revoke(leftover.refreshToken ?? leftover.accessToken).catch(() => undefined);
      }
      // What the discarded record may have left at NetSuite stays known: an earlier notice, or an exchange whose answer was lost.
      const carried = [...(existing?.record.authorization.leftovers ?? [])];
      const lost = existing?.record.authorization.exchange;
      if (existing && lost) {
        const callbackUrl = existing.record.authorization.callbackUrl;
        carried.push(describeLeftover({ settings: existing.record.settings, sentAt: lost.sentAt, detectedAt: at, ...(callbackUrl ? { callbackUrl } : {}) }));
        record.audit.push({ at, step: 'authorize', action: 'leftover-authorization', detail: `exchange of ${lost.sentAt} interrupted before --restart; a refresh token may live at NetSuite` });
      }
      if (carried.length > 0) record.authorization.leftovers = carried;
      await this.repo.save(record, existing ? existing.version : null);
      return toView(record, this.clock.now());
    });
  }

  advance(tenant: string): Promise<TenantView> {
    return this.serialized(tenant, async () => this.runSteps(await this.session(tenant), {}));
  }

  authorizationUrl(tenant: string): Promise<string> {
    return this.serialized(tenant, async () => ensurePendingAuthorization(await this.session(tenant)));
  }

  async submitCallback(callbackUrl: string | URL, tenant?: string): Promise<TenantView> {
    const url = callbackUrl.toString();
    const target = tenant ?? (await this.tenantForState(callbackState(url)));
    return this.serialized(target, async () => this.runSteps(await this.session(target), { callbackUrl: url }));
  }

  recheckBundle(tenant: string): Promise<TenantView> {
    return this.serialized(tenant, async () => this.runSteps(await this.session(tenant), { recheckBundle: true }));
  }

  setIntegrationEntity(tenant: string, entity: number): Promise<TenantView> {
    return this.serialized(tenant, async () => {
      const session = await this.session(tenant);
      await this.changeIntegrationEntity(session, entity);
      return toView(session.record, this.clock.now());
    });
  }

  private async changeIntegrationEntity(session: TenantSession, entity: number): Promise<void> {
    if (!(Number.isInteger(entity) && entity > 0)) {
      throw new ConfigurationError('INVALID_ARGUMENT', `Entity "${entity}" is not an internal ID.`, { field: 'entity', remedy: 'Pass the employee\'s internal ID.' });
    }
    if (session.record.certificate?.certificateId) {
      throw new ConfigurationError('INVALID_ARGUMENT', `Tenant "${session.tenant}" already has a certificate for integration user ${session.record.certificate.entity ?? '?'}.`, {
        field: 'entity',
        remedy: `Remove the tenant (\`suitebridge tenants remove ${session.tenant} --revoke-certificate\`) and onboard again with --entity.`,
      });
    }
    await session.commit(
      (r) => {
        r.settings.integrationEntity = entity;
      },
      { step: 'tenant', action: 'integration-user', detail: `integration user set to entity ${entity}` },
    );
  }

  async get(tenant: string): Promise<TenantView | undefined> {
    const loaded = await this.repo.load(assertTenantName(tenant));
    return loaded ? toView(loaded.record, this.clock.now()) : undefined;
  }

  async list(): Promise<TenantSummary[]> {
    return (await this.repo.loadMany(await this.repo.tenants())).map((loaded) => toSummary(loaded.record));
  }

  remove(tenant: string, o: { revokeCertificate?: boolean } = {}): Promise<{ revokedCertificateId?: string; revokedTemporaryAccess: boolean; leftoverNotices?: string[] }> {
    return this.serialized(tenant, async () => {
      const session = await this.session(tenant);
      const result: { revokedCertificateId?: string; revokedTemporaryAccess: boolean; leftoverNotices?: string[] } = { revokedTemporaryAccess: false };
      // Removing the record must not hide what it knew about refresh tokens left at NetSuite that may still live.
      const at = session.nowIso();
      const leftovers = [...(session.record.authorization.leftovers ?? [])];
      const lost = session.record.authorization.exchange;
      if (lost) {
        const callbackUrl = session.record.authorization.callbackUrl;
        leftovers.push(describeLeftover({ settings: session.record.settings, sentAt: lost.sentAt, detectedAt: at, ...(callbackUrl ? { callbackUrl } : {}) }));
      }
      const live = leftovers.filter((l) => Date.parse(l.liveUntil) > this.clock.now()).map((l) => l.notice);
      if (live.length > 0) result.leftoverNotices = live;
      const certificateId = session.record.certificate?.certificateId;
      if (o.revokeCertificate && certificateId) {
        const token = await m2mAccessToken(session);
        await session.services.certificates(token).revoke(certificateId);
        result.revokedCertificateId = certificateId;
        // The standby is the tenant's too; a failure here must not keep the tenant (its primary is gone already).
        const standbyIds = [session.record.standby?.current?.certificateId, session.record.standby?.next?.certificateId].filter((id): id is string => !!id);
        if (standbyIds.length > 0) {
          const api = session.services.certificates(token);
          const active = new Set((await api.list().catch(() => [])).filter((c) => !c.revoked).map((c) => c.certificateId));
          for (const id of standbyIds.filter((i) => active.has(i))) await api.revoke(id).catch(() => undefined);
        }
      }
      const tokens = session.record.authorization.tokens;
      if (tokens) {
        await session.services.authorization.revoke(tokens.refreshToken ?? tokens.accessToken);
        result.revokedTemporaryAccess = true;
      }
      await this.repo.remove(tenant);
      this.caches.delete(tenant);
      return result;
    });
  }

  /** health over M2M for a completed tenant; records when it ran and the last token. */
  testConnection(tenant: string): Promise<HealthResult> {
    return this.serialized(tenant, async () => {
      const session = await this.session(tenant);
      const token = await m2mAccessToken(session);
      const health = await session.services.restlet(token).get<HealthResult>(SCRIPTS.health.script, SCRIPTS.health.deploy);
      const at = session.nowIso();
      await session.commit((r) => {
        r.lastHealth = { at, ok: true, roleScriptId: health.roleScriptId };
      });
      return health;
    });
  }

  rotateCertificate(tenant: string): Promise<TenantView> {
    return this.serialized(tenant, async () => {
      const session = await this.session(tenant);
      await rotateTenantCertificate(session);
      return toView(session.record, this.clock.now());
    });
  }

  /**
   * Adds a standby certificate (a second mapping for the same record, role and entity) or renews it when
   * `renewDue` says so; a failure is kept on the record (`standby.problem`) and thrown. See standby.ts.
   */
  ensureStandby(tenant: string, o: StandbyOptions = {}): Promise<StandbyOutcome> {
    return this.serialized(tenant, async () => {
      const session = await this.session(tenant);
      try {
        return await ensureStandbyCertificate(session, o);
      } catch (err) {
        await recordStandbyProblem(session, err).catch(() => undefined);
        throw err;
      }
    });
  }

  /** Repair in place: the standby certificate becomes the primary when NetSuite still accepts it. See standby.ts. */
  promoteStandby(tenant: string): Promise<PromotionResult> {
    return this.serialized(tenant, async () => promoteStandbyCertificate(await this.session(tenant)));
  }

  /** Resolved secrets of a tenant, for building M2M clients in-process (CLI restlet/suiteql). Never print. */
  async credentials(tenant: string): Promise<TenantRecord> {
    const loaded = await this.repo.load(assertTenantName(tenant));
    if (!loaded) throw notFound(tenant);
    return loaded.record;
  }

  /** An M2M access token for a completed tenant (cached per process). */
  accessToken(tenant: string): Promise<string> {
    return this.serialized(tenant, async () => m2mAccessToken(await this.session(tenant)));
  }

  /** Drops the cached M2M token (after NetSuite answered 401 with it). */
  async invalidateAccessToken(tenant: string): Promise<void> {
    const cache = this.caches.get(tenant);
    if (cache) delete cache.m2m;
  }

  /** RESTlet, SuiteQL and certificate clients for a completed tenant, authenticated with its certificate. */
  async connect(tenant: string): Promise<TenantConnection> {
    const record = await this.credentials(tenant);
    if (!record.completedAt || !record.certificate?.certificateId) {
      throw new OnboardingError(`Tenant "${tenant}" has not finished onboarding.`, `Finish it with \`suitebridge onboard --tenant ${tenant} ...\` first.`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildConnection } = require('./connection') as typeof import('./connection');
    return buildConnection(
      record,
      { getAccessToken: () => this.accessToken(tenant), invalidate: () => this.invalidateAccessToken(tenant) },
      {
        fetch: this.fetchImpl,
        clock: this.clock,
        ...(this.observer ? { observer: this.observer } : {}),
        ...(this.connectionLimits.keepFreeShare !== undefined ? { keepFreeShare: this.connectionLimits.keepFreeShare } : {}),
        ...(this.connectionLimits.limiterFor ? { limiterFor: this.connectionLimits.limiterFor } : {}),
      },
    );
  }

  private emit(event: OnboardingEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not break the onboarding.
      }
    }
  }

  private async tenantForState(state: string | undefined): Promise<string> {
    if (state) {
      for (const tenant of await this.repo.tenants()) {
        const loaded = await this.repo.load(tenant);
        if (loaded?.record.authorization.pending?.state === state) return tenant;
      }
    }
    throw new AuthorizationError('STATE_MISMATCH', 'No tenant is waiting for this authorization callback.', {
      remedy: 'Start the onboarding again and use the newest authorization URL.',
    });
  }

  private async session(tenant: string): Promise<TenantSession> {
    const loaded = await this.repo.load(assertTenantName(tenant));
    if (!loaded) throw notFound(tenant);
    return this.sessionFrom(loaded.record, loaded.version);
  }

  private sessionFrom(record: TenantRecord, version: number): TenantSession {
    let cache = this.caches.get(record.tenant);
    if (!cache) this.caches.set(record.tenant, (cache = {}));
    return new TenantSession(record, version, this.repo, this.servicesFactory(record.settings), this.clock, (e) => this.emit(e), this.onCheckpoint, cache, this.activation, this.observer);
  }

  private serialized<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(tenant) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(tenant, settled);
    void settled.then(() => {
      if (this.queues.get(tenant) === settled) this.queues.delete(tenant);
    });
    return next;
  }

  private async runSteps(session: TenantSession, o: RunOptions): Promise<TenantView> {
    let callbackUrl = o.callbackUrl;
    for (let guard = 0; guard < 8; guard++) {
      const step = STEP_IDS.find((id) => session.record.steps[id].status !== 'done');
      if (!step) break;
      const started = this.clock.now();
      await this.setStep(session, step, { status: 'running', startedAt: new Date(started).toISOString() }, 'running');
      let outcome: StepOutcome;
      try {
        if (step === 'authorize' && callbackUrl) {
          const url = callbackUrl;
          callbackUrl = undefined;
          await acceptCallback(session, url);
        }
        outcome = await RUNNERS[step](session, o);
      } catch (err) {
        if (err instanceof ReauthorizationNeeded && step !== 'authorize') {
          await this.setStep(session, step, { status: 'pending' }, 'temporary access lost; authorizing again');
          await this.setStep(session, 'authorize', { status: 'pending' }, 'authorization needed again');
          continue;
        }
        const error = stepErrorOf(err);
        await this.setStep(session, step, { status: 'failed', startedAt: new Date(started).toISOString(), finishedAt: session.nowIso(), error }, error.message, this.clock.now() - started);
        return toView(session.record, this.clock.now());
      }
      if (outcome === 'waiting') {
        const summary = step === 'authorize' ? 'waiting for the administrator to authorize' : 'waiting for the bundle to be installed';
        await this.setStep(session, step, { status: 'waiting', startedAt: new Date(started).toISOString(), summary }, summary);
        return toView(session.record, this.clock.now());
      }
      const summary = SUMMARIES[step](session.record);
      await this.setStep(session, step, { status: 'done', startedAt: new Date(started).toISOString(), finishedAt: session.nowIso(), summary }, summary, this.clock.now() - started);
    }
    if (session.record.completedAt) this.emit({ type: 'completed', tenant: session.tenant, at: session.nowIso() });
    return toView(session.record, this.clock.now());
  }

  private async setStep(session: TenantSession, step: StepId, state: TenantRecord['steps'][StepId], summary: string, elapsedMs?: number): Promise<void> {
    const previous = session.record.steps[step];
    const same = previous.status === state.status && previous.summary === state.summary && JSON.stringify(previous.error) === JSON.stringify(state.error);
    if (!same || state.status === 'running') {
      await session.commit((r) => {
        r.steps[step] = state;
      });
    }
    const event: OnboardingEvent = { type: 'step', tenant: session.tenant, step, status: state.status, at: session.nowIso(), summary };
    if (elapsedMs !== undefined) event.elapsedMs = elapsedMs;
    if (state.error) event.error = state.error;
    this.emit(event);
  }
}

function notFound(tenant: string): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', `No tenant named "${tenant}".`, {
    field: 'tenant',
    remedy: 'List tenants with `suitebridge tenants list`, or onboard it with `suitebridge onboard`.',
  });
}
