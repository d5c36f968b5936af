/**
 * Feature IDs `runtime.isFeatureInEffect` knows. NetSuite's full list is in help "Feature Names and IDs";
 * these are the ones SuiteBridge and typical integrations ask about. OAUTH2 and RESTWEBSERVICES as IDs are
 * UNCERTAIN (reference sdf-suitescript.md §1.2); the emulator accepts them.
 */
export const KNOWN_FEATURES: ReadonlySet<string> = new Set([
  'SERVERSIDESCRIPTING',
  'CUSTOMRECORDS',
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

export const DEFAULT_FEATURES: readonly string[] = ['SERVERSIDESCRIPTING', 'CUSTOMRECORDS', 'OAUTH2', 'RESTWEBSERVICES'];

/** Per-account enabled features; accounts not listed get DEFAULT_FEATURES. */
export type FeatureConfig = Record<string, readonly string[]>;

export function featuresOf(config: FeatureConfig | undefined, accountId: string): ReadonlySet<string> {
  return new Set((config?.[accountId] ?? DEFAULT_FEATURES).map((f) => f.toUpperCase()));
}
