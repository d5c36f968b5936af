import { TokenEndpointError } from '../errors';
import { mintWithNewCertificate } from './m2m';
import type { CertificateCalls } from './services';
import type { TenantSession } from './session';

export interface PendingUpload {
  knownIdsBeforeUpload?: string[];
  privateKeyPem: string;
}

/**
 * An upload interrupted by a crash (after NetSuite took it, before its answer was recorded) must not be repeated:
 * each upload takes one of the integration record's 5 certificate slots. The first pass writes down the IDs NetSuite
 * already lists (`noteKnown`, committed before uploading); a later pass adopts a new certificate that our key can
 * mint with. Returns the certificate to adopt, or undefined: upload now.
 */
export async function uploadedBeforeCrash(
  session: TenantSession,
  api: CertificateCalls,
  pending: PendingUpload,
  noteKnown: (known: string[]) => Promise<void>,
): Promise<string | undefined> {
  const listed = await api.list();
  if (!pending.knownIdsBeforeUpload) {
    await noteKnown(listed.map((c) => c.certificateId));
    return undefined;
  }
  const known = new Set(pending.knownIdsBeforeUpload);
  for (const candidate of listed.filter((c) => !c.revoked && !known.has(c.certificateId))) {
    try {
      await mintWithNewCertificate(session, candidate.certificateId, pending.privateKeyPem);
    } catch (err) {
      if (err instanceof TokenEndpointError) continue;
      throw err;
    }
    return candidate.certificateId;
  }
  return undefined;
}
