import { StoreError } from '../../client/src/errors';
import { RECORD_PREFIX, type KeyValueStore } from '../../client/src/onboarding/repository';
import type { TenantRecord } from '../../client/src/onboarding/types';
import { toSummary } from '../../client/src/onboarding/view';
import { getMany } from '../../client/src/store/getMany';
import type { ConnectionStatus, TenantConnectionState } from './status';
import type { StatusStore } from './statusStore';
import type { TenantSummary } from '../../client/src/onboarding/view';

export interface StatusPage {
  tenants: Array<{ summary: TenantSummary; state: TenantConnectionState }>;
  /** Another tenant in this status follows the page. */
  more: boolean;
}

/**
 * One page of the tenants in a status, by name after `after`: the status index gives the names (one listing by key
 * prefix), then only the page's status records and tenant records are read, a batch per round trip. An index entry
 * whose status record says otherwise (a change in flight) or whose tenant is gone is skipped.
 */
export async function tenantsInStatus(
  store: KeyValueStore,
  statuses: StatusStore,
  o: { status: ConnectionStatus; limit: number; after?: string; visible?: (tenant: string) => boolean },
): Promise<StatusPage> {
  const candidates = (await statuses.tenantsIn(o.status)).filter((t) => (o.after === undefined || t > o.after) && (o.visible?.(t) ?? true));
  const tenants: StatusPage['tenants'] = [];
  let next = 0;
  // limit + 1: the extra one only says whether a next page exists.
  while (tenants.length <= o.limit && next < candidates.length) {
    const batch = candidates.slice(next, next + Math.max(o.limit + 1 - tenants.length, 8));
    next += batch.length;
    const [states, records] = await Promise.all([statuses.getMany(batch), getMany(store, batch.map((t) => RECORD_PREFIX + t))]);
    batch.forEach((tenant, i) => {
      const state = states[i];
      const record = records[i];
      if (!state || state.status !== o.status || !record || tenants.length > o.limit) return;
      tenants.push({ summary: toSummary(parseRecord(tenant, record.value)), state });
    });
  }
  const more = tenants.length > o.limit;
  return { tenants: tenants.slice(0, o.limit), more };
}

function parseRecord(tenant: string, value: string): TenantRecord {
  try {
    return JSON.parse(value) as TenantRecord;
  } catch (cause) {
    throw new StoreError('STORE_ERROR', `The onboarding record of tenant "${tenant}" is not valid JSON.`, { cause, remedy: `Remove it with \`suitebridge tenants remove ${tenant}\` and onboard again.` });
  }
}
