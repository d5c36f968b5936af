/**
 * Feature IDs `runtime.isFeatureInEffect` knows. NetSuite's full list is in help "Feature Names and IDs";
 * these are the ones SuiteBridge and typical integrations ask about. CUSTOMCODE (Client SuiteScript) and
 * SUITEANALYTICSWORKBOOK (SuiteAnalytics Workbook) are the IDs install_check uses for those features; both are
 * UNCERTAIN (src/TypeScripts/suitebridge/lib/requiredFeatures.ts), and the emulator accepts them.
 */
export const KNOWN_FEATURES: ReadonlySet<string> = new Set([
  'SERVERSIDESCRIPTING',
  'CUSTOMRECORDS',
  'CUSTOMCODE',
  'SUITEANALYTICSWORKBOOK',
  'OAUTH2',
  'RESTWEBSERVICES',
  'WEBSERVICESEXTERNAL',
  'TBA',
  'SUBSIDIARIES',
  'MULTICURRENCY',
  'DEPARTMENTS',
  'LOCATIONS',
  'CLASSES',
  'ADVANCEDPRINTING',
  'CRM',
  'SUITEAPPCONTROLCENTER',
]);

/** An account set up as the README says: every feature install_check asks about is on. */
export const DEFAULT_FEATURES: readonly string[] = [
  'SERVERSIDESCRIPTING',
  'CUSTOMRECORDS',
  'CUSTOMCODE',
  'SUITEANALYTICSWORKBOOK',
  'OAUTH2',
  'RESTWEBSERVICES',
];

/** Per-account enabled features; accounts not listed get DEFAULT_FEATURES. */
export type FeatureConfig = Record<string, readonly string[]>;

export function featuresOf(config: FeatureConfig | undefined, accountId: string): ReadonlySet<string> {
  return new Set((config?.[accountId] ?? DEFAULT_FEATURES).map((f) => f.toUpperCase()));
}
