import { isSuiteBridgeError } from '../errors';
import { redact } from '../redact';
import type { OnboardingOrchestrator } from '../onboarding/orchestrator';
import type { OnboardingEvent, StepError, TenantSettings } from '../onboarding/types';
import type { TenantView as OrchestratorTenantView } from '../onboarding/view';
import type {
  ActionOutcome,
  ConsoleBackend,
  OnboardingStatusView,
  ProgressEvent,
  StartAuthorizationResult,
  TenantSummary,
  TenantView,
} from './backend';
import { ConsoleInputError } from './inputError';
import { eventToProgress, toStatusView, toTenantView } from './orchestratorViews';

export type ConsoleOrchestrator = Pick<
  OnboardingOrchestrator,
  'on' | 'begin' | 'advance' | 'authorizationUrl' | 'submitCallback' | 'recheckBundle' | 'setIntegrationEntity' | 'get' | 'list' | 'testConnection' | 'rotateCertificate'
>;

/** The tenant settings the console takes as they are from its options and gives every tenant it creates. */
export type ConsoleTenantSettings = Pick<
  TenantSettings,
  'scopes' | 'bundleId' | 'bundleInstallUrl' | 'integrationEntity' | 'keyType' | 'baseUrl' | 'dangerouslyAllowInsecureHttp' | 'singleRecord' | 'refreshTokenValidityHours'
>;

/** What every tenant the console creates is set up with (from `startConsole` options). */
export interface ConsoleTenantDefaults extends ConsoleTenantSettings {
  authClient: { clientId: string; clientSecret?: string };
  ccClient?: { clientId: string; clientSecret?: string };
  redirectUri: string;
}

const MAX_EVENTS_PER_TENANT = 200;

function errorOf(err: unknown): StepError {
  const message = redact(err instanceof Error ? err.message : String(err));
  if (isSuiteBridgeError(err)) return { code: err.code, message, ...(err.remedy ? { remedy: redact(err.remedy) } : {}) };
  return { code: 'UNEXPECTED', message };
}

function bundleSettled(event: OnboardingEvent): boolean {
  if (event.type === 'completed') return true;
  if (event.type === 'waiting') return true;
  if (event.type !== 'step') return false;
  if (event.status === 'failed') return true;
  return event.step === 'bundle' && (event.status === 'done' || event.status === 'waiting');
}

function nextStepStartedOrSettled(event: OnboardingEvent): boolean {
  return bundleSettled(event) || (event.type === 'step' && event.status === 'running' && (event.step === 'certificate' || event.step === 'finalize'));
}

/** Adapts the onboarding orchestrator (docs/onboarding-api.md) to the console's display views. */
export class OrchestratorBackend implements ConsoleBackend {
  private readonly events = new Map<string, ProgressEvent[]>();
  /** Failures that happened outside a step (the orchestrator records step failures itself). */
  private readonly runErrors = new Map<string, StepError>();
  private readonly running = new Set<Promise<void>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly orchestrator: ConsoleOrchestrator,
    private readonly defaults: ConsoleTenantDefaults,
    private readonly clock: { now(): number },
  ) {
    this.unsubscribe = orchestrator.on((event) => this.record(event));
  }

  async startAuthorization(input: { accountId: string }): Promise<StartAuthorizationResult> {
    const settings: TenantSettings = { ...this.defaults, accountId: input.accountId };
    let view = await this.orchestrator.get(input.accountId);
    if (view && (view.status === 'completed' || view.steps.authorize.status === 'done')) return { kind: 'resume', tenant: view.tenant };
    if (!view) {
      view = await this.orchestrator.begin(settings);
    } else if (view.steps.bundle.status === 'pending' && !view.audit.some((a) => a.action === 'repair-started')) {
      // Nothing after consent has happened yet, so starting over loses nothing and adopts this console's settings.
      // A tenant under repair (`suitebridge tenants repair`, the Repair button) keeps its record and audit log instead.
      view = await this.orchestrator.begin(settings, { restart: true });
    } else if (view.settings.redirectUri !== this.defaults.redirectUri) {
      throw new ConsoleInputError(
        `Account ${input.accountId} is being onboarded elsewhere (its sign-in returns to ${view.settings.redirectUri}).`,
        `Finish it where it was started (\`suitebridge onboard\`), or discard it with \`suitebridge tenants remove ${view.tenant}\` and connect again here.`,
        'account',
      );
    }
    const url = await this.orchestrator.authorizationUrl(view.tenant);
    const state = new URL(url).searchParams.get('state') ?? '';
    this.runErrors.delete(view.tenant);
    return { kind: 'authorize', tenant: view.tenant, url, state };
  }

  completeAuthorization(input: { tenant: string; callbackUrl: string }): Promise<void> {
    return this.runUntil(input.tenant, () => this.orchestrator.submitCallback(input.callbackUrl, input.tenant), bundleSettled);
  }

  async recheckInstall(tenant: string, options: { integrationEntity?: number }): Promise<void> {
    if (options.integrationEntity !== undefined) await this.orchestrator.setIntegrationEntity(tenant, options.integrationEntity);
    return this.runUntil(tenant, () => this.orchestrator.recheckBundle(tenant), bundleSettled);
  }

  async retry(tenant: string, options: { integrationEntity?: number } = {}): Promise<void> {
    if (options.integrationEntity !== undefined) await this.orchestrator.setIntegrationEntity(tenant, options.integrationEntity);
    return this.runUntil(tenant, () => this.orchestrator.advance(tenant), nextStepStartedOrSettled);
  }

  async status(tenant: string): Promise<OnboardingStatusView | undefined> {
    const view = await this.orchestrator.get(tenant);
    if (!view) return undefined;
    const status = toStatusView(view, this.events.get(tenant) ?? []);
    const runError = this.runErrors.get(tenant);
    if (!status.error && runError) status.error = { message: runError.message, ...(runError.remedy ? { remedy: runError.remedy } : {}) };
    return status;
  }

  async listTenants(): Promise<TenantSummary[]> {
    return (await this.orchestrator.list()).map((t) => ({
      tenant: t.tenant,
      accountId: t.accountId,
      complete: t.status === 'completed',
      ...(t.certificateNotAfter ? { certificateValidUntil: t.certificateNotAfter } : {}),
    }));
  }

  async tenant(tenant: string): Promise<TenantView | undefined> {
    const view = await this.getIfValid(tenant);
    return view ? toTenantView(view) : undefined;
  }

  async rotateCertificate(tenant: string): Promise<ActionOutcome> {
    try {
      const view = await this.orchestrator.rotateCertificate(tenant);
      const cert = view.certificate;
      return {
        ok: true,
        message: `Certificate rotated: ${cert?.certificateId ?? 'the new certificate'} (${cert?.algorithm ?? ''}) is active until ${cert?.notAfter.slice(0, 10) ?? '?'}; the previous one was revoked.`,
      };
    } catch (err) {
      return this.failure('Rotation failed, the current certificate stays active', err);
    }
  }

  async testConnection(tenant: string): Promise<ActionOutcome> {
    try {
      const health = await this.orchestrator.testConnection(tenant);
      return {
        ok: true,
        message: `Connection works: health ran as ${health.roleScriptId} (role ${health.roleId}) for employee ${health.userId} in account ${health.accountId} (${health.environment}); ${health.remainingUsage} usage units left.`,
      };
    } catch (err) {
      return this.failure('Connection test failed', err);
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
    this.unsubscribe();
  }

  private failure(what: string, err: unknown): ActionOutcome {
    const error = errorOf(err);
    return { ok: false, message: `${what}: ${error.message}`, ...(error.remedy ? { remedy: error.remedy } : {}) };
  }

  /** Tenant names come from the URL: an invalid one is simply "not found", not an error page. */
  private async getIfValid(tenant: string): Promise<OrchestratorTenantView | undefined> {
    try {
      return await this.orchestrator.get(tenant);
    } catch (err) {
      if (isSuiteBridgeError(err) && err.code === 'INVALID_ARGUMENT') return undefined;
      throw err;
    }
  }

  private record(event: OnboardingEvent): void {
    const progress = eventToProgress(event, this.clock.now());
    if (!progress) return;
    const list = this.events.get(event.tenant) ?? [];
    list.push(progress);
    if (list.length > MAX_EVENTS_PER_TENANT) list.splice(0, list.length - MAX_EVENTS_PER_TENANT);
    this.events.set(event.tenant, list);
  }

  /**
   * Starts orchestrator work without waiting for all of it: resolves when `settled` sees an event (or the
   * work ends), so the browser gets its next page while later steps keep running and show up in `status`.
   */
  private runUntil(tenant: string, work: () => Promise<unknown>, settled: (event: OnboardingEvent) => boolean): Promise<void> {
    this.runErrors.delete(tenant);
    return new Promise<void>((resolve) => {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        stopListening();
        resolve();
      };
      const stopListening = this.orchestrator.on((event) => {
        if (event.tenant === tenant && settled(event)) finish();
      });
      const run = work()
        .then(() => undefined, (err: unknown) => {
          this.runErrors.set(tenant, errorOf(err));
        })
        .finally(() => {
          this.running.delete(run);
          finish();
        });
      this.running.add(run);
    });
  }
}
