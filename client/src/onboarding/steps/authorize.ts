import { AuthorizationError, TokenEndpointError } from '../../errors';
import type { TenantSession } from '../session';

export type StepOutcome = 'done' | 'waiting';

/** NetSuite codes are short-lived; an authorization URL older than this gets replaced. */
export const PENDING_TTL_MS = 10 * 60_000;

/** Step 1, temporary elevated access: authorization code + PKCE with a persisted pending state. */
export async function runAuthorize(session: TenantSession): Promise<StepOutcome> {
  const auth = session.record.authorization;
  if (auth.tokens && session.record.consent) return 'done';
  if (auth.callbackUrl && auth.pending) {
    // A callback saved by a run that stopped before redeeming it (or mid-exchange: then the code is spent).
    try {
      await exchangeCallback(session, auth.callbackUrl);
      return 'done';
    } catch (err) {
      if (session.record.authorization.pending) throw err;
      session.progress('authorize', 'authorization-url', 'The saved authorization code could not be redeemed; a new authorization is needed.');
    }
  }
  const url = await ensurePendingAuthorization(session);
  session.emit({ type: 'waiting', tenant: session.tenant, step: 'authorize', reason: 'authorization', authorizationUrl: url, at: session.nowIso() });
  return 'waiting';
}

export async function ensurePendingAuthorization(session: TenantSession): Promise<string> {
  const pending = session.record.authorization.pending;
  if (pending && session.clock.now() - pending.createdAt < PENDING_TTL_MS) return pending.url;
  const started = await session.services.authorization.start();
  await session.commit(
    (r) => {
      r.authorization.pending = { ...started, createdAt: session.clock.now() };
      delete r.authorization.callbackUrl;
    },
    { step: 'authorize', action: 'authorization-url', detail: 'authorization URL created (PKCE S256)' },
  );
  session.progress('authorize', 'authorization-url', 'Authorization URL ready; waiting for the administrator to sign in and consent.');
  session.checkpoint('authorize:pending-saved');
  return started.url;
}

export function callbackState(callbackUrl: string | URL): string | undefined {
  try {
    return new URL(callbackUrl.toString()).searchParams.get('state') ?? undefined;
  } catch {
    return undefined;
  }
}

/** Records the callback (so a restart can still redeem the code), then exchanges it. */
export async function acceptCallback(session: TenantSession, callbackUrl: string): Promise<void> {
  const pending = session.record.authorization.pending;
  if (!pending) {
    throw new AuthorizationError('STATE_MISMATCH', `Tenant "${session.tenant}" is not waiting for an authorization callback.`, {
      remedy: 'Start (or resume) the onboarding and use the authorization URL it prints.',
    });
  }
  if (callbackState(callbackUrl) !== pending.state) {
    throw new AuthorizationError('STATE_MISMATCH', 'The callback does not belong to the pending authorization (state differs).', {
      remedy: 'Use the most recent authorization URL; older ones are replaced after 10 minutes or a restart of step 1.',
    });
  }
  await session.commit((r) => {
    r.authorization.callbackUrl = callbackUrl;
  });
  await exchangeCallback(session, callbackUrl);
}

async function exchangeCallback(session: TenantSession, callbackUrl: string): Promise<void> {
  const pending = session.record.authorization.pending;
  if (!pending) throw new AuthorizationError('STATE_MISMATCH', 'No pending authorization to complete.');
  session.progress('authorize', 'token-exchange', 'Exchanging the authorization code.');
  let result;
  try {
    result = await session.services.authorization.complete(callbackUrl, pending);
  } catch (err) {
    if (err instanceof AuthorizationError || (err instanceof TokenEndpointError && err.error === 'invalid_grant')) {
      // The code is spent or refused: forget it so the next run offers a fresh authorization URL.
      await session.commit(
        (r) => {
          delete r.authorization.pending;
          delete r.authorization.callbackUrl;
        },
        { step: 'authorize', action: 'authorization-failed', detail: err instanceof AuthorizationError ? err.code : `token endpoint: ${err.error}` },
      );
    }
    throw err;
  }
  session.checkpoint('authorize:tokens-received');
  const at = session.nowIso();
  await session.commit(
    (r) => {
      r.authorization.tokens = result.tokens;
      r.consent = { entity: result.entity, role: result.role, company: result.company, at };
      delete r.authorization.pending;
      delete r.authorization.callbackUrl;
    },
    {
      step: 'authorize',
      action: 'consent-recorded',
      detail: `consent by entity ${result.entity} with role ${result.role} for company ${result.company}; scopes ${result.tokens.scopes.join(' ')}`,
    },
  );
  session.checkpoint('authorize:done');
}
