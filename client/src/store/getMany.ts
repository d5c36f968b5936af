import type { TokenStore } from './types';

type Entry = { value: string; version: number } | undefined;

/** `store.getMany(keys)` when the store has it (one round trip), else get() per key, in parallel. */
export function getMany(store: Pick<TokenStore, 'get'> & { getMany?: TokenStore['getMany'] }, keys: readonly string[]): Promise<Entry[]> {
  if (typeof store.getMany === 'function') return store.getMany(keys);
  return Promise.all(keys.map((key) => store.get(key)));
}

/** Keys per round trip when reading many: large enough to be few round trips, small enough for one query or pipeline. */
export const GET_MANY_BATCH = 500;

/** getMany over any number of keys, GET_MANY_BATCH at a time, in order. */
export async function getManyBatched(store: Pick<TokenStore, 'get'> & { getMany?: TokenStore['getMany'] }, keys: readonly string[]): Promise<Entry[]> {
  const out: Entry[] = [];
  for (let start = 0; start < keys.length; start += GET_MANY_BATCH) out.push(...(await getMany(store, keys.slice(start, start + GET_MANY_BATCH))));
  return out;
}
