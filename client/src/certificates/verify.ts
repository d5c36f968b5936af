import { ClientCredentialsClient, type ClientCredentialsClientOptions } from '../clientCredentials';
import type { RotationCandidate } from './rotate';

/**
 * The usual `verify` for rotateCertificate: mint a client-credentials token with the candidate's kid and key.
 * Throws the token endpoint's typed error when NetSuite refuses.
 */
export function verifyWithClientCredentials(
  base: Omit<ClientCredentialsClientOptions, 'certificateId' | 'privateKey'>,
): (candidate: RotationCandidate) => Promise<void> {
  return async (candidate) => {
    const client = new ClientCredentialsClient({ ...base, certificateId: candidate.certificateId, privateKey: candidate.privateKeyPem });
    await client.requestToken();
  };
}
