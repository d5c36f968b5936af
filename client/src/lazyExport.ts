/**
 * Exports of the package root whose module pulls in an optional heavy dependency (better-sqlite3, ioredis, pg):
 * the module is required on first use (construct, call, static access, instanceof), not when the root loads,
 * so `require('suitebridge')` stays lean for programs that use the memory store only.
 */

/** A class (or any constructor) loaded on first use. `new`, `extends`, statics and `instanceof` behave as on the real class. */
export function lazyClass<C extends abstract new (...args: never[]) => unknown>(load: () => C): C {
  let real: C | undefined;
  const resolve = (): C => (real ??= load());
  // A plain function is the proxy target: it is constructible, so the construct trap is allowed.
  type Constructor = new (...args: unknown[]) => object;
  const proxy: C = new Proxy(function lazyExport() {} as unknown as C, {
    construct: (_target, args, newTarget): object => {
      const target = resolve() as unknown as Constructor;
      return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
    },
    get: (_target, property) => Reflect.get(resolve(), property, resolve()),
    has: (_target, property) => Reflect.has(resolve(), property),
    getPrototypeOf: () => Reflect.getPrototypeOf(resolve()),
  });
  return proxy;
}

/** A function loaded on first call. */
export function lazyFunction<F extends (...args: never[]) => unknown>(load: () => F): F {
  let real: F | undefined;
  return ((...args: Parameters<F>) => (real ??= load())(...args)) as F;
}
