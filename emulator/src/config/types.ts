/**
 * Emulator configuration (JSON). Every field is optional; `defaults.ts` fills the gaps.
 * UNCERTAIN NetSuite facts are settings here, with the most likely default (see README.md, "Local NetSuite emulator").
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
  /** Oracle: public clients cannot use client credentials. Default false. */
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
  /** UNCERTAIN: clock tolerance for client assertions, seconds. Default 0. */
  assertionClockToleranceSeconds?: number;
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
