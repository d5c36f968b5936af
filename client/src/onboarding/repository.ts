import { StoreError } from '../errors';
import { getManyBatched } from '../store/getMany';
import type { TenantRecord } from './types';

/** The TokenStore contract (client/src/store), restated structurally so this module has no import cycle. */
export interface KeyValueStore {
  get(key: string): Promise<{ value: string; version: number } | undefined>;
  compareAndSwap(key: string, expectedVersion: number | null, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  list(prefix: string): Promise<string[]>;
}

export const RECORD_PREFIX = 'suitebridge:onboarding:';
/** Bookkeeping written by API calls (last token time), kept apart so it never contends with the tenant record. */
export const ACTIVITY_PREFIX = 'suitebridge:activity:';

export interface TenantActivity {
  lastToken?: TenantRecord['lastToken'];
}

export interface VersionedRecord {
  record: TenantRecord;
  version: number;
}

/** Tenant records in the token store; every write is a compare-and-swap against the version we read. */
export class TenantRepository {
  constructor(private readonly store: KeyValueStore) {}

  async load(tenant: string): Promise<VersionedRecord | undefined> {
    const entry = await this.store.get(RECORD_PREFIX + tenant);
    if (!entry) return undefined;
    return withActivity(parseVersioned(tenant, entry), await this.activity(tenant));
  }

  /** Several tenants' records in a few round trips (stores with getMany); missing tenants are left out. */
  async loadMany(tenants: readonly string[]): Promise<VersionedRecord[]> {
    const [records, activities] = await Promise.all([
      getManyBatched(this.store, tenants.map((t) => RECORD_PREFIX + t)),
      // bookkeeping only: an unreadable activity never hides a record
      getManyBatched(this.store, tenants.map((t) => ACTIVITY_PREFIX + t)).catch(() => tenants.map(() => undefined)),
    ]);
    return tenants.flatMap((tenant, i) => {
      const entry = records[i];
      return entry ? [withActivity(parseVersioned(tenant, entry), parseActivity(activities[i]))] : [];
    });
  }

  /**
   * Best effort: records when the last token was minted under a separate key. A lost race (another process wrote
   * at the same moment) or a read-only / unreachable store is ignored, so no API call ever fails on bookkeeping.
   */
  async recordActivity(tenant: string, activity: TenantActivity): Promise<void> {
    try {
      const key = ACTIVITY_PREFIX + tenant;
      const current = await this.store.get(key);
      await this.store.compareAndSwap(key, current?.version ?? null, JSON.stringify(activity));
    } catch {
      // bookkeeping only
    }
  }

  private async activity(tenant: string): Promise<TenantActivity | undefined> {
    try {
      return parseActivity(await this.store.get(ACTIVITY_PREFIX + tenant));
    } catch {
      return undefined; // bookkeeping only: the tenant record is what matters
    }
  }

  /** Writes `record` if the stored version is still `expected` (null: must not exist). Returns the new version. */
  async save(record: TenantRecord, expected: number | null): Promise<number> {
    const key = RECORD_PREFIX + record.tenant;
    const ok = await this.store.compareAndSwap(key, expected, JSON.stringify(record));
    if (!ok) {
      throw new StoreError('STORE_CONFLICT', `Tenant "${record.tenant}" was changed by another process while this one worked on it.`, {
        remedy: 'Make sure only one onboarding runs per tenant, then run the command again; it resumes where it stopped.',
      });
    }
    const after = await this.store.get(key);
    if (!after) throw new StoreError('STORE_ERROR', `Tenant "${record.tenant}" vanished right after it was saved.`);
    return after.version;
  }

  async remove(tenant: string): Promise<void> {
    await this.store.delete(RECORD_PREFIX + tenant);
    await this.store.delete(ACTIVITY_PREFIX + tenant).catch(() => undefined);
  }

  async tenants(): Promise<string[]> {
    const keys = await this.store.list(RECORD_PREFIX);
    return keys.map((k) => (k.startsWith(RECORD_PREFIX) ? k.slice(RECORD_PREFIX.length) : k)).sort();
  }
}


function parseVersioned(tenant: string, entry: { value: string; version: number }): VersionedRecord {
  let record: TenantRecord;
  try {
    record = JSON.parse(entry.value) as TenantRecord;
  } catch (cause) {
    throw new StoreError('STORE_ERROR', `The onboarding record of tenant "${tenant}" is not valid JSON.`, {
      cause,
      remedy: `Remove it with \`suitebridge tenants remove ${tenant}\` and onboard again.`,
    });
  }
  if (record.version !== 1) {
    throw new StoreError('STORE_ERROR', `The onboarding record of tenant "${tenant}" has unknown version ${String(record.version)}.`, {
      remedy: 'Upgrade suitebridge to the version that wrote it.',
    });
  }
  return { record, version: entry.version };
}

function parseActivity(entry: { value: string } | undefined): TenantActivity | undefined {
  if (!entry) return undefined;
  try {
    return JSON.parse(entry.value) as TenantActivity;
  } catch {
    return undefined;
  }
}

function withActivity(loaded: VersionedRecord, activity: TenantActivity | undefined): VersionedRecord {
  const { record } = loaded;
  if (activity?.lastToken && (!record.lastToken || activity.lastToken.at > record.lastToken.at)) record.lastToken = activity.lastToken;
  return loaded;
}
