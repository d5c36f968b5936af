import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, StoreError } from '../../../client/src/errors';
import type { KeyValueStore } from '../../../client/src/onboarding/repository';

export const API_KEY_SCOPES = ['tenants:read', 'tenants:manage', 'proxy'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_PREFIX = 'suitebridge:service:api-key:';

/** What the store keeps of a key: its SHA-256, never the key. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** Only these tenants; absent: every tenant. */
  tenants?: string[];
  /** Requests per minute for this key; absent: the service default. */
  rateLimitPerMinute?: number;
  createdAt: string;
  revokedAt?: string;
  /** Hex SHA-256 of the whole key. */
  sha256: string;
}

export type ApiKeyInfo = Omit<ApiKeyRecord, 'sha256'>;

/** `sbk_<id>_<secret>`: the id (8 random bytes) finds the record, the secret (32 random bytes) proves possession. */
const KEY_FORMAT = /^sbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function info(record: ApiKeyRecord): ApiKeyInfo {
  const { sha256: _hash, ...rest } = record;
  return rest;
}

/** API keys of calling systems, in the service's store (encrypted at rest like every value there). */
export class ApiKeyStore {
  constructor(private readonly store: KeyValueStore, private readonly now: () => number = Date.now) {}

  /** Returns the key once; only its hash is kept. */
  async create(o: { name: string; scopes: readonly string[]; tenants?: readonly string[]; rateLimitPerMinute?: number }): Promise<{ key: string; record: ApiKeyInfo }> {
    if (!o.name || o.name.length > 100) throw new ConfigurationError('INVALID_ARGUMENT', 'An API key needs a name of 1–100 characters.', { field: 'name', remedy: 'Name it after the calling system, e.g. --name billing-backend.' });
    const scopes = checkScopes(o.scopes);
    if (o.rateLimitPerMinute !== undefined && !(Number.isInteger(o.rateLimitPerMinute) && o.rateLimitPerMinute > 0)) {
      throw new ConfigurationError('INVALID_ARGUMENT', `rateLimitPerMinute must be a positive integer, got ${String(o.rateLimitPerMinute)}.`, { field: 'rateLimitPerMinute' });
    }
    const id = randomBytes(8).toString('hex');
    const key = `sbk_${id}_${randomBytes(32).toString('base64url')}`;
    const record: ApiKeyRecord = {
      id,
      name: o.name,
      scopes,
      ...(o.tenants && o.tenants.length > 0 ? { tenants: [...o.tenants] } : {}),
      ...(o.rateLimitPerMinute ? { rateLimitPerMinute: o.rateLimitPerMinute } : {}),
      createdAt: new Date(this.now()).toISOString(),
      sha256: sha256(key).toString('hex'),
    };
    if (!(await this.store.compareAndSwap(API_KEY_PREFIX + id, null, JSON.stringify(record)))) {
      throw new StoreError('STORE_CONFLICT', 'A key with the same random id already exists.', { remedy: 'Create the key again.' });
    }
    return { key, record: info(record) };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const out: ApiKeyInfo[] = [];
    for (const key of await this.store.list(API_KEY_PREFIX)) {
      const record = await this.read(key.startsWith(API_KEY_PREFIX) ? key.slice(API_KEY_PREFIX.length) : key);
      if (record) out.push(info(record.record));
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Marks the key revoked (kept for the audit trail); false when no such key. */
  async revoke(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.read(id);
      if (!current) return false;
      if (current.record.revokedAt) return true;
      const next = { ...current.record, revokedAt: new Date(this.now()).toISOString() };
      if (await this.store.compareAndSwap(API_KEY_PREFIX + id, current.version, JSON.stringify(next))) return true;
    }
    throw new StoreError('STORE_CONFLICT', `API key ${id} kept changing while it was revoked.`, { remedy: 'Revoke it again.' });
  }

  /** The key's record when the key is genuine and not revoked; undefined otherwise (no reason is given out). */
  async verify(presented: string): Promise<ApiKeyInfo | undefined> {
    const m = KEY_FORMAT.exec(presented);
    if (!m) return undefined;
    const found = await this.read(m[1] as string);
    if (!found || found.record.revokedAt) return undefined;
    const expected = Buffer.from(found.record.sha256, 'hex');
    const actual = sha256(presented);
    return expected.length === actual.length && timingSafeEqual(expected, actual) ? info(found.record) : undefined;
  }

  private async read(id: string): Promise<{ record: ApiKeyRecord; version: number } | undefined> {
    if (!/^[0-9a-f]{16}$/.test(id)) return undefined;
    const entry = await this.store.get(API_KEY_PREFIX + id);
    return entry ? { record: JSON.parse(entry.value) as ApiKeyRecord, version: entry.version } : undefined;
  }
}

export function checkScopes(scopes: readonly string[]): ApiKeyScope[] {
  const unknown = scopes.filter((s) => !(API_KEY_SCOPES as readonly string[]).includes(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new ConfigurationError('INVALID_ARGUMENT', scopes.length === 0 ? 'An API key needs at least one scope.' : `Unknown scope ${unknown.map((s) => JSON.stringify(s)).join(', ')}.`, {
      field: 'scopes',
      remedy: `Use one or more of ${API_KEY_SCOPES.join(', ')}.`,
    });
  }
  return [...new Set(scopes)] as ApiKeyScope[];
}
