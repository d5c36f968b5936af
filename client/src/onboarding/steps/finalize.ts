import { TokenEndpointError } from '../../errors';
import { accountLimitFrom, type LearnedAccountLimit } from '../../http/accountLimit';
import { OnboardingError, ReauthorizationNeeded } from '../errors';
import { temporaryAccessToken } from '../temporaryAccess';
import { m2mAccessToken } from '../m2m';
import { SCRIPTS, type ConfigPutResponse, type HealthResult } from '../services';
import type { TenantSession } from '../session';
import type { StepOutcome } from './authorize';
import { sameRole } from './certificate';

export const SUITEQL_PROBE = "SELECT custrecord_sbr_config_key AS key FROM customrecord_sbr_config WHERE isinactive = 'F'";

/** Step 4, post-install: seed config, record account metadata, final checks, revoke the temporary access. */
export async function runFinalize(session: TenantSession): Promise<StepOutcome> {
  await seedConfig(session);
  await recordMetadata(session);
  await finalChecks(session);
  await learnConcurrencyLimit(session);
  await revokeTemporaryAccess(session);
  if (!session.record.completedAt) {
    await session.commit(
      (r) => {
        r.completedAt = session.nowIso();
      },
      { step: 'finalize', action: 'onboarding-completed', detail: 'all four steps done; only certificate-based M2M access remains' },
    );
  }
  session.checkpoint('finalize:done');
  return 'done';
}

async function seedConfig(session: TenantSession): Promise<void> {
  if (session.record.finalize?.config) return;
  const entries = session.record.settings.configSeed;
  const token = await m2mAccessToken(session);
  const result = await session.services.restlet(token).put<ConfigPutResponse>(SCRIPTS.config.script, SCRIPTS.config.deploy, { entries });
  session.checkpoint('finalize:config-seeded');
  await session.commit(
    (r) => {
      r.finalize = { ...r.finalize, config: { ...result, at: session.nowIso() } };
    },
    { step: 'finalize', action: 'config-seeded', detail: `config keys created [${result.created.join(', ')}], updated [${result.updated.join(', ')}], unchanged [${result.unchanged.join(', ')}]` },
  );
  session.progress('finalize', 'config-seeded', `Seeded ${Object.keys(entries).length} configuration entries.`);
}

async function health(session: TenantSession): Promise<HealthResult> {
  const token = await m2mAccessToken(session);
  return session.services.restlet(token).get<HealthResult>(SCRIPTS.health.script, SCRIPTS.health.deploy);
}

async function recordMetadata(session: TenantSession): Promise<void> {
  if (session.record.account) return;
  const result = await health(session);
  await session.commit(
    (r) => {
      r.account = result;
    },
    { step: 'finalize', action: 'metadata', detail: `account ${result.accountId} (${result.environment}, NetSuite ${result.version})` },
  );
  session.progress('finalize', 'metadata', `Account ${result.accountId}, ${result.environment}, NetSuite ${result.version}.`);
  session.checkpoint('finalize:metadata-saved');
}

async function finalChecks(session: TenantSession): Promise<void> {
  if (session.record.finalize?.checkedAt) return;
  const appRole = session.record.bundle?.appRole;
  const result = await health(session);
  if (!appRole || !sameRole(result, appRole)) {
    throw new OnboardingError(`Final health check ran as ${result.roleScriptId}, not the app role.`, 'Check the certificate mapping, then run the onboarding again.');
  }
  session.progress('finalize', 'health', `health over M2M: ${result.roleScriptId}, ${result.remainingUsage} units left.`);
  const at = session.nowIso();
  let probe: { rows: number; at: string } | { skipped: string; at: string };
  if (session.record.settings.scopes.includes('rest_webservices')) {
    const rows = await session.services.suiteql(await m2mAccessToken(session), SUITEQL_PROBE);
    probe = { rows: rows.length, at };
    session.progress('finalize', 'suiteql-probe', `SuiteQL probe returned ${rows.length} configuration rows.`);
  } else {
    probe = { skipped: 'the rest_webservices scope is not granted', at };
  }
  await session.commit(
    (r) => {
      r.finalize = { ...r.finalize, suiteqlProbe: probe, checkedAt: at };
      r.lastHealth = { at, ok: true, roleScriptId: result.roleScriptId };
    },
    { step: 'finalize', action: 'final-checks', detail: 'rows' in probe ? `health ok; SuiteQL probe ${probe.rows} rows` : `health ok; SuiteQL probe skipped (${probe.skipped})` },
  );
}

/**
 * governanceLimits needs the administrator, so it is read with the temporary token before that is revoked. A
 * refusal does not fail onboarding: the record says why and limiters keep their default.
 */
async function learnConcurrencyLimit(session: TenantSession): Promise<void> {
  const read = session.services.governanceLimits;
  if (session.record.concurrency || !read || !session.record.authorization.tokens) return;
  const at = session.nowIso();
  let learned: LearnedAccountLimit | { unavailable: string; at: string };
  try {
    learned = accountLimitFrom(await read(await temporaryAccessToken(session)), at);
  } catch (err) {
    if (err instanceof ReauthorizationNeeded) throw err;
    learned = { unavailable: err instanceof Error ? err.message.slice(0, 200) : String(err), at };
  }
  await session.commit(
    (r) => {
      r.concurrency = learned;
    },
    { step: 'finalize', action: 'concurrency-limit', detail: 'limit' in learned ? `account concurrency limit ${learned.limit} (${learned.source})` : `governanceLimits unavailable: ${learned.unavailable}` },
  );
}

async function revokeTemporaryAccess(session: TenantSession): Promise<void> {
  const tokens = session.record.authorization.tokens;
  if (!tokens) return;
  const token = tokens.refreshToken ?? tokens.accessToken;
  try {
    await session.services.authorization.revoke(token);
  } catch (err) {
    // Already revoked or expired counts as revoked: nothing elevated remains either way.
    if (!(err instanceof TokenEndpointError && (err.error === 'invalid_grant' || err.error === 'invalid_token'))) throw err;
  }
  session.checkpoint('finalize:revoked');
  await session.commit(
    (r) => {
      delete r.authorization.tokens;
      r.authorization.revokedAt = session.nowIso();
    },
    { step: 'finalize', action: 'refresh-token-revoked', detail: `temporary ${tokens.refreshToken ? 'refresh' : 'access'} token revoked; no elevated access remains` },
  );
  session.progress('finalize', 'refresh-token-revoked', 'Revoked the temporary refresh token.');
}
