/**
 * SuiteBridge client library: NetSuite OAuth 2.0 (authorization code + PKCE, client credentials), a token
 * manager with encrypted stores, certificates and rotation, RESTlet / SuiteQL / record clients.
 */
export * from './errors';
export { redact } from './redact';
export { systemClock, ManualClock, type Clock } from './clock';

// Accounts and endpoints
export {
  normalizeAccountId,
  accountHostId,
  resolveEndpoints,
  isLoopbackHost,
  type NetSuiteEndpoints,
  type AccountOrigins,
  type TransportOptions,
  type EndpointOptions,
} from './account';
export { defaultFetch } from './http/transport';

// Authorization code + PKCE
export {
  AuthorizationCodeClient,
  type AuthorizationCodeClientOptions,
  type AuthorizationCallbackResult,
  type AuthorizationPrompt,
} from './authcode';
export {
  MemoryPendingAuthorizationStore,
  TokenStorePendingAuthorizationStore,
  DEFAULT_PENDING_TTL_MS,
  type PendingAuthorization,
  type PendingAuthorizationStore,
} from './authcodePending';

// Client credentials (M2M)
export {
  ClientCredentialsClient,
  createClientAssertion,
  CLIENT_ASSERTION_TYPE,
  DEFAULT_ASSERTION_LIFETIME_SECONDS,
  MAX_ASSERTION_LIFETIME_SECONDS,
  type ClientAssertionOptions,
  type ClientCredentialsClientOptions,
  type AssertionAlgorithm,
  type RsaAssertionAlgorithm,
  type PrivateKeyInput,
} from './clientCredentials';

// Tokens
export * from './tokens';

// Stores
export * from './store';

// Resources, HTTP, certificates, onboarding (other modules of the package)
export * from './http';
export * from './resources';
export * from './certificates';
export * from './onboarding';
