import type { Clock } from './clock';
import type { SqliteAccountDirectory } from './data/directory';
import { BundleInstaller, RestletHost } from './restlet';
import type { RestletCall, RestletResult } from './restlet';

export type { RestletCall, RestletResult };

/** The two classes of the restlet-host side of the seam (docs/architecture.md), built once per emulator. */
export interface RestletSeam {
  host: { handle(call: RestletCall): Promise<RestletResult>; logs(accountId?: string): unknown[] };
  installer: {
    install(accountId: string, bundleId: string, options?: { entityId?: number }): Promise<unknown>;
    uninstall(accountId: string, bundleId: string, options?: { entityId?: number }): Promise<void>;
    installed(accountId: string): { bundleId: string; installedAt: string }[];
  };
}

export function createRestletSeam(o: { projectDir: string; directory: SqliteAccountDirectory; clock: Clock; log?: (line: string) => void }): RestletSeam {
  const host = new RestletHost({ projectDir: o.projectDir, directory: o.directory, clock: o.clock, ...(o.log ? { log: o.log } : {}) });
  const installer = new BundleInstaller({ projectDir: o.projectDir, directory: o.directory, host, clock: o.clock });
  return { host, installer };
}
