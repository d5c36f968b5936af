import type { TokenStore } from '../../client/src/store/types';

/**
 * The TokenStore contract every store must keep (memory, SQLite, Redis, PostgreSQL): call inside a describe
 * with a factory that returns a fresh, empty store for each case.
 */
export function tokenStoreContractCases(open: () => TokenStore | Promise<TokenStore>): void {
  let store: TokenStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('inserts with expectedVersion null once, at version 1', async () => {
    expect(await store.get('k')).toBeUndefined();
    expect(await store.compareAndSwap('k', null, 'v1')).toBe(true);
    expect(await store.get('k')).toEqual({ value: 'v1', version: 1 });
    expect(await store.compareAndSwap('k', null, 'other')).toBe(false);
    expect(await store.get('k')).toEqual({ value: 'v1', version: 1 });
  });

  it('updates only from the expected version, bumping it by one', async () => {
    await store.compareAndSwap('k', null, 'v1');
    expect(await store.compareAndSwap('k', 1, 'v2')).toBe(true);
    expect(await store.compareAndSwap('k', 1, 'stale')).toBe(false);
    expect(await store.compareAndSwap('k', 3, 'future')).toBe(false);
    expect(await store.get('k')).toEqual({ value: 'v2', version: 2 });
    expect(await store.compareAndSwap('missing', 1, 'x')).toBe(false);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('lets exactly one of many concurrent writers win a version', async () => {
    await store.compareAndSwap('k', null, 'v1');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.compareAndSwap('k', 1, `w${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.get('k'))!.version).toBe(2);
  });

  it('deletes and lists by literal prefix, sorted', async () => {
    for (const key of ['a:2', 'a:1', 'a_%:x', 'b:1', 'a%']) await store.compareAndSwap(key, null, key);
    expect(await store.list('a:')).toEqual(['a:1', 'a:2']);
    expect(await store.list('a_')).toEqual(['a_%:x']);
    expect(await store.list('a%')).toEqual(['a%']);
    expect(await store.list('')).toEqual(['a%', 'a:1', 'a:2', 'a_%:x', 'b:1']);
    await store.delete('a:1');
    await store.delete('never-there');
    expect(await store.list('a:')).toEqual(['a:2']);
    expect(await store.compareAndSwap('a:1', null, 'again')).toBe(true);
  });

  it('getMany: several keys at once, in the order asked, absent ones undefined, versions as get() gives them', async () => {
    expect(typeof store.getMany).toBe('function');
    await store.compareAndSwap('m:a', null, 'A');
    await store.compareAndSwap('m:b', null, 'B1');
    await store.compareAndSwap('m:b', 1, 'B2');
    await store.compareAndSwap('m:c', null, 'é☃');
    const keys = ['m:c', 'missing', 'm:a', 'm:b', 'm:a'];
    expect(await store.getMany!(keys)).toEqual([{ value: 'é☃', version: 1 }, undefined, { value: 'A', version: 1 }, { value: 'B2', version: 2 }, { value: 'A', version: 1 }]);
    expect(await store.getMany!(keys)).toEqual(await Promise.all(keys.map((k) => store.get(k))));
    expect(await store.getMany!([])).toEqual([]);
    await store.delete('m:a');
    expect(await store.getMany!(['m:a', 'm:b'])).toEqual([undefined, { value: 'B2', version: 2 }]);
    const many = Array.from({ length: 1500 }, (_, i) => `bulk:${String(i).padStart(4, '0')}`);
    for (const key of many.slice(0, 750)) await store.compareAndSwap(key, null, key);
    const got = await store.getMany!(many);
    expect(got.filter(Boolean)).toHaveLength(750);
    expect(got[749]).toEqual({ value: 'bulk:0749', version: 1 });
    expect(got[750]).toBeUndefined();
  });

  it('keeps unicode and large values intact', async () => {
    const value = `é☃${'x'.repeat(100_000)}`;
    await store.compareAndSwap('big', null, value);
    expect((await store.get('big'))!.value).toBe(value);
  });
}
