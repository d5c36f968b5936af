export { RestletClient, type RestletCallOptions, type RestletParams } from './restlet';
export { SuiteQLClient, SUITEQL_MAX_PAGE_SIZE, SUITEQL_MAX_RESULTS, type SuiteQLOptions } from './suiteql';
export { RecordClient, type RecordGetOptions } from './records';
export { GovernanceClient, type GovernanceLimits } from './governance';
export { toNetSuiteApiError } from './apiErrors';
export { staticTokenProvider } from './accessTokenProviders';
export type { AccessTokenProvider, ResourceClientOptions, ResourceEndpoints } from './types';
