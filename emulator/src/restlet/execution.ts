/** Builds one script execution: its context, governance meter, N modules and sandbox. */
import { AmdSandbox } from './amdSandbox';
import type { BundleRegistry } from './bundleRegistry';
import type { ExecutionContextType, ScriptContext } from './context';
import { GovernanceMeter } from './governance';
import { createModuleResolver } from './modules';
import { PermissionResolver } from './permissions';
import type { AccountDirectory, AccountInfo, Clock, HostLogEntry, Role } from './types';

export interface ExecutionSpec {
  accountId: string;
  account: AccountInfo;
  directory: AccountDirectory;
  registry: BundleRegistry;
  fileCabinetRoot: string;
  scriptId: string;
  deploymentId: string;
  logLevel: string;
  entityId: number;
  role: Role;
  roleCenter: string;
  usageLimit: number;
  executionContext: ExecutionContextType;
  features: ReadonlySet<string>;
  clock: Clock;
  timeoutMs: number;
  version: string;
  log(entry: HostLogEntry): void;
}

export interface Execution {
  ctx: ScriptContext;
  sandbox: AmdSandbox;
}

export function prepareExecution(spec: ExecutionSpec): Execution {
  const recordTypes = spec.registry.customRecordTypes(spec.accountId);
  const ctx: ScriptContext = {
    accountId: spec.accountId,
    account: spec.account,
    directory: spec.directory,
    registry: spec.registry,
    scriptId: spec.scriptId,
    deploymentId: spec.deploymentId,
    logLevel: spec.logLevel,
    user: {
      entityId: spec.entityId,
      employee: spec.directory.getEmployee(spec.accountId, spec.entityId),
      role: spec.role,
      roleCenter: spec.roleCenter,
    },
    permissions: new PermissionResolver(spec.directory, spec.accountId, spec.role, recordTypes),
    recordTypes,
    meter: new GovernanceMeter(spec.usageLimit),
    clock: spec.clock,
    executionContext: spec.executionContext,
    features: spec.features,
    version: spec.version,
    log: (level, title, details) =>
      spec.log({ accountId: spec.accountId, scriptId: spec.scriptId, deploymentId: spec.deploymentId, level, title, details }),
  };
  const resolveNModule = createModuleResolver(ctx);
  const sandbox = new AmdSandbox({
    fileCabinetRoot: spec.fileCabinetRoot,
    resolveNModule,
    globals: { log: resolveNModule('N/log') },
    clock: spec.clock,
    timeoutMs: spec.timeoutMs,
  });
  return { ctx, sandbox };
}

/** `{ code, message }` of anything a script threw: SuiteScript errors keep their name, never a stack. */
export function describeThrown(thrown: unknown): { code: string; message: string } {
  if (thrown !== null && typeof thrown === 'object') {
    const o = thrown as { name?: unknown; message?: unknown };
    const name = typeof o.name === 'string' && o.name !== '' ? o.name : 'UNEXPECTED_ERROR';
    return { code: name, message: typeof o.message === 'string' ? o.message : String(o.message ?? '') };
  }
  return { code: 'UNEXPECTED_ERROR', message: String(thrown) };
}
