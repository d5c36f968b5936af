import { StoreError } from '../../client/src/errors';
import type { KeyValueStore } from '../../client/src/onboarding/repository';
import { getMany, getManyBatched } from '../../client/src/store/getMany';
import { CONNECTION_STATUSES, type ConnectionStatus, type TenantConnectionState } from './status';


export const STATUS_PREFIX = 'suitebridge:service:status:';
/**
 * `<prefix><status>:<tenant>` (empty value) for every tenant's current status, so the tenants in one status are one
 * listing by key prefix, not a read of every tenant. Written after the status record; readers check the record.
 */
export const STATUS_INDEX_PREFIX = 'suitebridge:service:status-index:';

const indexKey = (status: string, tenant: string) => `${STATUS_INDEX_PREFIX}${status}:${tenant}`;

/**
 * Each tenant's connection state, in the same store as its onboarding record (encrypted like it), under its own key
 * so health checks never contend with onboarding or rotation writes on the tenant record.
 */
export class StatusStore {
  constructor(private readonly store: KeyValueStore) {}

  async get(tenant: string): Promise<TenantConnectionState | undefined> {
    return (await this.read(tenant))?.state;
  }

  /** Several tenants' states at once (one store round trip where the store has getMany). */
  async getMany(tenants: readonly string[]): Promise<Array<TenantConnectionState | undefined>> {
    const entries = await getMany(this.store, tenants.map((t) => STATUS_PREFIX + t));
    return entries.map((entry, i) => (entry ? parseState(tenants[i] as string, entry.value) : undefined));
  }

  /**
   * Tenants the index lists in `status`, sorted. The index can lag a status change by a moment (or keep a stale
   * entry after a crash between the two writes): callers read the status records of the tenants they show.
   */
  async tenantsIn(status: ConnectionStatus): Promise<string[]> {
    const prefix = `${STATUS_INDEX_PREFIX}${status}:`;
    return (await this.store.list(prefix)).map((key) => key.slice(prefix.length)).sort();
  }

  /** Makes the index match the status records (at service start: records written before the index existed). */
  async reindex(): Promise<{ added: number; removed: number }> {
    const tenants = (await this.store.list(STATUS_PREFIX)).map((key) => key.slice(STATUS_PREFIX.length));
    const states = await this.getMany(tenants);
    const wanted = new Set(states.flatMap((state, i) => (state ? [indexKey(state.status, tenants[i] as string)] : [])));
    const present = new Set(await this.store.list(STATUS_INDEX_PREFIX));
    let added = 0;
    let removed = 0;
    for (const key of wanted) {
      if (!present.has(key) && (await this.store.compareAndSwap(key, null, ''))) added++;
    }
    for (const key of present) {
      if (!wanted.has(key)) {
        await this.store.delete(key);
        removed++;
      }
    }
    return { added, removed };
  }

  async list(): Promise<TenantConnectionState[]> {
    const tenants = (await this.store.list(STATUS_PREFIX)).sort().map((key) => (key.startsWith(STATUS_PREFIX) ? key.slice(STATUS_PREFIX.length) : key));
    const entries = await getManyBatched(this.store, tenants.map((t) => STATUS_PREFIX + t));
    return entries.flatMap((entry, i) => (entry ? [parseState(tenants[i] as string, entry.value)] : []));
  }

  /**
   * Read-modify-write with compare-and-swap; retried when another replica wrote in between.
   * `change` returns the new state (or undefined to leave it); it receives the previous state.
   */
  async update(
    tenant: string,
    change: (previous: TenantConnectionState | undefined) => TenantConnectionState | undefined,
  ): Promise<{ previous: TenantConnectionState | undefined; next: TenantConnectionState | undefined }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.read(tenant);
      const next = change(current?.state);
      if (!next) return { previous: current?.state, next: current?.state };
      if (await this.store.compareAndSwap(STATUS_PREFIX + tenant, current?.version ?? null, JSON.stringify(next))) {
        await this.index(tenant, next.status, current?.state.status);
        return { previous: current?.state, next };
      }
    }
    throw new StoreError('STORE_CONFLICT', `The connection status of tenant "${tenant}" kept changing under this process (5 attempts).`, {
      remedy: 'Another replica is writing it in a loop; check that every replica runs the same SuiteBridge version.',
    });
  }

  async remove(tenant: string): Promise<void> {
    await this.store.delete(STATUS_PREFIX + tenant);
    for (const status of CONNECTION_STATUSES) await this.store.delete(indexKey(status, tenant));
  }

  /**
   * The index entry of the status just written (every time: it also repairs an entry a crash left out), the old
   * one dropped; if another replica changed the status meanwhile, its entry is made sure of as well.
   */
  private async index(tenant: string, status: ConnectionStatus, previous: ConnectionStatus | undefined): Promise<void> {
    await this.store.compareAndSwap(indexKey(status, tenant), null, '');
    if (previous === undefined || previous === status) return;
    await this.store.delete(indexKey(previous, tenant));
    const now = (await this.read(tenant))?.state.status;
    if (now !== undefined && now !== status) await this.store.compareAndSwap(indexKey(now, tenant), null, '');
  }

  private async read(tenant: string): Promise<{ state: TenantConnectionState; version: number } | undefined> {
    const entry = await this.store.get(STATUS_PREFIX + tenant);
    return entry ? { state: parseState(tenant, entry.value), version: entry.version } : undefined;
  }
}

function parseState(tenant: string, value: string): TenantConnectionState {
  try {
    return JSON.parse(value) as TenantConnectionState;
  } catch (cause) {
    throw new StoreError('STORE_ERROR', `The connection status of tenant "${tenant}" is not valid JSON.`, {
      cause,
      remedy: 'Delete it; the next health check writes it again.',
    });
  }
}
