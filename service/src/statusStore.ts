import { StoreError } from '../../client/src/errors';
import type { KeyValueStore } from '../../client/src/onboarding/repository';
import type { TenantConnectionState } from './status';

export const STATUS_PREFIX = 'suitebridge:service:status:';

/**
 * Each tenant's connection state, in the same store as its onboarding record (encrypted like it), under its own key
 * so health checks never contend with onboarding or rotation writes on the tenant record.
 */
export class StatusStore {
  constructor(private readonly store: KeyValueStore) {}

  async get(tenant: string): Promise<TenantConnectionState | undefined> {
    return (await this.read(tenant))?.state;
  }

  async list(): Promise<TenantConnectionState[]> {
    const out: TenantConnectionState[] = [];
    for (const key of (await this.store.list(STATUS_PREFIX)).sort()) {
      const state = await this.get(key.startsWith(STATUS_PREFIX) ? key.slice(STATUS_PREFIX.length) : key);
      if (state) out.push(state);
    }
    return out;
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
        return { previous: current?.state, next };
      }
    }
    throw new StoreError('STORE_CONFLICT', `The connection status of tenant "${tenant}" kept changing under this process (5 attempts).`, {
      remedy: 'Another replica is writing it in a loop; check that every replica runs the same SuiteBridge version.',
    });
  }

  async remove(tenant: string): Promise<void> {
    await this.store.delete(STATUS_PREFIX + tenant);
  }

  private async read(tenant: string): Promise<{ state: TenantConnectionState; version: number } | undefined> {
    const entry = await this.store.get(STATUS_PREFIX + tenant);
    if (!entry) return undefined;
    try {
      return { state: JSON.parse(entry.value) as TenantConnectionState, version: entry.version };
    } catch (cause) {
      throw new StoreError('STORE_ERROR', `The connection status of tenant "${tenant}" is not valid JSON.`, {
        cause,
        remedy: 'Delete it; the next health check writes it again.',
      });
    }
  }
}
