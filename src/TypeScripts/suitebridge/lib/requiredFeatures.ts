/** The features SuiteBridge needs, as data (no N/* import, so Node tests can read the list too). */

export interface RequiredFeature {
  /** The ID `runtime.isFeatureInEffect` takes (help "Feature Names and IDs"). */
  id: string;
  /** The box's label on the Enable Features page. */
  label: string;
  /** Where an administrator turns it on. */
  enableAt: string;
  /**
   * CONFIRMED: the ID is documented by Oracle. UNCERTAIN: the ID is our best reading, not checked against help
   * "Feature Names and IDs" or an account; a failed read of such an ID is reported as a note, never as a failure.
   */
  idStatus: 'CONFIRMED' | 'UNCERTAIN';
}

const ENABLE_FEATURES = 'Setup > Company > Enable Features';

/**
 * What the SDF objects need to exist: the same list as the required features of src/manifest.xml. The bundle
 * installation script refuses to install or update without them.
 */
export const OBJECT_FEATURES: readonly RequiredFeature[] = [
  { id: 'SERVERSIDESCRIPTING', label: 'Server SuiteScript', enableAt: `${ENABLE_FEATURES} > SuiteCloud`, idStatus: 'CONFIRMED' },
  { id: 'CUSTOMRECORDS', label: 'Custom Records', enableAt: `${ENABLE_FEATURES} > SuiteCloud`, idStatus: 'CONFIRMED' },
];

/**
 * What the integration needs at run time besides the object features; install_check reports each with where to
 * enable it. OAUTH2 and RESTWEBSERVICES are feature IDs Oracle's SDF reference names. Client SuiteScript is required
 * with Server SuiteScript for OAuth 2.0 on RESTlets (help section_157771482304.html); its ID CUSTOMCODE is in the
 * feature list of @hitc/netsuite-types, and that it is this box is inferred from the box enabling the "Custom Code"
 * subtab. REST web services and SuiteQL need SuiteAnalytics Workbook (help section_1544787084.html); no source gave
 * its ID, so SUITEANALYTICSWORKBOOK follows the pattern of SUITEANALYTICSCONNECT. Both are UNCERTAIN.
 */
export const INTEGRATION_FEATURES: readonly RequiredFeature[] = [
  { id: 'OAUTH2', label: 'OAuth 2.0', enableAt: `${ENABLE_FEATURES} > SuiteCloud > Manage Authentication`, idStatus: 'CONFIRMED' },
  {
    id: 'RESTWEBSERVICES',
    label: 'REST Web Services',
    enableAt: `${ENABLE_FEATURES} > SuiteCloud > SuiteTalk (Web Services)`,
    idStatus: 'CONFIRMED',
  },
  { id: 'CUSTOMCODE', label: 'Client SuiteScript', enableAt: `${ENABLE_FEATURES} > SuiteCloud`, idStatus: 'UNCERTAIN' },
  { id: 'SUITEANALYTICSWORKBOOK', label: 'SuiteAnalytics Workbook', enableAt: `${ENABLE_FEATURES} > Analytics`, idStatus: 'UNCERTAIN' },
];

/** Everything install_check checks, object features first. */
export const REQUIRED_FEATURES: readonly RequiredFeature[] = [...OBJECT_FEATURES, ...INTEGRATION_FEATURES];
