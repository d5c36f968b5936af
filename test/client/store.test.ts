import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../../client/src/errors';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { SqliteTokenStore } from '../../client/src/store/sqlite';
import type { TokenStore } from '../../client/src/store/types';
import { tokenStoreContractCases } from '../support/tokenStoreContract';
import { rejectionOf, rejectionSync } from './support/coreFetchMock';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sbr-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEY = randomBytes(32);
const openSqlite = (): TokenStore => new SqliteTokenStore({ path: join(dir, 'tokens.db'), secretKey: KEY });

describe.each([
  ['MemoryTokenStore', () => new MemoryTokenStore() as TokenStore],
  ['SqliteTokenStore', openSqlite],
])('%s contract', (_name, open) => {
  tokenStoreContractCases(open);
});

describe('SqliteTokenStore', () => {
  const dbPath = () => join(dir, 'tokens.db');

  it('persists across instances and runs in WAL mode with a busy timeout', async () => {
    const a = new SqliteTokenStore({ path: dbPath(), secretKey: KEY, busyTimeoutMs: 1234 });
    await a.compareAndSwap('k', null, 'persisted');
    await a.close();
    const b = new SqliteTokenStore({ path: dbPath(), secretKey: KEY });
    expect(await b.get('k')).toEqual({ value: 'persisted', version: 1 });
    await b.close();
    const raw = new Database(dbPath());
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('stores no token or private key in plain text (database, WAL and key files scanned)', async () => {
    const privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const refreshToken = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(48).toString('base64url')}.sig`;
    const accessToken = `at-${randomBytes(24).toString('hex')}`;
    const store = new SqliteTokenStore({ path: dbPath(), env: {} });
    await store.compareAndSwap('suitebridge:authorization:acme', null, JSON.stringify({ refreshToken, accessToken }));
    await store.compareAndSwap('suitebridge:onboarding:acme', null, JSON.stringify({ privateKeyPem }));
    await store.compareAndSwap('suitebridge:authorization:acme', 1, JSON.stringify({ refreshToken: `${refreshToken}2`, accessToken }));
    const files = readdirSync(dir).map((name) => join(dir, name));
    expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
    const needles = [refreshToken, refreshToken.split('.')[1]!, accessToken, 'PRIVATE KEY', privateKeyPem.split('\n')[1]!];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const needle of needles) {
        expect({ file, found: bytes.includes(Buffer.from(needle)) }).toEqual({ file, found: false });
        expect({ file, found: bytes.includes(Buffer.from(needle, 'utf16le')) }).toEqual({ file, found: false });
      }
    }
    expect(JSON.parse((await store.get('suitebridge:onboarding:acme'))!.value).privateKeyPem).toBe(privateKeyPem);
    await store.close();
  });

  it('generates a 0600 key file next to the database and reuses it', async () => {
    const a = new SqliteTokenStore({ path: dbPath(), env: {} });
    expect(a.keySource).toBe(`${dbPath()}.key`);
    await a.compareAndSwap('k', null, 'secret');
    await a.close();
    if (process.platform !== 'win32') expect(statSync(`${dbPath()}.key`).mode & 0o777).toBe(0o600);
    const b = new SqliteTokenStore({ path: dbPath(), env: {} });
    expect((await b.get('k'))!.value).toBe('secret');
    await b.close();
  });

  it('refuses a key file other users can read', () => {
    if (process.platform === 'win32') return;
    writeFileSync(`${dbPath()}.key`, randomBytes(32).toString('base64'), { mode: 0o644 });
    chmodSync(`${dbPath()}.key`, 0o644);
    const err = rejectionSync(() => new SqliteTokenStore({ path: dbPath(), env: {} }));
    expect(err.code).toBe('STORE_ERROR');
    expect(err.remedy).toMatch(/chmod 600/);
  });

  it('reads SUITEBRIDGE_SECRET_KEY as base64 or hex and creates no key file', async () => {
    const raw = randomBytes(32);
    const b64 = new SqliteTokenStore({ path: dbPath(), env: { SUITEBRIDGE_SECRET_KEY: raw.toString('base64') } });
    expect(b64.keySource).toBe('SUITEBRIDGE_SECRET_KEY');
    await b64.compareAndSwap('k', null, 'v');
    await b64.close();
    const hex = new SqliteTokenStore({ path: dbPath(), env: { SUITEBRIDGE_SECRET_KEY: raw.toString('hex') } });
    expect((await hex.get('k'))!.value).toBe('v');
    await hex.close();
    expect(existsSync(`${dbPath()}.key`)).toBe(false);
  });

  it.each(['too-short', randomBytes(16).toString('base64'), randomBytes(33).toString('hex'), 'zz'.repeat(32)])(
    'refuses SUITEBRIDGE_SECRET_KEY %j with a clear message',
    (value) => {
      const err = rejectionSync(() => new SqliteTokenStore({ path: dbPath(), env: { SUITEBRIDGE_SECRET_KEY: value } }));
      expect(err.code).toBe('INVALID_ARGUMENT');
      expect(err.message).toMatch(/32 random bytes/);
      expect(err.message).not.toContain(value);
    },
  );

  it('refuses a secretKey option that is not 32 bytes', () => {
    expect(rejectionSync(() => new SqliteTokenStore({ path: dbPath(), secretKey: Buffer.alloc(16) })).field).toBe('secretKey');
  });

  it('a wrong key fails with DECRYPTION_FAILED and leaves the data intact', async () => {
    const good = new SqliteTokenStore({ path: dbPath(), secretKey: KEY });
    await good.compareAndSwap('k', null, 'keep me');
    await good.close();
    const err = rejectionSync(() => new SqliteTokenStore({ path: dbPath(), secretKey: randomBytes(32) }));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.code).toBe('DECRYPTION_FAILED');
    expect(err.remedy).toMatch(/nothing was changed/);
    const again = new SqliteTokenStore({ path: dbPath(), secretKey: KEY });
    expect(await again.get('k')).toEqual({ value: 'keep me', version: 1 });
    await again.close();
  });

  it('detects tampering and ciphertexts moved between rows', async () => {
    const store = new SqliteTokenStore({ path: dbPath(), secretKey: KEY });
    await store.compareAndSwap('a', null, 'alpha');
    await store.compareAndSwap('b', null, 'beta');
    const raw = new Database(dbPath());
    raw.prepare("UPDATE suitebridge_tokens SET value = (SELECT value FROM suitebridge_tokens WHERE key = 'a') WHERE key = 'b'").run();
    const blob = raw.prepare("SELECT value FROM suitebridge_tokens WHERE key = 'a'").pluck().get() as Buffer;
    blob[blob.length - 1]! ^= 1;
    raw.prepare("UPDATE suitebridge_tokens SET value = ? WHERE key = 'a'").run(blob);
    raw.prepare("INSERT INTO suitebridge_tokens (key, value, version, updated_at) VALUES ('c', x'00', 1, 0)").run();
    raw.close();
    expect((await rejectionOf(store.get('b'))).code).toBe('DECRYPTION_FAILED');
    expect((await rejectionOf(store.get('a'))).code).toBe('DECRYPTION_FAILED');
    expect((await rejectionOf(store.get('c'))).message).toMatch(/not in SuiteBridge's encrypted format/);
    await store.close();
  });

  it('hides its key-check row and refuses to touch it', async () => {
    const store = new SqliteTokenStore({ path: dbPath(), secretKey: KEY });
    expect(await store.list('')).toEqual([]);
    expect((await rejectionOf(store.compareAndSwap('suitebridge:key-check', 1, 'x'))).code).toBe('STORE_ERROR');
    expect((await rejectionOf(store.get(''))).code).toBe('STORE_ERROR');
    await store.close();
  });

  it('reports an unusable path as STORE_ERROR naming the file and the cause', () => {
    const path = join(dir, 'missing-dir', 'x.db');
    const err = rejectionSync(() => new SqliteTokenStore({ path, secretKey: KEY }));
    expect(err.code).toBe('STORE_ERROR');
    expect(err.message).toContain(`open the token store ${path}`);
    expect(err.message).toMatch(/SQLITE_CANTOPEN: the file cannot be opened or created/);
    expect(err.remedy).toMatch(/directory exists/);
  });

  it('says which key, which file and what happened when a write fails (issue 9 §7)', async () => {
    const store = new SqliteTokenStore({ path: dbPath(), secretKey: KEY, busyTimeoutMs: 0 });
    const other = new Database(dbPath());
    other.exec('BEGIN IMMEDIATE');
    try {
      const err = await rejectionOf(store.compareAndSwap('suitebridge:authorization:acme:restlets', null, 'v'));
      expect(err.code).toBe('STORE_ERROR');
      expect(err.message).toBe(`Could not write "suitebridge:authorization:acme:restlets" to the token store ${dbPath()} (SQLITE_BUSY: another process held the write lock longer than busyTimeoutMs).`);
      expect(err.remedy).toMatch(/busyTimeoutMs/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });
});

describe('MemoryTokenStore', () => {
  it('refuses use after close', async () => {
    const store = new MemoryTokenStore();
    await store.close();
    expect((await rejectionOf(store.get('k'))).code).toBe('STORE_ERROR');
  });
});
