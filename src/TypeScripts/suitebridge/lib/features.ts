import * as runtime from 'N/runtime';
import type { RequiredFeature } from './requiredFeatures';

/** true / false as NetSuite answers, or the error it threw (e.g. for an ID the account does not know). 0 units. */
export function featureState(feature: RequiredFeature): boolean | Error {
  try {
    // The typings list the IDs they know; SUITEANALYTICSWORKBOOK is not among them (it is UNCERTAIN), hence the cast.
    return runtime.isFeatureInEffect({ feature: feature.id as runtime.NetSuiteFeature }) === true;
  } catch (e) {
    const { name, message } = (typeof e === 'object' && e !== null ? e : {}) as { name?: unknown; message?: unknown };
    return new Error(`${String(name ?? 'Error')}: ${String(message ?? e)}`);
  }
}

/** The features that NetSuite says are off. A feature whose state cannot be read is not counted here. */
export function missingFeatures(features: readonly RequiredFeature[]): RequiredFeature[] {
  return features.filter((feature) => featureState(feature) === false);
}

export function enableFeatureRemedy(features: readonly RequiredFeature[]): string {
  const steps = features.map((f) => `"${f.label}" (${f.id}) at ${f.enableAt}`).join('; ');
  const uncertain = features.filter((f) => f.idStatus === 'UNCERTAIN').map((f) => f.id);
  const note = uncertain.length
    ? ` If a box is already checked, the feature ID ${uncertain.join(', ')} may not be NetSuite's (UNCERTAIN): see the README, "Features to enable".`
    : '';
  return `Enable ${steps}, save, then try again.${note}`;
}
