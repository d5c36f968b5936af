import type { Clock } from './clock';
import type { AccountDirectory } from './data/directoryTypes';

/** The RESTlet host side of the seam (docs/architecture.md); implemented in emulator/src/restlet/. */
export interface RestletCall {
  accountId: string; scriptId: string; deployId: string; method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query: Record<string, string>; body: unknown; contentType: string | undefined;
  user: { entityId: number; roleId: number };
}
export interface RestletResult { status: number; contentType: string; body: string; unitsUsed: number }
export interface RestletHostLike { handle(call: RestletCall): Promise<RestletResult> }
export interface BundleInstallerLike {
  install(accountId: string, bundleId: string): Promise<unknown>;
  uninstall(accountId: string, bundleId: string): Promise<void>;
  installed(accountId: string): { bundleId: string; installedAt: string }[];
}
export interface RestletSeam { host: RestletHostLike; installer: BundleInstallerLike }

interface RestletModule {
  RestletHost: new (opts: { projectDir: string; directory: AccountDirectory; clock: Clock; log?: (line: string) => void }) => RestletHostLike;
  BundleInstaller: new (opts: { projectDir: string; directory: AccountDirectory; host: RestletHostLike; clock: Clock }) => BundleInstallerLike;
}

/** Thrown by the stand-in when the restlet-host code is not available. */
export class RestletHostUnavailableError extends Error {
  constructor(detail: string) {
    super(`The RESTlet host (emulator/src/restlet) is not available: ${detail}`);
    this.name = 'RestletHostUnavailableError';
  }
}

function tryRequire(path: string): Record<string, unknown> | string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path) as Record<string, unknown>;
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? 'cannot load';
  }
}

/** Loaded at runtime so the core runs (and says why RESTlets fail) before the restlet-host code exists. */
function loadRestletModule(): RestletModule | string {
  const candidates = [tryRequire('./restlet'), tryRequire('./restlet/restletHost'), tryRequire('./restlet/bundleInstaller')];
  const merged: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const c of candidates) {
    if (typeof c === 'string') problems.push(c);
    else Object.assign(merged, c);
  }
  if (typeof merged.RestletHost === 'function' && typeof merged.BundleInstaller === 'function') return merged as unknown as RestletModule;
  return `RestletHost/BundleInstaller not found (${problems.join('; ') || 'not exported'})`;
}

/** Builds the host and installer from emulator/src/restlet, or a stand-in that refuses clearly. */
export function createRestletSeam(o: { projectDir: string; directory: AccountDirectory; clock: Clock; log?: (line: string) => void }): RestletSeam {
  const mod = loadRestletModule();
  if (typeof mod === 'string') {
    const fail = (): never => { throw new RestletHostUnavailableError(mod); };
    return {
      host: { handle: async () => fail() },
      installer: { install: async () => fail(), uninstall: async () => fail(), installed: () => [] },
    };
  }
  const hostOptions = o.log ? { projectDir: o.projectDir, directory: o.directory, clock: o.clock, log: o.log } : { projectDir: o.projectDir, directory: o.directory, clock: o.clock };
  const host = new mod.RestletHost(hostOptions);
  const installer = new mod.BundleInstaller({ projectDir: o.projectDir, directory: o.directory, host, clock: o.clock });
  return { host, installer };
}
