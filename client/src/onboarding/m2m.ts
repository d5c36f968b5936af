import { TokenEndpointError } from '../errors';
import { notify } from '../http/observer';
import { OnboardingError } from './errors';
import type { TenantSession } from './session';
import type { StoredTokens } from './types';

const MARGIN_MS = 60_000;

/** A client-credentials token for the tenant's recorded certificate, minted when the cached one is stale. */
export async function m2mAccessToken(session: TenantSession): Promise<string> {
  const cert = session.record.certificate;
  if (!cert?.certificateId) {
    throw new OnboardingError(`Tenant "${session.tenant}" has no uploaded certificate yet.`, 'Finish step 3 of the onboarding first.');
  }
  const cached = session.cache.m2m;
  if (cached && cached.certificateId === cert.certificateId && cached.expiresAt - MARGIN_MS > session.clock.now()) {
    notify(session.observer, 'tokenCache', { grant: 'client_credentials', outcome: 'hit' });
    return cached.accessToken;
  }
  notify(session.observer, 'tokenCache', { grant: 'client_credentials', outcome: 'miss' });
  const tokens = await session.services.clientCredentialsToken({ certificateId: cert.certificateId, privateKeyPem: cert.privateKeyPem });
  remember(session, tokens, cert.certificateId);
  // When the last token was minted is shown on the tenant page; the token itself is never stored. It goes to a
  // separate key, best effort: reading a token never writes the tenant record, so parallel calls cannot conflict.
  await session.recordActivity({
    lastToken: { at: session.nowIso(), expiresAt: new Date(tokens.expiresAt).toISOString(), certificateId: cert.certificateId as string },
  });
  return tokens.accessToken;
}

/**
 * A token for a certificate uploaded moments ago. NetSuite may need a short while before a new mapping works
 * (UNCERTAIN), so token-endpoint refusals are retried per the activation policy before they count.
 */
export async function mintWithNewCertificate(session: TenantSession, certificateId: string, privateKeyPem: string): Promise<StoredTokens> {
  const { attempts, delayMs, sleep } = session.activation;
  for (let attempt = 1; ; attempt++) {
    try {
      return await session.services.clientCredentialsToken({ certificateId, privateKeyPem });
    } catch (err) {
      if (!(err instanceof TokenEndpointError) || attempt >= attempts) throw err;
      await sleep(delayMs);
    }
  }
}

export function remember(session: TenantSession, tokens: StoredTokens, certificateId: string): void {
  session.cache.m2m = { ...tokens, certificateId };
}
