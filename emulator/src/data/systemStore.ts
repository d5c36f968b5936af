import type { Database } from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import type { ResolvedIntegration } from '../config/types';
import { openDatabase } from './open';
import { SYSTEM_COLUMNS, SYSTEM_SCHEMA } from './systemSchema';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface AuthCodeRow {
  code_hash: string; client_id: string; account_id: string; redirect_uri: string; code_challenge: string | null;
  scopes: string; role: number; entity: number; nonce: string | null; expires_at: number; used_at: number | null;
}
export interface RefreshTokenRow {
  jti: string; client_id: string; account_id: string; role: number; entity: number; scopes: string;
  oit: number; iat: number; exp: number; used_at: number | null; revoked_at: number | null;
  /** The grant (authorization code hash) this token's rotation chain started from; null in pre-chain data dirs. */
  chain_id: string | null;
}
export interface AccessTokenRow {
  jti: string; client_id: string; account_id: string; role: number; entity: number; scopes: string;
  grant_type: string; refresh_jti: string | null; exp: number; revoked_at: number | null;
}
export interface CertificateRow {
  certificate_id: string; client_id: string; account_id: string; role: number; entity: number; algorithm: string;
  key_description: string; fingerprint: string; pem: string; valid_until: number; created_at: number; revoked_at: number | null;
}
export interface AuditEntry {
  at: number; accountId?: string | undefined; clientId?: string | undefined; entity?: number | undefined;
  role?: number | undefined; action: string; status: 'Success' | 'Failure'; detail: string;
}

/** The system database: integrations, codes, refresh and access token records, certificates, consents, sessions. */
export class SystemStore {
  readonly db: Database;
  private readonly integrations = new Map<string, ResolvedIntegration>();

  constructor(dataDir: string | undefined) {
    this.db = openDatabase(dataDir, 'system');
    this.db.exec(SYSTEM_SCHEMA);
    for (const { table, column, type } of SYSTEM_COLUMNS) {
      const columns = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  /** A random value generated once per data dir (passwords, client secrets). */
  secret(key: string): string {
    const existing = this.getMeta(`secret:${key}`);
    if (existing) return existing;
    const value = key.startsWith('client-secret:') ? randomBytes(32).toString('hex') : randomBytes(12).toString('base64url');
    this.setMeta(`secret:${key}`, value);
    return value;
  }

  saveIntegrations(list: ResolvedIntegration[]): void {
    const upsert = this.db.prepare('INSERT OR REPLACE INTO integration (client_id, account_id, name, settings) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const it of list) {
        const { clientSecret: _secret, ...settings } = it;
        upsert.run(it.clientId, it.accountId, it.name, JSON.stringify(settings));
        this.integrations.set(it.clientId, it);
      }
    })();
  }

  integration(clientId: string): ResolvedIntegration | undefined {
    return this.integrations.get(clientId);
  }

  allIntegrations(): ResolvedIntegration[] {
    return [...this.integrations.values()];
  }

  // --- authorization codes (stored hashed) ---
  insertCode(code: string, row: Omit<AuthCodeRow, 'code_hash' | 'used_at'>): void {
    this.db.prepare(`INSERT INTO auth_code (code_hash, client_id, account_id, redirect_uri, code_challenge, scopes, role, entity, nonce, expires_at)
      VALUES (@code_hash, @client_id, @account_id, @redirect_uri, @code_challenge, @scopes, @role, @entity, @nonce, @expires_at)`)
      .run({ ...row, code_hash: sha256Hex(code) });
  }

  findCode(code: string): AuthCodeRow | undefined {
    return this.db.prepare('SELECT * FROM auth_code WHERE code_hash = ?').get(sha256Hex(code)) as AuthCodeRow | undefined;
  }

  /** Marks the code used; false if it already was (single use, race-free). */
  consumeCode(codeHash: string, now: number): boolean {
    return this.db.prepare('UPDATE auth_code SET used_at = ? WHERE code_hash = ? AND used_at IS NULL').run(now, codeHash).changes === 1;
  }

  // --- refresh tokens ---
  insertRefreshToken(row: Omit<RefreshTokenRow, 'used_at' | 'revoked_at'>): void {
    this.db.prepare(`INSERT INTO refresh_token (jti, client_id, account_id, role, entity, scopes, oit, iat, exp, chain_id)
      VALUES (@jti, @client_id, @account_id, @role, @entity, @scopes, @oit, @iat, @exp, @chain_id)`).run(row);
  }

  findRefreshToken(jti: string): RefreshTokenRow | undefined {
    return this.db.prepare('SELECT * FROM refresh_token WHERE jti = ?').get(jti) as RefreshTokenRow | undefined;
  }

  consumeRefreshToken(jti: string, now: number): boolean {
    return this.db.prepare('UPDATE refresh_token SET used_at = ? WHERE jti = ? AND used_at IS NULL').run(now, jti).changes === 1;
  }

  /** Revokes a refresh token and every access token issued from it. */
  revokeRefreshToken(jti: string, now: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE refresh_token SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL').run(now, jti);
      this.db.prepare('UPDATE access_token SET revoked_at = ? WHERE refresh_jti = ? AND revoked_at IS NULL').run(now, jti);
    })();
  }

  /**
   * Revokes every refresh token of a chain and every access token issued from any of them: one grant, one fate
   * (Oracle: revoking a refresh token revokes the access tokens issued from it; RFC 6749 §4.1.2 for a replayed code).
   */
  revokeRefreshChain(chainId: string, now: number): void {
    this.db.transaction(() => {
      this.db.prepare(`UPDATE access_token SET revoked_at = ? WHERE revoked_at IS NULL
        AND refresh_jti IN (SELECT jti FROM refresh_token WHERE chain_id = ?)`).run(now, chainId);
      this.db.prepare('UPDATE refresh_token SET revoked_at = ? WHERE chain_id = ? AND revoked_at IS NULL').run(now, chainId);
    })();
  }

  // --- access tokens (their records; the JWTs themselves are never stored) ---
  insertAccessToken(row: Omit<AccessTokenRow, 'revoked_at'>): void {
    this.db.prepare(`INSERT INTO access_token (jti, client_id, account_id, role, entity, scopes, grant_type, refresh_jti, exp)
      VALUES (@jti, @client_id, @account_id, @role, @entity, @scopes, @grant_type, @refresh_jti, @exp)`).run(row);
  }

  findAccessToken(jti: string): AccessTokenRow | undefined {
    return this.db.prepare('SELECT * FROM access_token WHERE jti = ?').get(jti) as AccessTokenRow | undefined;
  }

  revokeAccessToken(jti: string, now: number): void {
    this.db.prepare('UPDATE access_token SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL').run(now, jti);
  }

  // --- id tokens (OIDC logout revokes the tokens issued with them) ---
  insertIdToken(row: { jti: string; client_id: string; access_jti: string; refresh_jti: string | null }): void {
    this.db.prepare('INSERT INTO id_token (jti, client_id, access_jti, refresh_jti) VALUES (@jti, @client_id, @access_jti, @refresh_jti)').run(row);
  }

  findIdToken(jti: string): { jti: string; client_id: string; access_jti: string; refresh_jti: string | null; revoked_at: number | null } | undefined {
    return this.db.prepare('SELECT * FROM id_token WHERE jti = ?').get(jti) as { jti: string; client_id: string; access_jti: string; refresh_jti: string | null; revoked_at: number | null } | undefined;
  }

  /** Revokes an id token with its access token and refresh token (and that refresh token's access tokens). */
  revokeIdTokenFamily(jti: string, now: number): void {
    const row = this.findIdToken(jti);
    if (!row) return;
    this.db.transaction(() => {
      this.db.prepare('UPDATE id_token SET revoked_at = ? WHERE jti = ? AND revoked_at IS NULL').run(now, jti);
      this.revokeAccessToken(row.access_jti, now);
      if (row.refresh_jti) this.revokeRefreshToken(row.refresh_jti, now);
    })();
  }

  // --- certificates ---
  insertCertificate(row: Omit<CertificateRow, 'revoked_at'>): void {
    this.db.prepare(`INSERT INTO certificate (certificate_id, client_id, account_id, role, entity, algorithm, key_description, fingerprint, pem, valid_until, created_at)
      VALUES (@certificate_id, @client_id, @account_id, @role, @entity, @algorithm, @key_description, @fingerprint, @pem, @valid_until, @created_at)`).run(row);
  }

  certificate(certificateId: string): CertificateRow | undefined {
    return this.db.prepare('SELECT * FROM certificate WHERE certificate_id = ?').get(certificateId) as CertificateRow | undefined;
  }

  certificatesOf(clientId: string): CertificateRow[] {
    return this.db.prepare('SELECT * FROM certificate WHERE client_id = ? ORDER BY created_at, certificate_id').all(clientId) as CertificateRow[];
  }

  certificatesWithFingerprint(fingerprint: string): CertificateRow[] {
    return this.db.prepare('SELECT * FROM certificate WHERE fingerprint = ?').all(fingerprint) as CertificateRow[];
  }

  revokeCertificate(certificateId: string, now: number): void {
    this.db.prepare('UPDATE certificate SET revoked_at = ? WHERE certificate_id = ? AND revoked_at IS NULL').run(now, certificateId);
  }

  // --- consent ---
  consent(clientId: string, accountId: string, entity: number): { role: number } | undefined {
    return this.db.prepare('SELECT role FROM consent WHERE client_id = ? AND account_id = ? AND entity = ?').get(clientId, accountId, entity) as { role: number } | undefined;
  }

  recordConsent(clientId: string, accountId: string, entity: number, role: number, now: number): void {
    this.db.prepare('INSERT OR REPLACE INTO consent (client_id, account_id, entity, role, granted_at) VALUES (?, ?, ?, ?, ?)').run(clientId, accountId, entity, role, now);
  }

  // --- UI sessions (cookie value stored hashed) ---
  createSession(accountId: string, entity: number, now: number): string {
    const id = randomBytes(24).toString('base64url');
    this.db.prepare('INSERT INTO session (id_hash, account_id, entity, created_at) VALUES (?, ?, ?, ?)').run(sha256Hex(id), accountId, entity, now);
    return id;
  }

  session(id: string): { account_id: string; entity: number; created_at: number } | undefined {
    return this.db.prepare('SELECT account_id, entity, created_at FROM session WHERE id_hash = ?').get(sha256Hex(id)) as { account_id: string; entity: number; created_at: number } | undefined;
  }

  // --- login audit trail (reasons only, never tokens) ---
  audit(entry: AuditEntry): void {
    this.db.prepare(`INSERT INTO login_audit (at, account_id, client_id, entity, role, action, status, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(entry.at, entry.accountId ?? null, entry.clientId ?? null, entry.entity ?? null, entry.role ?? null, entry.action, entry.status, entry.detail);
  }

  auditTrail(accountId?: string): AuditEntry[] {
    const rows = (accountId
      ? this.db.prepare('SELECT * FROM login_audit WHERE account_id = ? ORDER BY id').all(accountId)
      : this.db.prepare('SELECT * FROM login_audit ORDER BY id').all()) as Array<{ at: number; account_id: string | null; client_id: string | null; entity: number | null; role: number | null; action: string; status: 'Success' | 'Failure'; detail: string }>;
    return rows.map((r) => ({
      at: r.at, accountId: r.account_id ?? undefined, clientId: r.client_id ?? undefined, entity: r.entity ?? undefined,
      role: r.role ?? undefined, action: r.action, status: r.status, detail: r.detail,
    }));
  }
}
