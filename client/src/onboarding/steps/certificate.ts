import { TokenEndpointError } from '../../errors';
import { OnboardingError } from '../errors';
import { m2mAccessToken, mintWithNewCertificate, remember } from '../m2m';
import { SCRIPTS, type HealthResult, type SetupResponse } from '../services';
import type { TenantSession } from '../session';
import { temporaryAccessToken } from '../temporaryAccess';
import type { AppRole, CertificateState } from '../types';
import type { StepOutcome } from './authorize';
import { integrationEntityOf } from './bundle';

/** Step 3, long-term access: key + certificate, app role for the integration user, upload, verify over M2M. */
export async function runCertificate(session: TenantSession): Promise<StepOutcome> {
  const appRole = session.record.bundle?.appRole;
  if (!appRole) throw new OnboardingError('The app role internal ID is unknown.', 'Run step 2 (bundle check) again after installing the bundle.');
  const entity = integrationEntityOf(session);
  if (entity === undefined) throw new OnboardingError('No integration user is known.', 'Complete step 1 or pass --entity.');
  await ensureKey(session);
  await ensureRole(session, entity, appRole);
  await ensureUploaded(session, entity, appRole);
  await verifyM2M(session, entity, appRole);
  return 'done';
}

/**
 * A new key pair and self-signed certificate from the tenant's settings, as the record stores them (onboarding and
 * rotation alike). The caller persists it before the certificate leaves this process.
 */
export async function generateTenantKey(
  session: TenantSession,
): Promise<Pick<CertificateState, 'privateKeyPem' | 'certificatePem' | 'sha256Fingerprint' | 'algorithm' | 'notAfter'>> {
  const s = session.record.settings;
  const generated = await session.services.generateCertificate({
    keyType: s.keyType,
    validityDays: s.certificateValidityDays,
    commonName: `SuiteBridge ${s.tenant} (${s.accountId})`,
  });
  return {
    privateKeyPem: generated.privateKeyPem,
    certificatePem: generated.certificatePem,
    sha256Fingerprint: generated.sha256Fingerprint,
    algorithm: generated.algorithm,
    notAfter: generated.notAfter.toISOString(),
  };
}

async function ensureKey(session: TenantSession): Promise<void> {
  if (session.record.certificate) return;
  const s = session.record.settings;
  const key = await generateTenantKey(session);
  // The private key is persisted before the certificate leaves this process: an uploaded certificate
  // whose key was lost could never be used.
  await session.commit(
    (r) => {
      r.certificate = { ...key, createdAt: session.nowIso() };
    },
    { step: 'certificate', action: 'key-generated', detail: `${s.keyType} key and certificate generated (SHA-256 ${key.sha256Fingerprint}, valid until ${key.notAfter})` },
  );
  session.progress('certificate', 'key-generated', `Generated an ${s.keyType} key pair and a self-signed certificate.`);
  session.checkpoint('certificate:key-saved');
}

async function ensureRole(session: TenantSession, entity: number, appRole: AppRole): Promise<void> {
  const assigned = session.record.certificate?.roleAssignment;
  if (assigned && session.record.certificate?.entity === entity) return;
  const token = await temporaryAccessToken(session);
  const result = await session.services.restlet(token).post<SetupResponse>(SCRIPTS.setup.script, SCRIPTS.setup.deploy, { entity });
  session.checkpoint('certificate:role-assigned');
  if (result.roleId !== appRole.internalId) {
    throw new OnboardingError(
      `setup gave entity ${entity} role ${result.roleId}, but install_check reported the app role as ${appRole.internalId}.`,
      'Re-run the bundle check; if it persists, reinstall the bundle.',
    );
  }
  await session.commit(
    (r) => {
      const cert = r.certificate;
      if (!cert) return;
      cert.entity = entity;
      cert.role = appRole.internalId;
      cert.roleAssignment = { roleId: result.roleId, changed: result.changed, at: session.nowIso() };
    },
    {
      step: 'certificate',
      action: 'role-assigned',
      detail: result.changed ? `app role ${appRole.scriptId} (${appRole.internalId}) given to entity ${entity}` : `entity ${entity} already held app role ${appRole.scriptId} (${appRole.internalId})`,
    },
  );
  session.progress('certificate', 'role-assigned', `Integration user ${entity} holds the app role.`);
}

async function ensureUploaded(session: TenantSession, entity: number, appRole: AppRole): Promise<void> {
  const cert = session.record.certificate;
  if (!cert || cert.certificateId) return;
  const api = session.services.certificates(await temporaryAccessToken(session));
  const existing = await api.list();
  if (!cert.knownIdsBeforeUpload) {
    const known = existing.map((c) => c.certificateId);
    await session.commit((r) => {
      if (r.certificate) r.certificate.knownIdsBeforeUpload = known;
    });
  } else if (await adoptEarlierUpload(session, existing)) {
    return;
  }
  const uploaded = await api.upload({ certificatePem: cert.certificatePem, role: appRole.internalId, entity });
  session.checkpoint('certificate:uploaded');
  await session.commit(
    (r) => {
      if (!r.certificate) return;
      r.certificate.certificateId = uploaded.certificateId;
      r.certificate.uploadedAt = session.nowIso();
    },
    { step: 'certificate', action: 'certificate-uploaded', detail: `certificate ${uploaded.certificateId} mapped to role ${appRole.internalId}, entity ${entity}, client ${session.record.settings.ccClient.clientId}` },
  );
  session.progress('certificate', 'certificate-uploaded', `Uploaded certificate ${uploaded.certificateId}.`);
  session.checkpoint('certificate:id-saved');
}

/**
 * After a crash between upload and recording, our certificate is an active one that was not there before.
 * A token minted with its ID and our private key proves it is ours (NetSuite checks the signature).
 */
async function adoptEarlierUpload(session: TenantSession, listed: { certificateId: string; revoked: boolean }[]): Promise<boolean> {
  const cert = session.record.certificate;
  if (!cert?.knownIdsBeforeUpload) return false;
  const known = new Set(cert.knownIdsBeforeUpload);
  for (const candidate of listed.filter((c) => !c.revoked && !known.has(c.certificateId))) {
    let tokens;
    try {
      tokens = await mintWithNewCertificate(session, candidate.certificateId, cert.privateKeyPem);
    } catch (err) {
      if (err instanceof TokenEndpointError) continue;
      throw err;
    }
    remember(session, tokens, candidate.certificateId);
    await session.commit(
      (r) => {
        if (!r.certificate) return;
        r.certificate.certificateId = candidate.certificateId;
        r.certificate.uploadedAt = session.nowIso();
        r.certificate.adopted = true;
      },
      { step: 'certificate', action: 'certificate-adopted', detail: `certificate ${candidate.certificateId} (uploaded before an interruption) verified with our key and adopted` },
    );
    session.progress('certificate', 'certificate-adopted', `Adopted certificate ${candidate.certificateId} uploaded before the interruption.`);
    return true;
  }
  return false;
}

export function sameRole(health: Pick<HealthResult, 'roleId' | 'roleScriptId'>, appRole: AppRole): boolean {
  return health.roleId === appRole.internalId && health.roleScriptId.toLowerCase() === appRole.scriptId.toLowerCase();
}

async function verifyM2M(session: TenantSession, entity: number, appRole: AppRole): Promise<void> {
  const cert = session.record.certificate;
  if (!cert?.certificateId || cert.verifiedAt) return;
  if (session.cache.m2m?.certificateId !== cert.certificateId) {
    remember(session, await mintWithNewCertificate(session, cert.certificateId, cert.privateKeyPem), cert.certificateId);
  }
  const token = await m2mAccessToken(session);
  session.checkpoint('certificate:token-minted');
  session.progress('certificate', 'm2m-token', 'Minted a client-credentials token with the new certificate.');
  const health = await session.services.restlet(token).get<HealthResult>(SCRIPTS.health.script, SCRIPTS.health.deploy);
  if (!sameRole(health, appRole)) {
    throw new OnboardingError(
      `The M2M token runs as role ${health.roleScriptId} (${health.roleId}), not the app role ${appRole.scriptId} (${appRole.internalId}).`,
      'Check the certificate mapping (Setup > Integration > OAuth 2.0 Client Credentials Setup): it must use the app role.',
    );
  }
  if (health.userId !== entity) {
    throw new OnboardingError(
      `The M2M token runs as user ${health.userId}, not the integration user ${entity}.`,
      'Check the certificate mapping: it must name the integration user chosen for this tenant.',
    );
  }
  const minted = session.cache.m2m;
  const at = session.nowIso();
  await session.commit(
    (r) => {
      if (r.certificate) r.certificate.verifiedAt = at;
      if (minted) r.lastToken = { at, expiresAt: new Date(minted.expiresAt).toISOString(), certificateId: minted.certificateId };
      r.lastHealth = { at, ok: true, roleScriptId: health.roleScriptId };
    },
    { step: 'certificate', action: 'm2m-verified', detail: `client-credentials token for certificate ${cert.certificateId}; health runs as ${health.roleScriptId} (${health.roleId}), user ${health.userId}` },
  );
  session.progress('certificate', 'health', `health over M2M runs as ${health.roleScriptId}.`);
  session.checkpoint('certificate:done');
}
