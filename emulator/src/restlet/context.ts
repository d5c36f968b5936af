/** Everything an emulated N module needs to know about the running script. */
import type { BundleRegistry } from './bundleRegistry';
import type { GovernanceMeter } from './governance';
import type { PermissionResolver } from './permissions';
import type { CustomRecordTypeDef } from './sdfProject';
import type { AccountDirectory, AccountInfo, Clock, Employee, HostLogEntry, Role } from './types';

export type ExecutionContextType = 'RESTLET' | 'BUNDLE_INSTALLATION';

export interface ScriptContext {
  accountId: string;
  account: AccountInfo;
  directory: AccountDirectory;
  registry: BundleRegistry;
  scriptId: string;
  deploymentId: string;
  logLevel: string;
  user: { entityId: number; employee: Employee | undefined; role: Role; roleCenter: string };
  permissions: PermissionResolver;
  /** Custom record types installed in the account (all bundles). */
  recordTypes: CustomRecordTypeDef[];
  meter: GovernanceMeter;
  clock: Clock;
  executionContext: ExecutionContextType;
  features: ReadonlySet<string>;
  /** NetSuite release the emulator reports as `runtime.version`. */
  version: string;
  log(level: HostLogEntry['level'], title: string, details: string): void;
}
