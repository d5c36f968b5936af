/** The RESTlet host and bundle installer (docs/architecture.md, "Emulator internal seam"). */
export { RestletHost, DEFAULT_AUDIENCE_REFUSAL, type RestletHostOptions } from './restletHost';
export { BundleInstaller, type BundleInstallerOptions, type InstallOptions } from './bundleInstaller';
export { BundleInstallError, SdfProjectError, SuiteScriptError } from './errors';
export { DEFAULT_FEATURES, KNOWN_FEATURES, type FeatureConfig } from './features';
export { USAGE_LIMITS, UNIT_COSTS } from './governance';
export { loadSdfProject, type SdfProject } from './sdfProject';
export type { HostLogEntry, InstallResult, InstalledBundle, RestletCall, RestletResult } from './types';
