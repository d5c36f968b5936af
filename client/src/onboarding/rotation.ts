import { StoreError, TokenEndpointError } from '../errors';
import { OnboardingError } from './errors';
import { m2mAccessToken, mintWithNewCertificate, remember } from './m2m';
import { uploadedBeforeCrash } from './interruptedUpload';
import { SCRIPTS, type HealthResult } from './services';
import type { TenantSession } from './session';
import { generateTenantKey, sameRole } from './steps/certificate';

/**
 * Replaces a completed tenant's certificate: new key (persisted first), upload, verify with a token and
 * health, switch the record over, revoke the old certificate. Resumable like the onboarding steps.
 */
export async function rotateTenantCertificate(session: TenantSession): Promise<void> {
  const startedWith = session.record.certificate?.certificateId;
  try {
    await rotate(session);
  } catch (err) {
    throw (await lostRace(session, startedWith, err)) ?? err;
  }
}

/**
 * Two rotations of one tenant at once: the loser finds its certificate revoked by the winner (invalid_grant) or
 * its write refused (STORE_CONFLICT). Say that, instead of listing every cause of a refused token.
 */
async function lostRace(session: TenantSession, startedWith: string | undefined, err: unknown): Promise<OnboardingError | undefined> {
  const invalidGrant = err instanceof TokenEndpointError && err.error === 'invalid_grant';
  const conflict = err instanceof StoreError && err.code === 'STORE_CONFLICT';
  if (!invalidGrant && !conflict) return undefined;
  const latest = await session.latest().catch(() => undefined);
  const now = latest?.certificate?.certificateId;
  if (now && startedWith && now !== startedWith) {
    return new OnboardingError(
      `Another rotation replaced the certificate of tenant "${session.tenant}" while this one ran: ${startedWith} is now ${now}` +
        `${latest?.certificate?.verifiedAt ? ` (verified at ${latest.certificate.verifiedAt})` : ''}. This run stopped without changing anything; the tenant works with the new certificate.`,
      `Nothing to fix: \`suitebridge tenants show ${session.tenant}\` lists it. Run \`suitebridge cert rotate\` again only for yet another certificate.`,
      { cause: err },
    );
  }
  if (conflict && latest?.rotation && latest.rotation.createdAt !== session.record.rotation?.createdAt) {
    return new OnboardingError(
      `Another rotation of tenant "${session.tenant}" is in progress (started ${latest.rotation.createdAt}); this run stopped without changing anything.`,
      'Wait for it to finish; `suitebridge tenants show` then lists the new certificate.',
      { cause: err },
    );
  }
  return undefined;
}

async function rotate(session: TenantSession): Promise<void> {
  const current = session.record.certificate;
  const appRole = session.record.bundle?.appRole;
  if (!session.record.completedAt || !current?.certificateId || current.entity === undefined || !appRole) {
    throw new OnboardingError(`Tenant "${session.tenant}" has not finished onboarding.`, 'Finish the onboarding (`suitebridge onboard`) before rotating.');
  }
  const entity = current.entity;
  await revokeLeftovers(session);
  if (!session.record.rotation) {
    const s = session.record.settings;
    const key = await generateTenantKey(session);
    await session.commit(
      (r) => {
        r.rotation = { ...key, createdAt: session.nowIso(), entity, role: appRole.internalId };
      },
      { step: 'tenant', action: 'rotation-key-generated', detail: `new ${s.keyType} key and certificate (SHA-256 ${key.sha256Fingerprint})` },
    );
  }
  const api = session.services.certificates(await m2mAccessToken(session));
  let next = session.record.rotation;
  if (next && !next.certificateId) {
    const adopted = await uploadedBeforeCrash(session, api, next, (known) => session.commit((r) => {
      if (r.rotation) r.rotation.knownIdsBeforeUpload = known;
    }));
    if (adopted) {
      await session.commit(
        (r) => {
          if (r.rotation) Object.assign(r.rotation, { certificateId: adopted, uploadedAt: session.nowIso(), adopted: true });
        },
        { step: 'tenant', action: 'rotation-certificate-adopted', detail: `certificate ${adopted} adopted after an interruption` },
      );
    }
    next = session.record.rotation;
    if (next && !next.certificateId) {
      const uploaded = await api.upload({ certificatePem: next.certificatePem, role: appRole.internalId, entity });
      await session.commit(
        (r) => {
          if (r.rotation) Object.assign(r.rotation, { certificateId: uploaded.certificateId, uploadedAt: session.nowIso() });
        },
        { step: 'tenant', action: 'rotation-certificate-uploaded', detail: `certificate ${uploaded.certificateId} uploaded for role ${appRole.internalId}, entity ${entity}` },
      );
    }
  }
  const candidate = session.record.rotation;
  if (!candidate?.certificateId) throw new OnboardingError('The new certificate could not be uploaded.', 'Run `suitebridge cert rotate` again.');
  const tokens = await mintWithNewCertificate(session, candidate.certificateId, candidate.privateKeyPem);
  const health = await session.services.restlet(tokens.accessToken).get<HealthResult>(SCRIPTS.health.script, SCRIPTS.health.deploy);
  if (!sameRole(health, appRole)) {
    throw new OnboardingError(`The new certificate's token runs as ${health.roleScriptId}, not the app role.`, 'Check the certificate mapping in NetSuite, then rotate again.');
  }
  const oldId = current.certificateId;
  const newId = candidate.certificateId;
  const at = session.nowIso();
  await session.commit(
    (r) => {
      const previous = [...(r.certificate?.previous ?? []), { certificateId: oldId }];
      r.certificate = { ...candidate, certificateId: newId, verifiedAt: at, previous, roleAssignment: r.certificate?.roleAssignment ?? { roleId: appRole.internalId, changed: false, at } };
      delete r.rotation;
      r.lastToken = { at, expiresAt: new Date(tokens.expiresAt).toISOString(), certificateId: newId };
      r.lastHealth = { at, ok: true, roleScriptId: health.roleScriptId };
    },
    { step: 'tenant', action: 'certificate-rotated', detail: `certificate ${newId} verified and in use; replaces ${oldId}` },
  );
  remember(session, tokens, newId);
  await revokeLeftovers(session);
}

async function revokeLeftovers(session: TenantSession): Promise<void> {
  const leftovers = (session.record.certificate?.previous ?? []).filter((p) => !p.revokedAt);
  if (leftovers.length === 0) return;
  const api = session.services.certificates(await m2mAccessToken(session));
  for (const old of leftovers) {
    await api.revoke(old.certificateId);
    await session.commit(
      (r) => {
        const entry = r.certificate?.previous?.find((p) => p.certificateId === old.certificateId);
        if (entry) entry.revokedAt = session.nowIso();
      },
      { step: 'tenant', action: 'certificate-revoked', detail: `old certificate ${old.certificateId} revoked` },
    );
  }
}
