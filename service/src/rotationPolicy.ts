import { createHash } from 'node:crypto';

export const DAY_MS = 86_400_000;

/**
 * A stable per-tenant share of the jitter window: tenants onboarded the same day rotate spread over the window
 * instead of in the same minute, and every replica computes the same moment for a tenant.
 */
export function jitterMs(tenant: string, windowMs: number): number {
  if (windowMs <= 0) return 0;
  const n = createHash('sha256').update(tenant).digest().readUInt32BE(0);
  return Math.floor((n / 0x1_0000_0000) * windowMs);
}

/** When the tenant's certificate is due for rotation: `leadMs` before expiry, earlier by the tenant's jitter. */
export function rotationDueAt(notAfter: string, tenant: string, leadMs: number, jitterWindowMs: number): number {
  return Date.parse(notAfter) - leadMs - jitterMs(tenant, jitterWindowMs);
}

/**
 * The expiry notice to send now, if any: the most urgent threshold (in days, e.g. 60/30/14 like NetSuite's own e-mails)
 * the certificate has crossed and that was not announced yet for it. Returns the threshold and all now covered.
 */
export function dueExpiryNotice(
  notAfter: string,
  now: number,
  thresholds: readonly number[],
  announced: readonly number[],
): { threshold: number; daysLeft: number; covered: number[] } | undefined {
  const daysLeft = (Date.parse(notAfter) - now) / DAY_MS;
  if (daysLeft <= 0) return undefined;
  const crossed = thresholds.filter((t) => daysLeft <= t).sort((a, b) => a - b);
  const threshold = crossed[0];
  if (threshold === undefined || announced.includes(threshold)) return undefined;
  return { threshold, daysLeft: Math.floor(daysLeft), covered: [...new Set([...announced, ...crossed])].sort((a, b) => b - a) };
}

/**
 * When a standby certificate is renewed: once half its validity has passed. Its remaining validity then stays between
 * half and all of it, while the primary is rotated only `rotateBefore` days before expiry, so the two never expire
 * together and an expired primary can still be repaired in place.
 */
export function standbyRenewalDueAt(createdAt: string, notAfter: string): number {
  const from = Date.parse(createdAt);
  return from + (Date.parse(notAfter) - from) / 2;
}
