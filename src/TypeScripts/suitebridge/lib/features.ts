import * as runtime from 'N/runtime';

export interface RequiredFeature {
  id: 'SERVERSIDESCRIPTING' | 'CUSTOMRECORDS';
  label: string;
}

/** What the objects need; the same list is declared in src/manifest.xml. */
export const REQUIRED_FEATURES: readonly RequiredFeature[] = [
  { id: 'SERVERSIDESCRIPTING', label: 'Server SuiteScript' },
  { id: 'CUSTOMRECORDS', label: 'Custom Records' },
];

export const ENABLE_FEATURES_PATH = 'Setup > Company > Enable Features > SuiteCloud';

export function missingFeatures(): RequiredFeature[] {
  return REQUIRED_FEATURES.filter((feature) => !runtime.isFeatureInEffect({ feature: feature.id }));
}

export function enableFeatureRemedy(features: readonly RequiredFeature[]): string {
  const names = features.map((f) => `"${f.label}" (${f.id})`).join(' and ');
  return `Enable ${names} at ${ENABLE_FEATURES_PATH}, save, then try again.`;
}
