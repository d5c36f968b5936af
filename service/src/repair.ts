import { TenantRepository, type KeyValueStore } from '../../client/src/onboarding/repository';
import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import type { StepId, TenantRecord } from '../../client/src/onboarding/types';
import { redact } from '../../client/src/redact';
import { checkTenantHealth, type HealthCheckDeps } from './healthCheck';
import type { TenantConnectionState } from './status';

export interface RepairDeps extends HealthCheckDeps {
  store: KeyValueStore;
}

export type RepairResult =
  | { outcome: 'healthy'; state: TenantConnectionState; revokedOldCertificate?: string; note?: string }
  | { outcome: 'consent_needed'; state: TenantConnectionState; authorizationUrl: string; why: string }
  | { outcome: 'bundle_needed'; state: TenantConnectionState; installUrl: string; why: string }
  | { outcome: 'not_repairable'; state: TenantConnectionState; why: string };

const REPAIR_KEY = 'suitebridge:service:repair:';

/**
 * Repair in place, keeping the tenant's ID, settings and audit log. needs_certificate: a new certificate, uploaded
 * with a credential that still works (the temporary authorization, if it is still live) or else after the customer
 * consents again (the link is returned). needs_reconsent: consent, bundle check and certificate again. Call again
 * after the customer acted: it finishes the steps, revokes the replaced certificate and checks health.
 */
export async function repairTenant(deps: RepairDeps, tenant: string): Promise<RepairResult> {
  const repo = new TenantRepository(deps.store);
  const inProgress = await deps.store.get(REPAIR_KEY + tenant);
  if (inProgress) return continueRepair(deps, repo, tenant, JSON.parse(inProgress.value) as PendingRepair);

  const state = await checkTenantHealth(deps, tenant);
  if (!state) return { outcome: 'not_repairable', state: (await deps.statuses.get(tenant)) as TenantConnectionState, why: `Tenant "${tenant}" has not finished onboarding; resume it with \`suitebridge onboard --tenant ${tenant}\`.` };
  if (state.status === 'healthy') return { outcome: 'healthy', state, note: 'Nothing to repair: the health check passed.' };
  if (state.status === 'degraded') return { outcome: 'not_repairable', state, why: `The cause is on NetSuite's side and passes by itself: ${state.reason}` };
  if (state.status === 'disconnected') return { outcome: 'not_repairable', state, why: `SuiteBridge cannot repair this alone: ${state.reason}. Check the integration record in the customer's account.` };

  const loaded = await repo.load(tenant);
  if (!loaded) throw new Error(`Tenant "${tenant}" vanished during repair.`);
  const record = loaded.record;
  const oldCertificateId = record.certificate?.certificateId;
  const temporaryAccessLive = !!record.authorization.tokens && !record.authorization.revokedAt;
  const redo: StepId[] = state.status === 'needs_reconsent' || !temporaryAccessLive ? ['authorize', 'bundle', 'certificate', 'finalize'] : ['certificate'];
  const pending: PendingRepair = { startedAt: new Date(deps.now()).toISOString(), status: state.status, redo, ...(oldCertificateId ? { oldCertificateId } : {}) };
  if (!(await deps.store.compareAndSwap(REPAIR_KEY + tenant, null, JSON.stringify(pending)))) {
    const again = await deps.store.get(REPAIR_KEY + tenant);
    return continueRepair(deps, repo, tenant, JSON.parse(again!.value) as PendingRepair);
  }
  const at = new Date(deps.now()).toISOString();
  const next: TenantRecord = structuredClone(record);
  for (const step of redo) next.steps[step] = { status: 'pending' };
  delete next.certificate;
  delete next.rotation;
  // Unfinished again until the redone steps pass: the sweep leaves it alone and the onboarding flow drives it.
  delete next.completedAt;
  if (redo.includes('authorize')) next.authorization = next.authorization.leftovers ? { leftovers: next.authorization.leftovers } : {};
  // The bundle is checked again, and the configuration records re-seeded from the tenant's settings (an uninstall drops them).
  if (redo.includes('bundle')) {
    delete next.bundle;
    delete next.finalize;
  }
  next.updatedAt = at;
  next.audit.push({ at, step: 'tenant', action: 'repair-started', detail: `${state.status}: ${redact(state.reason)}; redoing ${redo.join(', ')} (first completed ${record.completedAt ?? '?'})${oldCertificateId ? `; certificate ${oldCertificateId} to be replaced` : ''}` });
  await repo.save(next, loaded.version);
  return continueRepair(deps, repo, tenant, pending);
}

interface PendingRepair {
  startedAt: string;
  status: TenantConnectionState['status'];
  redo: StepId[];
  oldCertificateId?: string;
}

async function continueRepair(deps: RepairDeps, repo: TenantRepository, tenant: string, pending: PendingRepair): Promise<RepairResult> {
  const view = await deps.orchestrator.advance(tenant);
  const state = (await deps.statuses.get(tenant)) as TenantConnectionState;
  const why = pending.status === 'needs_reconsent'
    ? 'The customer changed the account (role, bundle or integration user); an administrator must consent again.'
    : 'No working credential remains to upload a new certificate; an administrator must consent again.';
  if (view.status === 'waiting_for_authorization') {
    return { outcome: 'consent_needed', state, authorizationUrl: await deps.orchestrator.authorizationUrl(tenant), why };
  }
  if (view.status === 'waiting_for_bundle') {
    return { outcome: 'bundle_needed', state, installUrl: (await repo.load(tenant))!.record.settings.installUrl, why: 'The SuiteBridge bundle is missing from the account; an administrator must install it.' };
  }
  if (view.status !== 'completed') {
    return { outcome: 'not_repairable', state, why: `The repair stopped while ${view.status}; \`suitebridge tenants show ${tenant}\` shows the failed step.` };
  }
  let revokedOldCertificate: string | undefined;
  let note: string | undefined;
  const record = (await repo.load(tenant))!.record;
  if (pending.oldCertificateId && pending.oldCertificateId !== record.certificate?.certificateId) {
    try {
      const connection = await deps.orchestrator.connect(tenant);
      const old = (await connection.certificates.list()).find((c) => c.certificateId === pending.oldCertificateId);
      if (old && !old.revoked) {
        await connection.certificates.revoke(old.certificateId);
        revokedOldCertificate = old.certificateId;
      }
    } catch (err) {
      note = `The replaced certificate ${pending.oldCertificateId} could not be revoked: ${redact(err instanceof Error ? err.message : String(err))}. Revoke it with \`suitebridge cert revoke\`.`;
    }
  }
  await deps.store.delete(REPAIR_KEY + tenant);
  const after = await checkTenantHealth(deps, tenant);
  return { outcome: 'healthy', state: after as TenantConnectionState, ...(revokedOldCertificate ? { revokedOldCertificate } : {}), ...(note ? { note } : {}) };
}
