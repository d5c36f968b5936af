import type { StandbyOutcome } from '../../client/src/onboarding/standby';
import { redact } from '../../client/src/redact';
import type { HealthCheckDeps } from './healthCheck';
import { DAY_MS, standbyRenewalDueAt } from './rotationPolicy';

export type StandbyCare = StandbyOutcome | { failed: string } | { disabled: true };

/**
 * Keeps the tenant's standby certificate (issue 11, repair without the customer): added when missing, renewed at half
 * its validity, replaced when NetSuite no longer lists it active (checked daily). Never throws: a failure (the 5-certificate limit, a role without "Manage own OAuth 2.0 Client
 * Credentials certificates", NetSuite down) is kept on the tenant record and tried again on the next sweep.
 */
export async function keepStandby(deps: Pick<HealthCheckDeps, 'orchestrator' | 'now' | 'standbyCertificate'>, tenant: string): Promise<StandbyCare> {
  if (deps.standbyCertificate === false) return { disabled: true };
  try {
    return await deps.orchestrator.ensureStandby(tenant, {
      renewDue: (s) => deps.now() >= standbyRenewalDueAt(s.createdAt, s.notAfter),
      // Once a day, one list call: a standby revoked by the customer's administrator is replaced, not found at repair time.
      checkEveryMs: DAY_MS,
    });
  } catch (err) {
    return { failed: redact(err instanceof Error ? err.message : String(err)) };
  }
}
