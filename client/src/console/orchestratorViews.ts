import { redact } from '../redact';
import type { OnboardingEvent, StepId } from '../onboarding/types';
import type { TenantView as OrchestratorTenantView } from '../onboarding/view';
import type { OnboardingResultItem, OnboardingStatusView, ProgressEvent, StepNumber, StepView, TenantView } from './backend';
import { formatTime } from './format';

/** Pure mappings from the orchestrator's views and events to what the console pages show. */
export const STEP_NUMBER: Record<StepId, StepNumber> = { authorize: 1, bundle: 2, certificate: 3, finalize: 4 };
const STEP_ORDER: StepId[] = ['authorize', 'bundle', 'certificate', 'finalize'];

function elapsed(ms: number | undefined): string {
  return ms === undefined ? '' : ` (${ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`})`;
}

const STEP_EVENT_LEVEL = { pending: 'info', running: 'info', waiting: 'warn', done: 'ok', failed: 'error' } as const;

/** One line for the progress log; undefined for events the page does not show. */
export function eventToProgress(event: OnboardingEvent, now: number): ProgressEvent | undefined {
  const at = event.at ?? new Date(now).toISOString();
  switch (event.type) {
    case 'step':
      // 'running' and 'waiting' add nothing to the progress and waiting events that accompany them.
      if (event.status === 'running' || event.status === 'pending' || event.status === 'waiting') return undefined;
      return {
        at,
        step: STEP_NUMBER[event.step],
        level: STEP_EVENT_LEVEL[event.status],
        message: redact(`${event.status === 'failed' ? `Failed: ${event.error?.message ?? event.summary}` : event.summary}${elapsed(event.elapsedMs)}`),
      };
    case 'progress':
      return { at, step: STEP_NUMBER[event.step], level: 'info', message: redact(event.message) };
    case 'waiting':
      return event.reason === 'bundle'
        ? { at, step: 2, level: 'warn', message: `Waiting for the bundle: ${event.failedChecks.length} install check(s) failed` }
        : { at, step: 1, level: 'warn', message: 'Waiting for an administrator to sign in to NetSuite' };
    case 'completed':
      return { at, step: 4, level: 'ok', message: 'Onboarding complete' };
    default:
      return undefined;
  }
}

function stepViews(view: OrchestratorTenantView): StepView[] {
  return STEP_ORDER.map((id) => {
    const state = view.steps[id];
    return {
      step: STEP_NUMBER[id],
      state: state.status,
      ...(state.summary ? { detail: state.summary } : {}),
      ...(state.startedAt ? { startedAt: state.startedAt } : {}),
      ...(state.finishedAt ? { finishedAt: state.finishedAt } : {}),
    };
  });
}

function auditAsEvents(view: OrchestratorTenantView): ProgressEvent[] {
  return view.audit.map((entry) => ({
    at: entry.at,
    step: entry.step === 'tenant' ? 1 : STEP_NUMBER[entry.step],
    level: 'info' as const,
    message: redact(entry.detail),
  }));
}

function results(view: OrchestratorTenantView): OnboardingResultItem[] {
  const items: OnboardingResultItem[] = [];
  const add = (label: string, value: string | undefined): void => {
    if (value) items.push({ label, value });
  };
  add('Company', view.consent?.company);
  add('Account', view.account ? `${view.account.accountId} (${view.account.environment}, NetSuite ${view.account.version})` : view.accountId);
  add('Integration user', view.certificate?.entity !== undefined ? `Employee ${view.certificate.entity}` : undefined);
  add('Role', view.bundle?.appRole ? `${view.bundle.appRole.scriptId} (internal ID ${view.bundle.appRole.internalId})` : undefined);
  add('Certificate', view.certificate ? `${view.certificate.certificateId ?? '—'} · ${view.certificate.algorithm} · valid until ${formatTime(view.certificate.notAfter)}` : undefined);
  add('Machine-to-machine check', view.account ? `health ran as ${view.account.roleScriptId} (role ${view.account.roleId})` : undefined);
  add('Configuration', view.steps.finalize.summary);
  add('Temporary access', view.temporaryAccess === 'revoked' ? 'Revoked' : view.temporaryAccess === 'held' ? 'Still held' : 'None');
  add('Completed', view.completedAt ? formatTime(view.completedAt) : undefined);
  return items;
}

export function toStatusView(view: OrchestratorTenantView, events: ProgressEvent[]): OnboardingStatusView {
  const failed = STEP_ORDER.map((id) => view.steps[id]).find((s) => s.status === 'failed');
  const status: OnboardingStatusView = {
    tenant: view.tenant,
    accountId: view.accountId,
    steps: stepViews(view),
    events: events.length > 0 ? events : auditAsEvents(view),
    complete: view.status === 'completed',
    install: {
      bundleId: view.settings.bundleId,
      installUrl: view.settings.installUrl,
      checks: view.bundle?.checks.map((c) => ({ id: c.id, ok: c.ok, detail: c.detail, ...(c.remedy ? { remedy: c.remedy } : {}) })) ?? [],
      ...(view.bundle ? { ok: view.bundle.ok, checkedAt: view.bundle.checkedAt } : {}),
    },
  };
  if (view.settings.integrationEntity !== undefined) status.integrationEntity = view.settings.integrationEntity;
  if (view.consent) status.consentingEntity = view.consent.entity;
  if (failed?.error) status.error = { message: failed.error.message, ...(failed.error.remedy ? { remedy: failed.error.remedy } : {}) };
  if (status.complete) status.results = results(view);
  return status;
}

export function toTenantView(view: OrchestratorTenantView): TenantView {
  const entity = view.certificate?.entity ?? view.settings.integrationEntity ?? view.consent?.entity;
  const tenant: TenantView = {
    tenant: view.tenant,
    accountId: view.accountId,
    auditLog: view.audit.map((e) => ({ at: e.at, message: redact(`${e.step === 'tenant' ? 'Tenant' : `Step ${STEP_NUMBER[e.step]}`} · ${e.action}: ${e.detail}`) })),
  };
  if (view.account?.environment) tenant.environment = view.account.environment;
  if (view.consent?.company) tenant.companyName = view.consent.company;
  if (entity !== undefined) tenant.integrationUser = `Employee ${entity}`;
  if (view.bundle?.appRole) tenant.appRole = `${view.bundle.appRole.scriptId} (internal ID ${view.bundle.appRole.internalId})`;
  if (view.completedAt) tenant.onboardedAt = view.completedAt;
  if (view.certificate?.certificateId) {
    tenant.certificate = { certificateId: view.certificate.certificateId, algorithm: view.certificate.algorithm, validUntil: view.certificate.notAfter };
  }
  if (view.lastToken) tenant.lastTokenAt = view.lastToken.at;
  return tenant;
}
