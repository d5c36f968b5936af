/**
 * A small versioned key-value store for tokens, refresh tokens and private keys.
 * Every write is a compare-and-swap on the row version, so concurrent writers (threads or processes) cannot
 * silently overwrite each other: the loser re-reads and decides again.
 */
export interface TokenStore {
  get(key: string): Promise<{ value: string; version: number } | undefined>;
  /**
   * Writes `value` if the stored version equals `expectedVersion` (`null`: only if the key does not exist).
   * A successful write sets version to 1 for a new key, or to `expectedVersion + 1`. Returns false on conflict.
   */
  compareAndSwap(key: string, expectedVersion: number | null, value: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
  /**
   * Several keys in one round trip: the entries in the order of `keys`, undefined where a key is absent. Optional
   * for other implementations; callers fall back to get() per key (see `getMany` in ./getMany).
   */
  getMany?(keys: readonly string[]): Promise<Array<{ value: string; version: number } | undefined>>;
  close(): Promise<void>;
}
