import { ConfigurationError, TokenManager } from '../../client/src';

describe('audit: TokenManager options', () => {
  it.each([
    ['a number', 5],
    ['an object without get/compareAndSwap', { save: () => undefined }],
  ])('a store that is %s is refused at construction, naming the field', (_what, store) => {
    let thrown: unknown;
    try {
      new TokenManager({ store } as never);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).field).toBe('store');
    expect((thrown as ConfigurationError).remedy).toMatch(/SqliteTokenStore|MemoryTokenStore|RedisTokenStore/);
  });

  it('null options mean the defaults, like no options', () => {
    expect(() => new TokenManager(null as never)).not.toThrow();
  });
});
