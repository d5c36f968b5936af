import { TenantRepository, type KeyValueStore } from '../../client/src/onboarding/repository';
import type { OnboardingOrchestrator } from '../../client/src/onboarding/orchestrator';
import type { StepId, TenantRecord } from '../../client/src/onboarding/types';
import { NetSuiteApiError } from '../../client/src/errors';
import { redact } from '../../client/src/redact';
import { checkTenantHealth, type HealthCheckDeps } from './healthCheck';
import { keepStandby } from './standby';
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
 * Repair in place, keeping the tenant's ID, settings and audit log. needs_certificate: first the standby certificate
 * (standby.ts), which becomes the primary when NetSuite still accepts it, and a fresh standby is uploaded with it: no
 * customer action. Else a new certificate, uploaded with a credential that still works (the temporary authorization,
 * if it is still live) or after the customer consents again (the link is returned); a sandbox refresh, which wipes
 * every mapping, always ends here. needs_reconsent: consent, bundle check and certificate again. Call again after the
 * customer acted: it finishes the steps, revokes the replaced certificates and checks health.
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

  let standbyWhy: string | undefined;
  if (state.status === 'needs_certificate' && deps.standbyCertificate !== false) {
    const inPlace = await repairWithStandby(deps, tenant, state);
    if ('outcome' in inPlace) return inPlace;
    standbyWhy = inPlace.why;
  }

  const loaded = await repo.load(tenant);
  if (!loaded) throw new Error(`Tenant "${tenant}" vanished during repair.`);
  const record = loaded.record;
  const oldCertificateId = record.certificate?.certificateId;
  const temporaryAccessLive = !!record.authorization.tokens && !record.authorization.revokedAt;
  const redo: StepId[] = state.status === 'needs_reconsent' || !temporaryAccessLive ? ['authorize', 'bundle', 'certificate', 'finalize'] : ['certificate'];
  const oldStandbyId = record.standby?.current?.certificateId ?? record.standby?.next?.certificateId;
  const pending: PendingRepair = {
    startedAt: new Date(deps.now()).toISOString(), status: state.status, redo,
    ...(oldCertificateId ? { oldCertificateId } : {}), ...(oldStandbyId ? { oldStandbyId } : {}), ...(standbyWhy ? { standbyWhy } : {}),
  };
  if (!(await deps.store.compareAndSwap(REPAIR_KEY + tenant, null, JSON.stringify(pending)))) {
    const again = await deps.store.get(REPAIR_KEY + tenant);
    return continueRepair(deps, repo, tenant, JSON.parse(again!.value) as PendingRepair);
  }
  const at = new Date(deps.now()).toISOString();
  const next: TenantRecord = structuredClone(record);
  for (const step of redo) next.steps[step] = { status: 'pending' };
  delete next.certificate;
  delete next.rotation;
  // The standby failed too (or there is none): a new one is added once the tenant works again.
  delete next.standby;
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
  oldStandbyId?: string;
  /** Why the standby certificate could not repair it (shown with the consent link). */
  standbyWhy?: string;
}

/**
 * The standby certificate promoted to primary, health checked, a new standby uploaded. `{ why }` when the standby
 * cannot do it (none, refused too, wrong role, a NetSuite refusal on the health RESTlet): the consent path follows.
 */
async function repairWithStandby(deps: RepairDeps, tenant: string, state: TenantConnectionState): Promise<RepairResult | { why: string }> {
  let promotion;
  try {
    promotion = await deps.orchestrator.promoteStandby(tenant);
  } catch (err) {
    const message = redact(err instanceof Error ? err.message : String(err));
    if (err instanceof NetSuiteApiError && err.status < 500 && err.status !== 429) return { why: `the standby certificate's token was refused by the health RESTlet (${message})` };
    return { outcome: 'not_repairable', state, why: `The standby certificate could not be tried (${message}); NetSuite may be unavailable. Run the repair again later.` };
  }
  if (!promotion.promoted) return { why: promotion.why };
  const after = (await checkTenantHealth(deps, tenant)) as TenantConnectionState;
  if (after.status !== 'healthy') {
    return { outcome: 'not_repairable', state: after, why: `The standby certificate ${promotion.to} is now in use, but the health check still fails: ${after.reason}` };
  }
  const notes = [
    `Repaired in place, no customer action: standby certificate ${promotion.to} is now in use; ${promotion.from} ${promotion.revokedOld ? 'was revoked' : 'was already revoked or gone at NetSuite'}.`,
  ];
  if (promotion.note) notes.push(promotion.note);
  const standby = await keepStandby(deps, tenant);
  if ('failed' in standby) notes.push(`A new standby certificate could not be added (${standby.failed}); the next sweep tries again.`);
  else if ('certificateId' in standby) notes.push(`New standby certificate ${standby.certificateId}.`);
  return { outcome: 'healthy', state: after, ...(promotion.revokedOld ? { revokedOldCertificate: promotion.from } : {}), note: notes.join(' ') };
}

async function continueRepair(deps: RepairDeps, repo: TenantRepository, tenant: string, pending: PendingRepair): Promise<RepairResult> {
  const view = await deps.orchestrator.advance(tenant);
  const state = (await deps.statuses.get(tenant)) as TenantConnectionState;
  const why = pending.status === 'needs_reconsent'
    ? 'The customer changed the account (role, bundle or integration user); an administrator must consent again.'
    : `No working credential remains to upload a new certificate${pending.standbyWhy ? ` (${pending.standbyWhy})` : ''}; an administrator must consent again.`;
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
  const notes: string[] = [];
  const record = (await repo.load(tenant))!.record;
  const replaced = [pending.oldCertificateId, pending.oldStandbyId].filter((id): id is string => !!id && id !== record.certificate?.certificateId);
  if (replaced.length > 0) {
    try {
      const connection = await deps.orchestrator.connect(tenant);
      const listed = await connection.certificates.list();
      for (const id of replaced) {
        const old = listed.find((c) => c.certificateId === id);
        if (!old || old.revoked) continue;
        await connection.certificates.revoke(old.certificateId);
        if (id === pending.oldCertificateId) revokedOldCertificate = id;
        else notes.push(`The old standby certificate ${id} was revoked.`);
      }
    } catch (err) {
      notes.push(`The replaced certificates (${replaced.join(', ')}) could not all be revoked: ${redact(err instanceof Error ? err.message : String(err))}. Revoke them with \`suitebridge cert revoke\`.`);
    }
  }
  await deps.store.delete(REPAIR_KEY + tenant);
  const after = await checkTenantHealth(deps, tenant);
  if (after?.status === 'healthy') {
    const standby = await keepStandby(deps, tenant);
    if ('failed' in standby) notes.push(`A standby certificate could not be added (${standby.failed}); the next sweep tries again.`);
  }
  const note = notes.join(' ');
  return { outcome: 'healthy', state: after as TenantConnectionState, ...(revokedOldCertificate ? { revokedOldCertificate } : {}), ...(note ? { note } : {}) };
}
