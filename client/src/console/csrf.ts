import { timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = '_csrf';

/** Constant-time comparison of the form's token with the session's. */
export function csrfTokenMatches(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Browsers send Origin on cross-site POSTs; when present it must be this console's own origin.
 * (Absent Origin is allowed: the session-bound token is the real check.)
 */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowedOrigins.includes(origin);
}
