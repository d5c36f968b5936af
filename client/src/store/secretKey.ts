import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, ErrorCode, StoreError } from '../errors';
import { SECRET_KEY_BYTES } from './encryption';

export const SECRET_KEY_ENV = 'SUITEBRIDGE_SECRET_KEY';

/** Decodes a 32-byte key written as base64, base64url or hex. */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const candidates: Buffer[] = [];
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) candidates.push(Buffer.from(trimmed, 'hex'));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) candidates.push(Buffer.from(trimmed, 'base64'));
  const key = candidates.find((candidate) => candidate.length === SECRET_KEY_BYTES);
  if (!key) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${source} must be 32 random bytes written as base64 (44 characters) or hex (64 characters).`, {
      field: source,
      remedy: `Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    });
  }
  return key;
}

/** Reads `<path>`, or creates it with a fresh key and mode 0600 when it does not exist (race-safe: O_EXCL). */
export function loadOrCreateKeyFile(path: string): Buffer {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new StoreError(ErrorCode.STORE_ERROR, `Cannot create the key file ${path}.`, {
        cause: err,
        remedy: `Make the directory writable or set ${SECRET_KEY_ENV}.`,
      });
    }
  }
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    throw new StoreError(ErrorCode.STORE_ERROR, `The key file ${path} is readable by other users.`, {
      remedy: `Run: chmod 600 ${path}`,
    });
  }
  let text = readFileSync(path, 'utf8');
  // Another process may have created the file an instant ago and not written the key yet.
  for (let attempt = 0; text.trim() === '' && attempt < 50; attempt++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    text = readFileSync(path, 'utf8');
  }
  return parseSecretKey(text, path);
}

/** Key order: explicit option, SUITEBRIDGE_SECRET_KEY, then the key file next to the database. */
export function resolveSecretKey(options: { secretKey?: Buffer; keyFile: string; env?: NodeJS.ProcessEnv }): { key: Buffer; source: string } {
  if (options.secretKey !== undefined) {
    if (!Buffer.isBuffer(options.secretKey) || options.secretKey.length !== SECRET_KEY_BYTES) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'secretKey must be a Buffer of exactly 32 bytes.', { field: 'secretKey' });
    }
    return { key: options.secretKey, source: 'secretKey option' };
  }
  const fromEnv = (options.env ?? process.env)[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { key: parseSecretKey(fromEnv, SECRET_KEY_ENV), source: SECRET_KEY_ENV };
  return { key: loadOrCreateKeyFile(options.keyFile), source: options.keyFile };
}
