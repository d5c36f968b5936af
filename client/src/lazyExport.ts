/**
 * Exports of the package root whose module pulls in an optional heavy dependency (better-sqlite3, ioredis, pg):
 * the module is required on first use (construct, call, static access, instanceof), not when the root loads,
 * so `require('suitebridge')` stays lean for programs that use the memory store only.
 */
import { ConfigurationError, ErrorCode } from './errors';

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

function isMissingModule(err: unknown, name: string): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

/**
 * Wraps a module loader so that a missing optional driver becomes a ConfigurationError naming the package to install,
 * instead of Node's bare "Cannot find module".
 */
export function withDriver<T>(what: string, drivers: readonly string[], load: () => T): () => T {
  return () => {
    try {
      return load();
    } catch (err) {
      const missing = drivers.find((name) => isMissingModule(err, name));
      if (missing === undefined) throw err;
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${what} needs the optional package ${missing}, which is not installed.`, {
        field: what,
        remedy: `Install it next to suitebridge: npm install ${drivers.join(' ')}`,
        cause: err,
      });
    }
  };
}
