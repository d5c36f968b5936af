import type { LearnedAccountLimit } from '../http/accountLimit';
/** Shapes of the onboarding state machine. See docs/onboarding-api.md (the contract with the CLI and console). */
export const STEP_IDS = ['authorize', 'bundle', 'certificate', 'finalize'] as const;
export type StepId = (typeof STEP_IDS)[number];
export type StepStatus = 'pending' | 'running' | 'waiting' | 'done' | 'failed';
export type TenantStatus = 'in_progress' | 'waiting_for_authorization' | 'waiting_for_bundle' | 'completed' | 'failed';
export type KeyType = 'RSA-3072' | 'RSA-4096' | 'EC-P256' | 'EC-P384' | 'EC-P521';

export interface Clock {
  now(): number;
}

export interface ClientRef {
  clientId: string;
  clientSecret?: string;
}

export interface TenantSettings {
  tenant?: string;
  accountId: string;
  authClient: ClientRef;
  ccClient?: ClientRef;
  redirectUri?: string;
  scopes?: string[];
  bundleId?: string;
  bundleInstallUrl?: string;
  integrationEntity?: number;
  keyType?: KeyType;
  certificateValidityDays?: number;
  configSeed?: Record<string, string>;
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
  /**
   * One integration record for both grants instead of the default two (public auth-code record + confidential M2M
   * record). Oracle does not allow client credentials on a public client: the record must be confidential, with both
   * grants, and `authClient.clientSecret` is required.
   */
  singleRecord?: boolean;
  /** "Refresh Token Validity (in hours)" of the auth-code record (default 1, as recommended); used in warnings. */
  refreshTokenValidityHours?: number;
}

/** Settings after defaults, as persisted (secrets included: the store encrypts them). */
export interface ResolvedSettings {
  tenant: string;
  accountId: string;
  authClient: ClientRef;
  ccClient: ClientRef;
  redirectUri: string;
  scopes: string[];
  bundleId: string;
  installUrl: string;
  integrationEntity?: number;
  keyType: KeyType;
  certificateValidityDays: number;
  configSeed: Record<string, string>;
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
  singleRecord?: boolean;
  /** Absent means the recommended 1 hour. */
  refreshTokenValidityHours?: number;
}

export interface StepError {
  code: string;
  message: string;
  remedy?: string;
}

export interface StepState {
  status: StepStatus;
  startedAt?: string;
  finishedAt?: string;
  summary?: string;
  error?: StepError;
}

export interface InstallCheck {
  id: string;
  ok: boolean;
  detail: string;
  remedy?: string;
}

export interface AppRole {
  internalId: number;
  scriptId: string;
}

export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
  scopes: string[];
}

export interface PendingAuthorization {
  state: string;
  codeVerifier: string;
  url: string;
  createdAt: number;
}

/** A refresh token NetSuite may have issued to an exchange whose answer was lost (crash, cut connection). */
export interface LeftoverAuthorization {
  /** When the code went to the token endpoint. */
  sentAt: string;
  detectedAt: string;
  /** Latest time the refresh token can still work, from the record's refresh token validity. */
  liveUntil: string;
  validityHours: number;
  authClientId: string;
  entity?: number;
  role?: number;
  /** Plain-language notice for the operator: what was left, how long it lives, where to revoke it. */
  notice: string;
}

export interface AuditEntry {
  at: string;
  step: StepId | 'tenant';
  action: string;
  detail: string;
}

export interface HealthResult {
  accountId: string;
  environment: string;
  version: string;
  userId: number;
  roleId: number;
  roleScriptId: string;
  remainingUsage: number;
  serverTime: string;
}

export interface CertificateState {
  privateKeyPem: string;
  certificatePem: string;
  sha256Fingerprint: string;
  algorithm: string;
  notAfter: string;
  createdAt: string;
  entity?: number;
  role?: number;
  roleAssignment?: { roleId: number; changed: boolean; at: string };
  /** Certificate IDs that existed before our upload: a new active one after a crash is a candidate to adopt. */
  knownIdsBeforeUpload?: string[];
  certificateId?: string;
  uploadedAt?: string;
  adopted?: boolean;
  verifiedAt?: string;
  previous?: { certificateId: string; revokedAt?: string }[];
}

export interface StandbyState {
  /** The verified standby, if any. */
  current?: Omit<CertificateState, 'previous' | 'roleAssignment'>;
  /** A standby being added or renewed: the key is persisted before its certificate is uploaded. */
  next?: Omit<CertificateState, 'previous' | 'roleAssignment'>;
  /** Replaced standbys, revoked at NetSuite once the replacement is verified. */
  previous?: { certificateId: string; revokedAt?: string }[];
  /** When NetSuite last listed the current standby as active. */
  checkedAt?: string;
  /** Why the last attempt to add or renew the standby failed (kept until one succeeds). */
  problem?: { at: string; message: string };
}

export interface TenantRecord {
  version: 1;
  tenant: string;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  settings: ResolvedSettings;
  steps: Record<StepId, StepState>;
  authorization: {
    pending?: PendingAuthorization;
    callbackUrl?: string;
    /** Journal: written right before the code goes to the token endpoint, removed once the answer is recorded. */
    exchange?: { sentAt: string };
    tokens?: StoredTokens;
    revokedAt?: string;
    /** Exchanges a crash interrupted after sending: NetSuite may hold a refresh token SuiteBridge never saw. */
    leftovers?: LeftoverAuthorization[];
  };
  consent?: { entity: number; role: number; company: string; at: string };
  bundle?: { ok: boolean; checks: InstallCheck[]; appRole: AppRole | null; checkedAt: string };
  certificate?: CertificateState;
  /** A rotation in progress: the new key is persisted before its certificate is uploaded. */
  rotation?: Omit<CertificateState, 'previous' | 'roleAssignment'>;
  /**
   * A second certificate mapped to the same integration record, role and entity, used only to repair the tenant in
   * place when the primary one stops working (revoked, mapping deleted, expired). Its key is kept like the primary's.
   */
  standby?: StandbyState;
  finalize?: {
    config?: { created: string[]; updated: string[]; unchanged: string[]; at: string };
    suiteqlProbe?: { rows: number; at: string } | { skipped: string; at: string };
    checkedAt?: string;
  };
  account?: HealthResult;
  lastToken?: { at: string; expiresAt: string; certificateId: string };
  lastHealth?: { at: string; ok: boolean; roleScriptId?: string };
  /** The account concurrency limit learned from governanceLimits at onboarding (size limiters with usableLimit()). */
  concurrency?: LearnedAccountLimit | { unavailable: string; at: string };
  audit: AuditEntry[];
}

export type OnboardingEvent =
  | { type: 'step'; tenant: string; step: StepId; status: StepStatus; at: string; elapsedMs?: number; summary: string; error?: StepError }
  | { type: 'progress'; tenant: string; step: StepId; action: string; message: string; at: string }
  | { type: 'waiting'; tenant: string; step: 'authorize'; reason: 'authorization'; authorizationUrl: string; at: string }
  | { type: 'waiting'; tenant: string; step: 'bundle'; reason: 'bundle'; installUrl: string; failedChecks: InstallCheck[]; at: string }
  | { type: 'completed'; tenant: string; at: string };

export type OnboardingListener = (event: OnboardingEvent) => void;
