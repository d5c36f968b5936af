import { ConfigurationError } from '../errors';

export type ExpiryLevel = 'ok' | '60d' | '30d' | '14d' | 'expired';

export interface ExpiryWarning {
  /** Whole days until expiry, negative once expired. */
  daysLeft: number;
  level: ExpiryLevel;
}

const DAY_MS = 86_400_000;
/** NetSuite e-mails administrators 2 months, 1 month and 14 days before a certificate expires. */
const THRESHOLDS: ReadonlyArray<[number, ExpiryLevel]> = [
  [14, '14d'],
  [30, '30d'],
  [60, '60d'],
];

/** A `YYYY-MM-DD` date (NetSuite's valid_until) counts as expiring at the start of that day, UTC. */
export function expiryWarnings(validUntil: Date | string, now: Date): ExpiryWarning {
  const until = toDate(validUntil);
  const remainingMs = until.getTime() - now.getTime();
  const daysLeft = Math.floor(remainingMs / DAY_MS);
  if (remainingMs <= 0) return { daysLeft, level: 'expired' };
  const hit = THRESHOLDS.find(([days]) => daysLeft <= days);
  return { daysLeft, level: hit ? hit[1] : 'ok' };
}

function toDate(value: Date | string): Date {
  const date = value instanceof Date ? value : /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new ConfigurationError('INVALID_ARGUMENT', `validUntil is not a date: ${JSON.stringify(String(value))}`, { field: 'validUntil' });
  }
  return date;
}
