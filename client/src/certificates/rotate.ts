import { systemClock, type Clock } from '../clock';
import { ConfigurationError, SuiteBridgeError } from '../errors';
import { redact } from '../redact';
import type { CertificateApi, CertificateInfo } from './api';
import { generateCertificate } from './generate';
import type { CertificateAlgorithm, CertificateKeyType } from './keyTypes';

/** "At most 5 active certificates per integration" (2026.1 per the landscape notes; no Oracle text found: UNCERTAIN). */
export const DEFAULT_MAX_ACTIVE_CERTIFICATES = 5;

export interface RotationCandidate {
  certificateId: string;
  privateKeyPem: string;
}

export interface RotatedCertificate extends RotationCandidate {
  certificatePem: string;
  validUntil: string;
  algorithm: CertificateAlgorithm;
}

export interface RotateCertificateOptions {
  api: Pick<CertificateApi, 'list' | 'upload' | 'revoke'>;
  role: number;
  entity: number;
  /** The certificate in use now; revoked once the new one is proven and activated. */
  current?: { certificateId: string };
  keyType?: CertificateKeyType;
  commonName?: string;
  validityDays?: number;
  /** Must mint a client-credentials token with the candidate's kid and key, and throw if it cannot. */
  verify: (candidate: RotationCandidate) => Promise<void>;
  /**
   * Persist the new key and switch callers to it. Runs after verify and before the old certificate is revoked,
   * so a crash in between leaves two working certificates instead of none. If it throws, the new one is revoked.
   */
  activate?: (next: RotatedCertificate) => Promise<void>;
  /** Default 5. */
  maxActive?: number;
  /** When the limit is reached: fail (default), or revoke the active certificate that expires first (never `current`). */
  whenFull?: 'fail' | 'revoke-oldest';
  clock?: Clock;
}

export interface RotationResult extends RotatedCertificate {
  /** The previous certificate, when it was revoked. */
  revokedCertificateId?: string;
  /** A certificate revoked to stay under maxActive (whenFull: 'revoke-oldest'). */
  evictedCertificateId?: string;
  /** Non-fatal problems, e.g. the old certificate could not be revoked and must be revoked by hand. */
  warnings: string[];
}

/**
 * Upload a new certificate, prove a token works with its kid, activate it, then revoke the old one.
 * If anything fails before activation, the new certificate is revoked and the old one stays in use.
 */
export async function rotateCertificate(o: RotateCertificateOptions): Promise<RotationResult> {
  const clock = o.clock ?? systemClock;
  const maxActive = checkMaxActive(o.maxActive ?? DEFAULT_MAX_ACTIVE_CERTIFICATES);
  const evictedCertificateId = await makeRoom(o, maxActive, clock);

  const generated = await generateCertificate({
    ...(o.keyType ? { keyType: o.keyType } : {}),
    ...(o.commonName ? { commonName: o.commonName } : {}),
    ...(o.validityDays ? { validityDays: o.validityDays } : {}),
    clock,
  });
  const uploaded = await o.api.upload({ certificatePem: generated.certificatePem, role: o.role, entity: o.entity });
  const next: RotatedCertificate = {
    certificateId: uploaded.certificateId,
    privateKeyPem: generated.privateKeyPem,
    certificatePem: generated.certificatePem,
    validUntil: uploaded.validUntil || generated.notAfter.toISOString().slice(0, 10),
    algorithm: generated.algorithm,
  };

  await proveOrRollBack(o, next);

  const warnings: string[] = [];
  const result: RotationResult = { ...next, warnings };
  if (evictedCertificateId) result.evictedCertificateId = evictedCertificateId;
  if (o.current && o.current.certificateId !== next.certificateId) {
    try {
      await o.api.revoke(o.current.certificateId);
      result.revokedCertificateId = o.current.certificateId;
    } catch (err) {
      warnings.push(`The new certificate ${next.certificateId} is active, but revoking the old one (${o.current.certificateId}) failed: ${describe(err)}. Revoke it by hand.`);
    }
  }
  return result;
}

async function proveOrRollBack(o: RotateCertificateOptions, next: RotatedCertificate): Promise<void> {
  let stage = 'verify';
  try {
    await o.verify({ certificateId: next.certificateId, privateKeyPem: next.privateKeyPem });
    stage = 'activate';
    await o.activate?.(next);
  } catch (err) {
    const rollback = await revokeQuietly(o.api, next.certificateId);
    const kept = o.current ? `The old certificate ${o.current.certificateId} was not touched and stays in use.` : 'No certificate was changed.';
    const cleanup = rollback === undefined
      ? `The new certificate ${next.certificateId} was revoked.`
      : `Revoking the new certificate ${next.certificateId} also failed (${rollback}); revoke it by hand.`;
    const what = stage === 'verify' ? 'a token could not be obtained with the new certificate' : 'activating the new certificate failed';
    throw new SuiteBridgeError('ROTATION_FAILED', `Certificate rotation stopped: ${what}: ${describe(err)}. ${cleanup} ${kept}`, {
      cause: err,
      remedy: stage === 'verify'
        ? 'Check that the integration record allows client credentials for this role and entity, and that the scopes are enabled; then rotate again.'
        : 'Fix the key storage and rotate again.',
    });
  }
}

/** Returns the ID of a certificate revoked to make room, if any. */
async function makeRoom(o: RotateCertificateOptions, maxActive: number, clock: Clock): Promise<string | undefined> {
  const active = (await o.api.list()).filter((c) => isActive(c, clock.now()));
  if (active.length < maxActive) return undefined;
  const evictable = active
    .filter((c) => c.certificateId !== o.current?.certificateId)
    .sort((a, b) => a.validUntil.localeCompare(b.validUntil));
  const oldest = evictable[0];
  if (o.whenFull !== 'revoke-oldest' || !oldest) {
    throw new SuiteBridgeError(
      'ROTATION_FAILED',
      `Certificate rotation stopped before uploading: ${active.length} certificates are active and the limit is ${maxActive} (${active.map((c) => c.certificateId).join(', ')}). Nothing was changed.`,
      {
        remedy: oldest
          ? `Revoke a certificate no longer in use (e.g. ${oldest.certificateId}, valid until ${oldest.validUntil}) or pass whenFull: 'revoke-oldest'.`
          : 'Raise maxActive if your account allows more certificates.',
      },
    );
  }
  await o.api.revoke(oldest.certificateId);
  return oldest.certificateId;
}

function isActive(c: CertificateInfo, nowMs: number): boolean {
  if (c.revoked) return false;
  if (!/^\d{4}-\d{2}-\d{2}/.test(c.validUntil)) return true;
  return new Date(`${c.validUntil.slice(0, 10)}T23:59:59Z`).getTime() >= nowMs;
}

async function revokeQuietly(api: RotateCertificateOptions['api'], certificateId: string): Promise<string | undefined> {
  try {
    await api.revoke(certificateId);
    return undefined;
  } catch (err) {
    return describe(err);
  }
}

function describe(err: unknown): string {
  return redact(err instanceof Error ? err.message : String(err));
}

function checkMaxActive(value: number): number {
  if (!Number.isInteger(value) || value < 2) {
    throw new ConfigurationError('INVALID_ARGUMENT', `maxActive must be an integer of at least 2 (old and new overlap), got ${String(value)}`, {
      field: 'maxActive',
    });
  }
  return value;
}
