/** OAuth state of the emulator: everything that is not an account's own NetSuite data. */
export const SYSTEM_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS integration (
  client_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, settings TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS auth_code (
  code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, account_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
  code_challenge TEXT, scopes TEXT NOT NULL, role INTEGER NOT NULL, entity INTEGER NOT NULL, nonce TEXT,
  expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE IF NOT EXISTS refresh_token (
  jti TEXT PRIMARY KEY, client_id TEXT NOT NULL, account_id TEXT NOT NULL, role INTEGER NOT NULL,
  entity INTEGER NOT NULL, scopes TEXT NOT NULL, oit INTEGER NOT NULL, iat INTEGER NOT NULL, exp INTEGER NOT NULL,
  used_at INTEGER, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS access_token (
  jti TEXT PRIMARY KEY, client_id TEXT NOT NULL, account_id TEXT NOT NULL, role INTEGER NOT NULL,
  entity INTEGER NOT NULL, scopes TEXT NOT NULL, grant_type TEXT NOT NULL, refresh_jti TEXT, exp INTEGER NOT NULL,
  revoked_at INTEGER);
CREATE INDEX IF NOT EXISTS access_token_refresh ON access_token (refresh_jti);
CREATE TABLE IF NOT EXISTS id_token (
  jti TEXT PRIMARY KEY, client_id TEXT NOT NULL, access_jti TEXT NOT NULL, refresh_jti TEXT, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS certificate (
  certificate_id TEXT PRIMARY KEY, client_id TEXT NOT NULL, account_id TEXT NOT NULL, role INTEGER NOT NULL,
  entity INTEGER NOT NULL, algorithm TEXT NOT NULL, key_description TEXT NOT NULL, fingerprint TEXT NOT NULL,
  pem TEXT NOT NULL, valid_until INTEGER NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
CREATE TABLE IF NOT EXISTS consent (
  client_id TEXT NOT NULL, account_id TEXT NOT NULL, entity INTEGER NOT NULL, role INTEGER NOT NULL,
  granted_at INTEGER NOT NULL, PRIMARY KEY (client_id, account_id, entity));
CREATE TABLE IF NOT EXISTS session (
  id_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, entity INTEGER NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS login_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, account_id TEXT, client_id TEXT, entity INTEGER,
  role INTEGER, action TEXT NOT NULL, status TEXT NOT NULL, detail TEXT NOT NULL);
`;

/**
 * Columns added after the first release; data dirs created before get them on open. `refresh_token.chain_id` names the
 * grant a refresh token belongs to (the authorization code's hash): revoking one token of a rotation chain, or
 * replaying the code, revokes the whole chain.
 */
export const SYSTEM_COLUMNS: ReadonlyArray<{ table: string; column: string; type: string }> = [
  { table: 'refresh_token', column: 'chain_id', type: 'TEXT' },
];
