/** Display helpers shared by the views. All return plain text; the views escape it. */
export function formatTime(value: string | number | Date | undefined): string {
  if (value === undefined) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "2026-11-22 19:54:36", for log lines under a "(UTC)" heading. */
export function formatLogTime(value: string | number | Date | undefined): string {
  if (value === undefined) return '—';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export type ExpiryLevel = 'ok' | '60d' | '30d' | '14d' | 'expired';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Same thresholds as NetSuite's expiry e-mails: 2 months, 1 month, 14 days. */
export function expiryLevel(validUntil: string | Date, now: number): { daysLeft: number; level: ExpiryLevel } {
  const end = new Date(validUntil).getTime();
  const daysLeft = Math.floor((end - now) / DAY_MS);
  if (Number.isNaN(end)) return { daysLeft: Number.NaN, level: 'expired' };
  if (end <= now) return { daysLeft, level: 'expired' };
  if (daysLeft <= 14) return { daysLeft, level: '14d' };
  if (daysLeft <= 30) return { daysLeft, level: '30d' };
  if (daysLeft <= 60) return { daysLeft, level: '60d' };
  return { daysLeft, level: 'ok' };
}
