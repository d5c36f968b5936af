/** N/suiteAppInfo: bundle queries against the account's installed bundles. */
import type { ScriptContext } from '../context';
import { SuiteScriptError } from '../errors';
import { UNIT_COSTS } from '../governance';

function stringArg(value: unknown, key: string, method: string): string {
  const v = (value as Record<string, unknown> | undefined)?.[key];
  if (v === undefined || v === null || v === '') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `suiteAppInfo.${method}: Missing a required argument: ${key}`);
  }
  return String(v);
}

export function createSuiteAppInfoModule(ctx: ScriptContext): Record<string, unknown> {
  const bundles = () => ctx.registry.list(ctx.accountId);
  return {
    isBundleInstalled(options: unknown): boolean {
      const bundleId = stringArg(options, 'bundleId', 'isBundleInstalled');
      ctx.meter.consume(UNIT_COSTS.suiteAppIs);
      return bundles().some((b) => b.bundleId === bundleId);
    },
    isSuiteAppInstalled(options: unknown): boolean {
      stringArg(options, 'suiteAppId', 'isSuiteAppInstalled');
      ctx.meter.consume(UNIT_COSTS.suiteAppIs);
      return false;
    },
    listInstalledBundles(): Record<string, unknown>[] {
      ctx.meter.consume(UNIT_COSTS.suiteAppList);
      return bundles().map((b) => ({
        id: b.bundleId,
        name: b.snapshot.projectName,
        version: b.version,
        installedFrom: 'PRODUCTION',
        dateInstalled: b.installedAt,
        dateLastUpdated: b.updatedAt,
      }));
    },
    listInstalledSuiteApps(): unknown[] {
      ctx.meter.consume(UNIT_COSTS.suiteAppList);
      return [];
    },
    listBundlesContainingScripts(options: unknown): Record<string, string[]> {
      const scriptIds = (options as Record<string, unknown> | undefined)?.['scriptIds'];
      if (!Array.isArray(scriptIds)) {
        throw new SuiteScriptError(
          'SSS_MISSING_REQD_ARGUMENT',
          'suiteAppInfo.listBundlesContainingScripts: Missing a required argument: scriptIds',
        );
      }
      ctx.meter.consume(UNIT_COSTS.suiteAppList);
      return Object.fromEntries(scriptIds.map((id) => [String(id), ctx.registry.bundlesContaining(ctx.accountId, String(id))]));
    },
    listSuiteAppsContainingScripts(options: unknown): Record<string, null> {
      const scriptIds = (options as Record<string, unknown> | undefined)?.['scriptIds'];
      ctx.meter.consume(UNIT_COSTS.suiteAppList);
      return Object.fromEntries((Array.isArray(scriptIds) ? scriptIds : []).map((id) => [String(id), null]));
    },
  };
}
