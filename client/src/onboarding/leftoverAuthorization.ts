import { RECOMMENDED_REFRESH_VALIDITY_HOURS } from './settings';
import type { LeftoverAuthorization, ResolvedSettings } from './types';

/**
 * Where an administrator ends an OAuth 2.0 authorization in the NetSuite UI. Oracle documents the management of
 * "OAuth 2.0 Authorized Applications" (NSH section_157771979135); the menu path is as commonly reported (UNCERTAIN).
 */
export const REVOKE_AUTHORIZATION_PATH = 'Setup > Users/Roles > User Management > OAuth 2.0 Authorized Applications';

const HOUR_MS = 3_600_000;

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * What an interrupted authorization-code exchange may have left at NetSuite, in words an operator can act on.
 * `callbackUrl` is the saved redirect (for the consenting entity and role; the code in it is never shown).
 */
export function describeLeftover(o: { settings: ResolvedSettings; sentAt: string; detectedAt: string; callbackUrl?: string }): LeftoverAuthorization {
  const validityHours = o.settings.refreshTokenValidityHours ?? RECOMMENDED_REFRESH_VALIDITY_HOURS;
  const liveUntil = new Date(Date.parse(o.sentAt) + validityHours * HOUR_MS).toISOString();
  const params = o.callbackUrl ? safeParams(o.callbackUrl) : undefined;
  const entity = integer(params?.get('entity'));
  const role = integer(params?.get('role'));
  const who = entity === undefined ? 'the administrator who consented' : `the administrator (employee internal ID ${entity}${role === undefined ? '' : `, role ${role}`})`;
  const lifetime =
    validityHours === RECOMMENDED_REFRESH_VALIDITY_HOURS
      ? `${validityHours} hour, the recommended Refresh Token Validity of the public integration record; longer if that record is set higher`
      : `the Refresh Token Validity of ${validityHours} hours configured for this tenant`;
  const notice =
    `An earlier run was interrupted after it sent the authorization code to NetSuite (${utc(o.sentAt)}) and before it saved the answer. ` +
    `NetSuite may have issued a refresh token for ${who} in account ${o.settings.accountId} to integration record ${o.settings.authClient.clientId.slice(0, 12)}…; ` +
    `SuiteBridge never received it, so it cannot use or revoke it. It stops working by ${utc(liveUntil)} at the latest (${lifetime}). ` +
    `To end it sooner, an administrator revokes that authorization in NetSuite: ${REVOKE_AUTHORIZATION_PATH}. ` +
    'The onboarding itself continues with a new authorization.';
  const leftover: LeftoverAuthorization = { sentAt: o.sentAt, detectedAt: o.detectedAt, liveUntil, validityHours, authClientId: o.settings.authClient.clientId, notice };
  if (entity !== undefined) leftover.entity = entity;
  if (role !== undefined) leftover.role = role;
  return leftover;
}

function safeParams(url: string): URLSearchParams | undefined {
  try {
    return new URL(url).searchParams;
  } catch {
    return undefined;
  }
}

function integer(value: string | null | undefined): number | undefined {
  return value && /^[0-9]{1,12}$/.test(value) ? Number(value) : undefined;
}
