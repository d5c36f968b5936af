import { createHash, randomUUID } from 'node:crypto';

/** `iss` of every NetSuite access token (Oracle samples). */
export const NETSUITE_ISSUER = 'https://system.netsuite.com';
export const ACCESS_TOKEN_SECONDS = 3600;

/** The integration record's application GUID; deterministic so tokens stay stable across restarts. */
export function applicationGuid(clientId: string): string {
  const h = createHash('sha256').update(`app:${clientId}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** jti formats decoded from Oracle's samples (§6). */
export const jtiFormats = {
  authCodeAccess: (accountId: string, nowMs: number) => `${accountId}.a-a.${randomUUID()}_${nowMs}.${nowMs}`,
  refresh: (accountId: string, nowMs: number) => `${accountId}.r.${randomUUID()}_${nowMs}.0`,
  clientCredentialsAccess: (nowMs: number) => `a.c.${randomUUID()}.${nowMs}.${nowMs}`,
};
