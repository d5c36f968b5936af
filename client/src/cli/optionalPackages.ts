import { ConfigurationError, ErrorCode } from '../errors';

/**
 * What `suitebridge serve` (and `tenants repair`, which runs the service's repair) loads besides the core. The
 * published `suitebridge` package lists them as optional peer dependencies: a library user does not install them.
 */
export const SERVICE_PACKAGES = ['fastify', '@fastify/helmet', '@fastify/rate-limit', 'bullmq', 'ioredis', 'redis-semaphore', 'undici', 'pino', 'prom-client', 'standardwebhooks', '@opentelemetry/api'] as const;

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch (err) {
    // Present but without a CommonJS entry for require.resolve: still installed.
    return (err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND';
  }
}

/**
 * Checks, before a command loads its modules, that the optional packages it needs are installed, and names every
 * missing one in a single ConfigurationError (one `npm install` line), instead of Node's "Cannot find module" for
 * the first of them.
 */
export function requireInstalled(what: string, packages: readonly string[]): void {
  const missing = packages.filter((name) => !installed(name));
  if (missing.length === 0) return;
  const one = missing.length === 1;
  throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${what} needs the optional ${one ? 'package' : 'packages'} ${missing.join(', ')}, which ${one ? 'is' : 'are'} not installed.`, {
    field: what,
    remedy: `Install ${one ? 'it' : 'them'} next to suitebridge: npm install ${missing.join(' ')}`,
  });
}

/**
 * The safety net behind requireInstalled, for a command path that loads an optional package without checking first
 * (e.g. `api-keys --postgres` without pg): Node's "Cannot find module 'pg'" becomes the same ConfigurationError.
 * Relative and absolute paths (a broken installation, not a missing package) are left as they are.
 */
export function missingPackageError(err: unknown, what = 'This command'): ConfigurationError | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.code !== 'MODULE_NOT_FOUND' || typeof e.message !== 'string') return undefined;
  const name = /^Cannot find module '([^'./][^']*)'/.exec(e.message)?.[1];
  if (name === undefined) return undefined;
  const packageName = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
  return new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${what} needs the optional package ${packageName}, which is not installed.`, {
    field: what,
    remedy: `Install it next to suitebridge: npm install ${packageName}`,
    cause: err,
  });
}
