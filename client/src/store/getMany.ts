import type { TokenStore } from './types';

type Entry = { value: string; version: number } | undefined;

/** `store.getMany(keys)` when the store has it (one round trip), else get() per key, in parallel. */
export function getMany(store: Pick<TokenStore, 'get'> & { getMany?: TokenStore['getMany'] }, keys: readonly string[]): Promise<Entry[]> {
  if (typeof store.getMany === 'function') return store.getMany(keys);
  return Promise.all(keys.map((key) => store.get(key)));
}
