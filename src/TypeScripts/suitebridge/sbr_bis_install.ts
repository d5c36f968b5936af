/**
 * @NApiVersion 2.1
 * @NScriptType BundleInstallationScript
 * @NModuleScope SameAccount
 */

import * as log from 'N/log';
import type { EntryPoints } from 'N/types';
import { DEFAULT_CONFIG } from './lib/defaultConfig';
import { upsertEntries } from './lib/configStore';
import { sbrError } from './lib/errors';
import { enableFeatureRemedy, missingFeatures } from './lib/features';
import { OBJECT_FEATURES } from './lib/requiredFeatures';

// Bundle installation scripts cannot load custom modules: the build inlines every ./lib import into this file.

/**
 * Only the features the objects need block an install. The integration's run-time features (OAuth 2.0, REST Web
 * Services, Client SuiteScript, SuiteAnalytics Workbook) are reported by install_check instead: two of their IDs are
 * UNCERTAIN, and a wrong ID must never make the bundle impossible to install.
 */
function assertPrerequisites(): void {
  const missing = missingFeatures(OBJECT_FEATURES);
  if (missing.length > 0) {
    const ids = missing.map((f) => f.id).join(', ');
    throw sbrError('SBR_FEATURE_DISABLED', `SuiteBridge needs the ${ids} feature. ${enableFeatureRemedy(missing)}`);
  }
}

function seedDefaults(title: string): void {
  const result = upsertEntries(DEFAULT_CONFIG, false);
  log.audit({
    title,
    details: `default configuration: created ${result.created.length} [${result.created.join(', ')}], kept ${result.unchanged.length}`,
  });
}

export const beforeInstall: EntryPoints.BundleInstallation.beforeInstall = () => assertPrerequisites();

export const beforeUpdate: EntryPoints.BundleInstallation.beforeUpdate = () => assertPrerequisites();

export const afterInstall: EntryPoints.BundleInstallation.afterInstall = (context) =>
  seedDefaults(`SuiteBridge installed (version ${context.version})`);

export const afterUpdate: EntryPoints.BundleInstallation.afterUpdate = (context) =>
  seedDefaults(`SuiteBridge updated (${context.fromVersion} -> ${context.toVersion})`);

export const beforeUninstall: EntryPoints.BundleInstallation.beforeUninstall = (context) => {
  log.audit({
    title: `SuiteBridge uninstalling (version ${context.version})`,
    details: 'The bundle removes its role, RESTlets and the configuration record type; revoke any OAuth 2.0 certificates mapped to the app role.',
  });
};
