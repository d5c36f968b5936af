import { ErrorCode, StoreError } from '../errors';
import type { TokenStore } from './types';

/** In-process store for tests and single-process tools. Same compare-and-swap semantics as the SQLite store. */
export class MemoryTokenStore implements TokenStore {
  private readonly rows = new Map<string, { value: string; version: number }>();
  private closed = false;

  async get(key: string): Promise<{ value: string; version: number } | undefined> {
    this.assertOpen();
    const row = this.rows.get(key);
    return row ? { ...row } : undefined;
  }

  async compareAndSwap(key: string, expectedVersion: number | null, value: string): Promise<boolean> {
    this.assertOpen();
    const row = this.rows.get(key);
    if (expectedVersion === null ? row !== undefined : row?.version !== expectedVersion) return false;
    this.rows.set(key, { value, version: expectedVersion === null ? 1 : expectedVersion + 1 });
    return true;
  }

  async getMany(keys: readonly string[]): Promise<Array<{ value: string; version: number } | undefined>> {
    this.assertOpen();
    return keys.map((key) => {
      const row = this.rows.get(key);
      return row ? { ...row } : undefined;
    });
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    this.rows.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    this.assertOpen();
    return [...this.rows.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError(ErrorCode.STORE_ERROR, 'The token store is closed.', { remedy: 'Create a new store.' });
  }
}
