import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ConfigurationError } from '../errors';

/**
 * The operator's sign-in credential, kept only as an scrypt hash: `scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`.
 * A plain password given at start is hashed at once; the console never keeps or prints it.
 */
export const OPERATOR_HASH_PREFIX = 'scrypt$';
export const MIN_OPERATOR_PASSWORD_LENGTH = 12;
/** N=2^15, r=8, p=1 (OWASP's scrypt minimum is N=2^17 with p=1 for a 128 MiB budget; 2^15 keeps a sign-in near 0.1 s on 2 cores). */
export const DEFAULT_SCRYPT_COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;

export interface OperatorCredential {
  /** The stored hash string; safe to keep in memory or a file, not a password. */
  readonly hash: string;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: 128 * n * r * p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function invalidHash(): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', 'The operator password hash is not in the form scrypt$N$r$p$salt$hash.', {
    field: 'operatorPasswordHash',
    remedy: 'Create it with `suitebridge console --hash-password` (reads the password from standard input) and store the whole line.',
  });
}

interface ParsedHash {
  n: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash {
  const parts = hash.trim().split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw invalidHash();
  const [n, r, p] = parts.slice(1, 4).map((v) => (/^[1-9][0-9]{0,9}$/.test(v ?? '') ? Number(v) : Number.NaN)) as [number, number, number];
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  // N must be a power of two; bounds stop a hostile file from asking for gigabytes of memory.
  const powerOfTwo = Number.isInteger(n) && n >= 2 && n <= 2 ** 20 && (n & (n - 1)) === 0;
  if (!powerOfTwo || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16) || salt.length < 8 || key.length !== KEY_LENGTH) throw invalidHash();
  return { n, r, p, salt, key };
}

/** Hashes a new operator password. `cost` (scrypt N) is for tests; keep the default otherwise. */
export async function hashOperatorPassword(password: string, options: { cost?: number } = {}): Promise<string> {
  checkPasswordStrength(password);
  const n = options.cost ?? DEFAULT_SCRYPT_COST;
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, n, BLOCK_SIZE, PARALLELISM);
  const hash = `scrypt$${n}$${BLOCK_SIZE}$${PARALLELISM}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  parseHash(hash);
  return hash;
}

export function checkPasswordStrength(password: string): void {
  if (typeof password !== 'string' || password.trim().length < MIN_OPERATOR_PASSWORD_LENGTH) {
    throw new ConfigurationError('INVALID_ARGUMENT', `The operator password must have at least ${MIN_OPERATOR_PASSWORD_LENGTH} characters.`, {
      field: 'operatorPassword',
      remedy: 'Choose a longer password (a passphrase of several words works well), or generate one: `openssl rand -base64 18`.',
    });
  }
}

/** Constant-time check of a candidate password against a stored hash. */
export async function verifyOperatorPassword(hash: string, candidate: unknown): Promise<boolean> {
  const parsed = parseHash(hash);
  if (typeof candidate !== 'string' || candidate.length === 0 || candidate.length > 1024) {
    // Same work as a real check, so a missing field is not faster than a wrong one.
    await derive('', parsed.salt, parsed.n, parsed.r, parsed.p);
    return false;
  }
  const key = await derive(candidate, parsed.salt, parsed.n, parsed.r, parsed.p);
  return timingSafeEqual(key, parsed.key);
}

/**
 * From the console options: exactly one of a password (hashed now) or a stored hash.
 * A string that starts with `scrypt$` in a password file is taken as a hash.
 */
export async function resolveOperatorCredential(input: { password?: string; passwordHash?: string } | undefined): Promise<OperatorCredential> {
  const password = input?.password;
  const passwordHash = input?.passwordHash?.trim();
  if (password !== undefined && passwordHash !== undefined) {
    throw new ConfigurationError('INVALID_ARGUMENT', 'Give the operator credential once: a password or a password hash, not both.', {
      field: 'operator',
      remedy: 'Keep only one of them.',
    });
  }
  if (passwordHash) {
    parseHash(passwordHash);
    return { hash: passwordHash };
  }
  if (password !== undefined) return { hash: await hashOperatorPassword(password) };
  throw new ConfigurationError('INVALID_ARGUMENT', 'The console needs an operator credential: nobody could sign in to manage tenants.', {
    field: 'operator',
    remedy:
      'Set SUITEBRIDGE_CONSOLE_PASSWORD, or pass --password-file <file> with the password or a hash from `suitebridge console --hash-password` (library: `operator: { password }` or `{ passwordHash }`).',
  });
}
