import { normalizeAccountId } from '../../account';
import { AuthorizationError, TokenEndpointError } from '../../errors';
import { AccountMismatchError } from '../errors';
import { describeLeftover } from '../leftoverAuthorization';
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
  // A journaled exchange whose code is being replaced can no longer be retried: report what it may have left.
  const lost = session.record.authorization.exchange;
  const leftover = lost
    ? describeLeftover({ settings: session.record.settings, sentAt: lost.sentAt, detectedAt: session.nowIso(), ...(session.record.authorization.callbackUrl ? { callbackUrl: session.record.authorization.callbackUrl } : {}) })
    : undefined;
  await session.commit(
    (r) => {
      r.authorization.pending = { ...started, createdAt: session.clock.now() };
      delete r.authorization.callbackUrl;
      delete r.authorization.exchange;
      if (leftover) r.authorization.leftovers = [...(r.authorization.leftovers ?? []), leftover];
    },
    { step: 'authorize', action: 'authorization-url', detail: 'authorization URL created (PKCE S256)' },
    ...(leftover ? [{ step: 'authorize' as const, action: 'leftover-authorization', detail: `exchange of ${leftover.sentAt} interrupted; a refresh token may live at NetSuite until ${leftover.liveUntil}` }] : []),
  );
  if (leftover) session.progress('authorize', 'leftover-authorization', `⚠ ${leftover.notice}`);
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

/** The account the administrator consented in, as the callback's `company` names it (undefined for error callbacks). */
function consentedAccount(callbackUrl: string): string | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(callbackUrl).searchParams;
  } catch {
    return undefined;
  }
  if (params.has('error')) return undefined;
  const company = params.get('company');
  if (company === null) return undefined;
  try {
    return normalizeAccountId(company);
  } catch {
    return company.replace(/[^A-Za-z0-9_-]/g, '?').slice(0, 40);
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
  const expected = session.record.settings.accountId;
  const company = consentedAccount(callbackUrl);
  if (company !== undefined && company !== expected) {
    // Never exchanged: no token of the other account is issued to this tenant. A fresh URL is offered next time.
    await session.commit(
      (r) => {
        delete r.authorization.pending;
        delete r.authorization.callbackUrl;
      },
      { step: 'authorize', action: 'authorization-failed', detail: `consent was given in account ${company}, not ${expected}; code not exchanged` },
    );
    throw new AccountMismatchError(expected, company);
  }
  await session.commit((r) => {
    r.authorization.callbackUrl = callbackUrl;
  });
  await exchangeCallback(session, callbackUrl);
}

/**
 * Exchanges the code. The exchange is journaled before the request leaves: a journal entry found by a later run
 * means an earlier exchange's answer was lost (crash, cut connection), and NetSuite may hold a refresh token for the
 * administrator that SuiteBridge never saw. The code is tried once more: accepted means the earlier request never
 * counted; refused means it probably did, and the operator is told what was left and how to end it.
 */
async function exchangeCallback(session: TenantSession, callbackUrl: string): Promise<void> {
  const pending = session.record.authorization.pending;
  if (!pending) throw new AuthorizationError('STATE_MISMATCH', 'No pending authorization to complete.');
  const interrupted = session.record.authorization.exchange;
  if (interrupted) {
    session.progress('authorize', 'exchange-interrupted', `An earlier run stopped while exchanging the authorization code (sent ${interrupted.sentAt}); trying that code once more.`);
  }
  await session.commit((r) => {
    r.authorization.exchange = { sentAt: session.nowIso() };
  });
  session.checkpoint('authorize:exchange-recorded');
  session.progress('authorize', 'token-exchange', 'Exchanging the authorization code.');
  let result;
  try {
    result = await session.services.authorization.complete(callbackUrl, pending);
  } catch (err) {
    if (err instanceof AuthorizationError || (err instanceof TokenEndpointError && err.error === 'invalid_grant')) {
      const leftover = interrupted ? describeLeftover({ settings: session.record.settings, sentAt: interrupted.sentAt, detectedAt: session.nowIso(), callbackUrl }) : undefined;
      // The code is spent or refused: forget it so the next run offers a fresh authorization URL.
      await session.commit(
        (r) => {
          delete r.authorization.pending;
          delete r.authorization.callbackUrl;
          delete r.authorization.exchange;
          if (leftover) r.authorization.leftovers = [...(r.authorization.leftovers ?? []), leftover];
        },
        { step: 'authorize', action: 'authorization-failed', detail: err instanceof AuthorizationError ? err.code : `token endpoint: ${err.error}` },
        ...(leftover ? [{ step: 'authorize' as const, action: 'leftover-authorization', detail: `exchange of ${leftover.sentAt} interrupted; a refresh token may live at NetSuite until ${leftover.liveUntil}` }] : []),
      );
      if (leftover) session.progress('authorize', 'leftover-authorization', `⚠ ${leftover.notice}`);
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
      delete r.authorization.exchange;
    },
    {
      step: 'authorize',
      action: 'consent-recorded',
      detail: `consent by entity ${result.entity} with role ${result.role} for company ${result.company}; scopes ${result.tokens.scopes.join(' ')}`,
    },
  );
  session.checkpoint('authorize:done');
}
