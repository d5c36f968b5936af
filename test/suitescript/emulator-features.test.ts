/**
 * The emulator's RESTlet host runs the built install_check, which asks isFeatureInEffect about every feature in
 * lib/requiredFeatures.ts. Its default account must know each ID and have each on, as an account set up per the README.
 */
import { DEFAULT_FEATURES, KNOWN_FEATURES } from '../../emulator/src/restlet/features';
import { INTEGRATION_FEATURES, OBJECT_FEATURES, REQUIRED_FEATURES } from '../../src/TypeScripts/suitebridge/lib/requiredFeatures';

describe('features install_check asks about', () => {
  it('are the object features followed by the integration features, with UNCERTAIN exactly where no source confirmed the ID', () => {
    expect(REQUIRED_FEATURES.map((f) => f.id)).toEqual([...OBJECT_FEATURES, ...INTEGRATION_FEATURES].map((f) => f.id));
    expect(REQUIRED_FEATURES.filter((f) => f.idStatus === 'UNCERTAIN').map((f) => `${f.id} ${f.label}`)).toEqual([
      'CUSTOMCODE Client SuiteScript',
      'SUITEANALYTICSWORKBOOK SuiteAnalytics Workbook',
    ]);
    for (const f of REQUIRED_FEATURES) expect(f.enableAt).toMatch(/^Setup > Company > Enable Features > (SuiteCloud|Analytics)/);
  });

  it.each(REQUIRED_FEATURES.map((f) => [f.id]))('%s is known to the emulator and on in its default account', (id) => {
    expect(KNOWN_FEATURES.has(id)).toBe(true);
    expect(DEFAULT_FEATURES).toContain(id);
  });
});
