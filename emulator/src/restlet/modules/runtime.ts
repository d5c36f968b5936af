/** N/runtime (all calls 0 units). */
import type { ScriptContext } from '../context';
import { SuiteScriptError } from '../errors';
import { KNOWN_FEATURES } from '../features';
import { PERMISSION_NUMBER } from '../permissions';

const EnvType = Object.freeze({ PRODUCTION: 'PRODUCTION', SANDBOX: 'SANDBOX', BETA: 'BETA', INTERNAL: 'INTERNAL' });
const Permission = Object.freeze({ FULL: 4, EDIT: 3, CREATE: 2, VIEW: 1, NONE: 0 });
const ContextType = Object.freeze({
  RESTLET: 'RESTLET',
  BUNDLE_INSTALLATION: 'BUNDLE_INSTALLATION',
  SUITELET: 'SUITELET',
  SCHEDULED: 'SCHEDULED',
  MAP_REDUCE: 'MAP_REDUCE',
  USER_INTERFACE: 'USER_INTERFACE',
  USEREVENT: 'USEREVENT',
  WEBSERVICES: 'WEBSERVICES',
  REST_WEBSERVICES: 'REST_WEBSERVICES',
  CSV_IMPORT: 'CSV_IMPORT',
  CLIENT: 'CLIENT',
});

function optionName(options: unknown, key: string, method: string): string {
  const value = typeof options === 'string' ? options : (options as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'string' || value === '') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${method}: Missing a required argument: ${key}`);
  }
  return value;
}

function currentUser(ctx: ScriptContext) {
  const { employee, role, entityId, roleCenter } = ctx.user;
  return Object.freeze({
    id: entityId,
    name: employee?.name ?? (entityId === -4 ? '-System-' : ''),
    email: employee?.email ?? '',
    role: role.internalId,
    roleId: role.scriptId.toLowerCase(),
    roleCenter,
    subsidiary: 1,
    department: 0,
    location: 0,
    contact: 0,
    getPermission(options: unknown): number {
      return PERMISSION_NUMBER[ctx.permissions.level(optionName(options, 'name', 'User.getPermission'))];
    },
    getPreference(): null {
      return null;
    },
  });
}

function currentScript(ctx: ScriptContext) {
  return Object.freeze({
    id: ctx.scriptId,
    deploymentId: ctx.deploymentId,
    logLevel: ctx.logLevel,
    apiVersion: '2.1',
    bundleIds: ctx.registry.bundlesContaining(ctx.accountId, ctx.scriptId),
    getRemainingUsage: (): number => ctx.meter.remaining,
    // Script parameters are not read from the project; every parameter is unset.
    getParameter: (options: unknown): null => {
      optionName(options, 'name', 'Script.getParameter');
      return null;
    },
  });
}

export function createRuntimeModule(ctx: ScriptContext): Record<string, unknown> {
  return {
    accountId: ctx.accountId,
    envType: ctx.account.environment,
    version: ctx.version,
    executionContext: ctx.executionContext,
    country: 'US',
    processorCount: 1,
    queueCount: 1,
    EnvType,
    Permission,
    ContextType,
    getCurrentUser: () => currentUser(ctx),
    getCurrentScript: () => currentScript(ctx),
    getCurrentSession: () => Object.freeze({ get: () => null, set: () => undefined }),
    isFeatureInEffect(options: unknown): boolean {
      const feature = optionName(options, 'feature', 'runtime.isFeatureInEffect').toUpperCase();
      if (!KNOWN_FEATURES.has(feature)) {
        throw new SuiteScriptError('INVALID_FEATURE_ID', `Feature ID "${feature}" is not a valid feature.`);
      }
      return ctx.features.has(feature);
    },
  };
}
