/**
 * Emulator configuration (JSON). Every field is optional; `defaults.ts` fills the gaps.
 * UNCERTAIN NetSuite facts are settings here, with the most likely default (see docs/emulator.md).
 */
export type PermissionLevel = 'NONE' | 'VIEW' | 'CREATE' | 'EDIT' | 'FULL';
export type ConsentPolicy = 'ALWAYS_ASK' | 'ASK_FIRST_TIME' | 'NEVER_ASK';
export type GrantName = 'authorization_code' | 'client_credentials';
export type Environment = 'PRODUCTION' | 'SANDBOX';

export interface RoleConfig {
  internalId: number;
  scriptId: string;
  name: string;
  /** permkey → level, e.g. { "ADMI_LOGIN_OAUTH2": "FULL" }. */
  permissions?: Record<string, PermissionLevel>;
}

export interface EmployeeConfig {
  entityId: number;
  name: string;
  email: string;
  /** Random per data dir when omitted. */
  password?: string;
  /** Role internal IDs or script IDs (e.g. 3 or "administrator"). */
  roles?: Array<number | string>;
}

export interface AccountConfig {
  accountId: string;
  environment?: Environment;
  /** Account concurrency limit shared by RESTlets and REST web services (Standard tier: 5). */
  concurrencyLimit?: number;
  /** Extra roles besides Administrator (3). */
  roles?: RoleConfig[];
  /** Default: Ada Admin (7, Administrator) and Ivy Integration (8, no roles). */
  employees?: EmployeeConfig[];
  /** How many customers to seed (default 2500, for paging). */
  customers?: number;
}

export interface IntegrationConfig {
  name: string;
  accountId: string;
  /** 64 hex chars; default sha256(accountId + name). */
  clientId?: string;
  /** Confidential clients only; random per data dir when omitted. */
  clientSecret?: string;
  publicClient?: boolean;
  redirectUris?: string[];
  scopes?: string[];
  grants?: GrantName[];
  /**
   * Oracle: "Client Credentials (M2M) flow does not support public clients". Default false; true is a leniency for
   * reproducing a one-record set-up NetSuite would refuse, never the default.
   */
  allowClientCredentialsForPublicClient?: boolean;
  /** 1–720, default 168. */
  refreshTokenValidityHours?: number;
  /** Public clients: 1–720, default 168 (UNCERTAIN). */
  maxRotationHours?: number;
  consentPolicy?: ConsentPolicy;
  /** UNCERTAIN: whether a confidential client's refresh returns a new refresh token. Default false. */
  confidentialRefreshReturnsRefreshToken?: boolean;
}

export interface FaultsConfig {
  /** Added to every non-admin response. */
  latencyMs?: number;
  /** The token endpoint answers the next N requests with an HTML 503 page. */
  tokenEndpoint503?: number;
  /** The next N non-admin requests have their connection destroyed without a response. */
  dropConnections?: number;
  /** The next N RESTlet/REST calls are refused as over the concurrency limit. */
  concurrencyRejects?: number;
}

export interface LimitsConfig {
  /** UNCERTAIN (no source): active certificates per integration record. Default 5. */
  activeCertificatesPerIntegration?: number;
  /** UNCERTAIN: authorization code lifetime in seconds. Default 600. */
  authCodeLifetimeSeconds?: number;
  /**
   * UNCERTAIN: clock tolerance for client assertions, seconds. Default 0: an `iat` in the future or an `exp` in the
   * past is refused (invalid_grant).
   */
  assertionClockToleranceSeconds?: number;
  /**
   * UNCERTAIN: seconds before a newly mapped certificate can sign assertions (NetSuite may need time to propagate a
   * mapping; not documented). Default 0: usable at once.
   */
  certificatePropagationSeconds?: number;
  /** SuiteQL over REST: wall-clock budget of one query in milliseconds (emulator safety net; NetSuite's REST limit is 15 min). Default 60000. */
  suiteqlTimeoutMs?: number;
}

/**
 * Leniencies NetSuite is not documented to allow. Each is off by default (the emulator refuses what the documentation
 * refuses) and exists only to reproduce an older or lenient client on purpose.
 */
export interface LeniencyConfig {
  /**
   * Client-credentials assertions: accept a non-integer `iat`/`exp` (e.g. `Date.now() / 1000`). UNCERTAIN whether
   * NetSuite accepts them; JWT NumericDate allows fractions but Oracle's samples and every working client send whole
   * seconds, so the default refuses them (invalid_grant, audit reason NonIntegerTimeClaim).
   */
  assertionFractionalTimes?: boolean;
  /** Accept a `client_id` form field next to the assertion (Oracle's request has none). Default false: invalid_request. */
  assertionClientIdField?: boolean;
  /** Accept `aud` as a one-element array. Oracle: `aud` is the token URL. Default false: invalid_grant. */
  assertionAudienceArray?: boolean;
  /**
   * Accept a `sub` claim. Oracle's claim list has none and no working NetSuite client sends one; UNCERTAIN whether
   * NetSuite ignores it. Default false: invalid_grant (audit reason UnexpectedSubClaim).
   */
  assertionSubClaim?: boolean;
}

/** Wire shapes NetSuite does not document; each has the most likely default (docs/emulator.md). */
export interface ShapesConfig {
  /**
   * UNCERTAIN certificate API bodies. `nested` (default; reference §0, a working Go client): items carry
   * certificate_id, algorithm, valid_from, valid_until, created, revoked and nested application/entity/role objects;
   * errors are plain text with the error status. `flat` (netsuite-cli's mocks): items carry certificate_id, algorithm,
   * valid_until, revoked (create: invalidated instead of revoked); errors are REST problem JSON.
   */
  certificateApi?: 'nested' | 'flat';
  /** UNCERTAIN `o:errorCode` of a REST web services 429 (over the concurrency limit). Default CONCURRENCY_LIMIT_EXCEEDED. */
  restConcurrencyErrorCode?: string;
  /** UNCERTAIN: seconds sent in `Retry-After` with a REST 429. Default 0: no header (none is documented). */
  restConcurrencyRetryAfterSeconds?: number;
  /** UNCERTAIN code of a RESTlet authentication failure (reference §7: INVALID_LOGIN_ATTEMPT, one blog). */
  restletAuthFailureCode?: 'INVALID_LOGIN_ATTEMPT' | 'INVALID_LOGIN_CREDENTIALS';
  /**
   * UNCERTAIN governanceLimits field names. `netsuite-cli` (default): accountConcurrencyLimit,
   * accountUnallocatedConcurrencyLimit, limitType. `soap`: SOAP's names accountConcurrencyLimit,
   * unallocatedConcurrencyLimit, limitType.
   */
  governanceLimitsFields?: 'netsuite-cli' | 'soap';
  /**
   * UNCERTAIN userinfo claims. `oidc` (default): sub, name, email, given_name, family_name only. `extended`: also
   * account, role and roleName (the emulator's former invention, kept for tools built on it).
   */
  userinfoClaims?: 'oidc' | 'extended';
}

export interface EmulatorConfig {
  accounts?: AccountConfig[];
  integrations?: IntegrationConfig[];
  clockOffsetSeconds?: number;
  faults?: FaultsConfig;
  limits?: LimitsConfig;
  /** UNCERTAIN permkey of "Manage own OAuth 2.0 Client Credentials certificates". */
  manageOwnCertificatesPermission?: string;
  /** Bundle ID of our SDF project (default "512345"). */
  bundleId?: string;
  /** UNCERTAIN: refuse SuiteQL without `Prefer: transient`. Default true. */
  suiteqlRequiresTransient?: boolean;
  /**
   * "virtual-hosts" (default): each account answers on `<hostId>.app|suitetalk|restlets.localhost`, like NetSuite's
   * three hosts. "single-origin" (opt-in, for tools that cannot set a Host): every path answers on the bare origin.
   */
  hostRouting?: HostRouting;
  leniency?: LeniencyConfig;
  shapes?: ShapesConfig;
}

export type HostRouting = 'virtual-hosts' | 'single-origin';

/** Configuration with every default applied. */
export interface ResolvedConfig {
  accounts: ResolvedAccount[];
  integrations: ResolvedIntegration[];
  clockOffsetSeconds: number;
  faults: Required<FaultsConfig>;
  limits: Required<LimitsConfig>;
  manageOwnCertificatesPermission: string;
  bundleId: string;
  suiteqlRequiresTransient: boolean;
  hostRouting: HostRouting;
  leniency: Required<LeniencyConfig>;
  shapes: Required<ShapesConfig>;
}

export interface ResolvedAccount {
  accountId: string;
  environment: Environment;
  concurrencyLimit: number;
  roles: RoleConfig[];
  employees: EmployeeConfig[];
  customers: number;
}

export interface ResolvedIntegration {
  name: string;
  accountId: string;
  clientId: string;
  clientSecret: string | undefined;
  publicClient: boolean;
  redirectUris: string[];
  scopes: string[];
  grants: GrantName[];
  allowClientCredentialsForPublicClient: boolean;
  refreshTokenValidityHours: number;
  maxRotationHours: number;
  consentPolicy: ConsentPolicy;
  confidentialRefreshReturnsRefreshToken: boolean;
}
