import { TokenEndpointError } from '../errors';
import { redact } from '../redact';
import { OnboardingError } from './errors';
import { m2mAccessToken, mintWithNewCertificate, remember } from './m2m';
import { uploadedBeforeCrash } from './interruptedUpload';
import { SCRIPTS, type CertificateCalls, type HealthResult } from './services';
import type { TenantSession } from './session';
import { generateTenantKey, sameRole } from './steps/certificate';
import type { AppRole, CertificateState } from './types';

type StandbyCertificate = Omit<CertificateState, 'previous' | 'roleAssignment'>;

export interface StandbyOptions {
  /** True when the verified standby should be replaced now (e.g. half its validity gone). Default: never. */
  renewDue?: (standby: { createdAt: string; notAfter: string }) => boolean;
  /**
   * Look the verified standby up in NetSuite's list at most this often (one list call); one found revoked or gone (an
   * administrator tidying up "unused" certificates) is replaced. Default: never.
   */
  checkEveryMs?: number;
}

export interface StandbyOutcome {
  certificateId: string;
  notAfter: string;
  /** Set when this call added or renewed the standby. */
  changed?: 'added' | 'renewed';
}

export type PromotionResult =
  | { promoted: true; from: string; to: string; revokedOld: boolean; note?: string }
  | { promoted: false; why: string };

function completedParts(session: TenantSession): { appRole: AppRole; entity: number; primaryId: string } {
  const cert = session.record.certificate;
  const appRole = session.record.bundle?.appRole;
  if (!session.record.completedAt || !cert?.certificateId || cert.entity === undefined || !appRole) {
    throw new OnboardingError(`Tenant "${session.tenant}" has not finished onboarding.`, 'Finish the onboarding (`suitebridge onboard`) first.');
  }
  return { appRole, entity: cert.entity, primaryId: cert.certificateId };
}

/**
 * Makes sure the tenant has a verified standby certificate: a second key and certificate mapped to the same
 * integration record, role and entity through the certificate rotation endpoint, with the primary certificate's M2M
 * token (Oracle: any token with rest_webservices, for a role with "Manage own OAuth 2.0 Client Credentials
 * certificates"). Resumable like rotation: the key is persisted before the upload, an upload whose answer was lost is
 * adopted. A replaced standby is revoked once its successor is verified.
 */
export async function ensureStandbyCertificate(session: TenantSession, o: StandbyOptions = {}): Promise<StandbyOutcome> {
  const { appRole, entity } = completedParts(session);
  const api = session.services.certificates(await m2mAccessToken(session));
  await revokeReplaced(session, api);
  await dropIfGone(session, api, o.checkEveryMs);
  const current = session.record.standby?.current;
  const renew = !!current?.verifiedAt && !!o.renewDue?.({ createdAt: current.createdAt, notAfter: current.notAfter });
  if (current?.certificateId && current.verifiedAt && !session.record.standby?.next && !renew) {
    return { certificateId: current.certificateId, notAfter: current.notAfter };
  }
  if (!session.record.standby?.next) {
    const key = await generateTenantKey(session);
    await session.commit(
      (r) => {
        r.standby = { ...r.standby, next: { ...key, createdAt: session.nowIso(), entity, role: appRole.internalId } };
      },
      { step: 'tenant', action: 'standby-key-generated', detail: `standby ${session.record.settings.keyType} key and certificate (SHA-256 ${key.sha256Fingerprint}, valid until ${key.notAfter})` },
    );
  }
  await uploadNext(session, api, entity, appRole);
  const next = session.record.standby?.next as StandbyCertificate & { certificateId: string };
  const tokens = await mintWithNewCertificate(session, next.certificateId, next.privateKeyPem);
  const health = await session.services.restlet(tokens.accessToken).get<HealthResult>(SCRIPTS.health.script, SCRIPTS.health.deploy);
  if (!sameRole(health, appRole) || health.userId !== entity) {
    throw new OnboardingError(
      `The standby certificate's token runs as ${health.roleScriptId} (user ${health.userId}), not the app role ${appRole.scriptId} (user ${entity}).`,
      'Check the certificate mappings in NetSuite (Setup > Integration > OAuth 2.0 Client Credentials Setup).',
    );
  }
  const replaced = session.record.standby?.current?.certificateId;
  const at = session.nowIso();
  await session.commit(
    (r) => {
      const s = r.standby ?? {};
      const previous = [...(s.previous ?? []), ...(replaced ? [{ certificateId: replaced }] : [])];
      r.standby = { current: { ...next, verifiedAt: at }, checkedAt: at, ...(previous.length ? { previous } : {}) };
    },
    {
      step: 'tenant',
      action: 'standby-verified',
      detail: `standby certificate ${next.certificateId} mapped and verified (health as ${health.roleScriptId})${replaced ? `; replaces standby ${replaced}` : ''}`,
    },
  );
  await revokeReplaced(session, api);
  return { certificateId: next.certificateId, notAfter: next.notAfter, changed: replaced ? 'renewed' : 'added' };
}

async function dropIfGone(session: TenantSession, api: CertificateCalls, checkEveryMs: number | undefined): Promise<void> {
  const s = session.record.standby;
  const id = s?.current?.verifiedAt ? s.current.certificateId : undefined;
  if (!id || checkEveryMs === undefined) return;
  const checkedAt = Date.parse(s?.checkedAt ?? s?.current?.verifiedAt ?? '');
  if (session.clock.now() - checkedAt < checkEveryMs) return;
  const row = (await api.list()).find((c) => c.certificateId === id);
  const at = session.nowIso();
  if (row && !row.revoked) {
    await session.commit((r) => {
      if (r.standby) r.standby.checkedAt = at;
    });
    return;
  }
  await session.commit(
    (r) => {
      const previous = [...(r.standby?.previous ?? []), { certificateId: id, revokedAt: at }];
      r.standby = { ...r.standby, previous };
      delete r.standby.current;
      delete r.standby.checkedAt;
    },
    { step: 'tenant', action: 'standby-lost', detail: `standby certificate ${id} is ${row ? 'revoked' : 'gone'} at NetSuite; a new one is added` },
  );
}

async function uploadNext(session: TenantSession, api: CertificateCalls, entity: number, appRole: AppRole): Promise<void> {
  const next = session.record.standby?.next;
  if (!next || next.certificateId) return;
  const adopted = await uploadedBeforeCrash(session, api, next, (known) => session.commit((r) => {
    if (r.standby?.next) r.standby.next.knownIdsBeforeUpload = known;
  }));
  if (adopted) {
    await session.commit(
      (r) => {
        if (r.standby?.next) Object.assign(r.standby.next, { certificateId: adopted, uploadedAt: session.nowIso(), adopted: true });
      },
      { step: 'tenant', action: 'standby-certificate-adopted', detail: `standby certificate ${adopted} adopted after an interruption` },
    );
    return;
  }
  const uploaded = await api.upload({ certificatePem: next.certificatePem, role: appRole.internalId, entity });
  await session.commit(
    (r) => {
      if (r.standby?.next) Object.assign(r.standby.next, { certificateId: uploaded.certificateId, uploadedAt: session.nowIso() });
    },
    { step: 'tenant', action: 'standby-certificate-uploaded', detail: `standby certificate ${uploaded.certificateId} uploaded for role ${appRole.internalId}, entity ${entity}` },
  );
}

async function revokeReplaced(session: TenantSession, api: CertificateCalls): Promise<void> {
  const pending = (session.record.standby?.previous ?? []).filter((p) => !p.revokedAt);
  if (pending.length === 0) return;
  const listed = await api.list();
  for (const old of pending) {
    const row = listed.find((c) => c.certificateId === old.certificateId);
    if (row && !row.revoked) await api.revoke(old.certificateId);
    await session.commit(
      (r) => {
        const entry = r.standby?.previous?.find((p) => p.certificateId === old.certificateId);
        if (entry) entry.revokedAt = session.nowIso();
      },
      { step: 'tenant', action: 'standby-revoked', detail: row && !row.revoked ? `replaced standby ${old.certificateId} revoked` : `replaced standby ${old.certificateId} was already revoked or gone at NetSuite` },
    );
  }
}

/** Keeps why the standby could not be added or renewed, once per distinct message (no audit flood from hourly sweeps). */
export async function recordStandbyProblem(session: TenantSession, err: unknown): Promise<void> {
  const message = redact(err instanceof Error ? err.message : String(err));
  if (session.record.standby?.problem?.message === message) return;
  await session.commit(
    (r) => {
      r.standby = { ...r.standby, problem: { at: session.nowIso(), message } };
    },
    { step: 'tenant', action: 'standby-failed', detail: message },
  );
}

/** A refusal from the token endpoint itself (not an outage): the certificate does not work. */
function refused(err: unknown): err is TokenEndpointError {
  return err instanceof TokenEndpointError && err.status < 500 && err.status !== 429 && !err.error.startsWith('http_');
}

/**
 * Repair in place: when the primary certificate no longer works, the standby (if NetSuite still accepts it and its
 * token runs as the app role) becomes the primary; the failing certificate is revoked if NetSuite still lists it
 * active. No customer action. Returns why not when the standby is missing or refused too (a sandbox refresh wipes
 * every mapping): the caller then falls back to the customer's consent. An outage throws (try again later).
 */
export async function promoteStandbyCertificate(session: TenantSession): Promise<PromotionResult> {
  const { appRole, entity, primaryId } = completedParts(session);
  const standby = session.record.standby?.current;
  if (!standby?.certificateId || !standby.verifiedAt) return { promoted: false, why: 'the tenant has no verified standby certificate' };
  const standbyId = standby.certificateId;
  let tokens;
  try {
    tokens = await session.services.clientCredentialsToken({ certificateId: standbyId, privateKeyPem: standby.privateKeyPem });
  } catch (err) {
    if (refused(err)) return { promoted: false, why: `NetSuite refused the standby certificate ${standbyId} too (${err.error}): revoked, expired or its mapping is gone` };
    throw err;
  }
  const health = await session.services.restlet(tokens.accessToken).get<HealthResult>(SCRIPTS.health.script, SCRIPTS.health.deploy);
  if (!sameRole(health, appRole) || health.userId !== entity) {
    return { promoted: false, why: `the standby certificate's token runs as ${health.roleScriptId} (user ${health.userId}), not the app role ${appRole.scriptId} (user ${entity})` };
  }
  const at = session.nowIso();
  await session.commit(
    (r) => {
      const old = r.certificate as CertificateState;
      r.certificate = {
        ...standby,
        certificateId: standbyId,
        entity,
        role: appRole.internalId,
        verifiedAt: at,
        previous: [...(old.previous ?? []), { certificateId: primaryId }],
        roleAssignment: old.roleAssignment ?? { roleId: appRole.internalId, changed: false, at },
      };
      const s = r.standby ?? {};
      delete s.current;
      r.standby = s;
      r.lastToken = { at, expiresAt: new Date(tokens.expiresAt).toISOString(), certificateId: standbyId };
      r.lastHealth = { at, ok: true, roleScriptId: health.roleScriptId };
    },
    { step: 'tenant', action: 'standby-promoted', detail: `certificate ${primaryId} no longer works; standby certificate ${standbyId} verified (health as ${health.roleScriptId}) and now in use` },
  );
  remember(session, tokens, standbyId);
  try {
    const api = session.services.certificates(tokens.accessToken);
    const row = (await api.list()).find((c) => c.certificateId === primaryId);
    const revokeNow = !!row && !row.revoked;
    if (revokeNow) await api.revoke(primaryId);
    await session.commit(
      (r) => {
        const entry = r.certificate?.previous?.find((p) => p.certificateId === primaryId);
        if (entry) entry.revokedAt = session.nowIso();
      },
      { step: 'tenant', action: 'certificate-revoked', detail: revokeNow ? `failing certificate ${primaryId} revoked` : `failing certificate ${primaryId} was already revoked or gone at NetSuite` },
    );
    return { promoted: true, from: primaryId, to: standbyId, revokedOld: revokeNow };
  } catch (err) {
    const note = `The failing certificate ${primaryId} could not be revoked: ${redact(err instanceof Error ? err.message : String(err))}. The next rotation tries again, or revoke it with \`suitebridge cert revoke\`.`;
    return { promoted: true, from: primaryId, to: standbyId, revokedOld: false, note };
  }
}
