import type { GovernanceLimits } from '../resources/governance';
import type { AppRole, HealthResult, InstallCheck, KeyType, PendingAuthorization, ResolvedSettings, StoredTokens } from './types';

/**
 * Everything the orchestrator needs from NetSuite and the crypto helpers, one tenant's settings bound in.
 * The real implementation (realServices.ts) adapts the client library; tests pass fakes.
 * Access tokens are passed as strings so each call uses exactly the token the step chose.
 */
export interface OnboardingServices {
  authorization: {
    /** Builds an authorize URL with a fresh state and PKCE verifier (nothing stored: the caller persists it). */
    start(): Promise<Omit<PendingAuthorization, 'createdAt'>>;
    /** Validates the callback against `pending`, exchanges the code. */
    complete(callbackUrl: string, pending: PendingAuthorization): Promise<ConsentResult>;
    refresh(refreshToken: string): Promise<StoredTokens>;
    revoke(token: string): Promise<void>;
  };
  restlet(accessToken: string): RestletCaller;
  certificates(accessToken: string): CertificateCalls;
  generateCertificate(o: { keyType: KeyType; validityDays: number; commonName: string }): Promise<NewCertificate>;
  /** Mints a client-credentials token for the ccClient with this certificate. */
  clientCredentialsToken(o: { certificateId: string; privateKeyPem: string }): Promise<StoredTokens>;
  suiteql(accessToken: string, sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** governanceLimits with the administrator's temporary token (optional: without it the default limit stays). */
  governanceLimits?(accessToken: string): Promise<GovernanceLimits>;
}

export type OnboardingServicesFactory = (settings: ResolvedSettings) => OnboardingServices;

export interface ConsentResult {
  tokens: StoredTokens;
  entity: number;
  role: number;
  company: string;
}

export interface RestletCaller {
  get<T>(scriptId: string, deployId: string, params?: Record<string, string>): Promise<T>;
  post<T>(scriptId: string, deployId: string, body: unknown): Promise<T>;
  put<T>(scriptId: string, deployId: string, body: unknown): Promise<T>;
}

export interface CertificateInfoLike {
  certificateId: string;
  algorithm: string;
  validUntil: string;
  revoked: boolean;
}

export interface CertificateCalls {
  list(): Promise<CertificateInfoLike[]>;
  upload(o: { certificatePem: string; role: number; entity: number }): Promise<CertificateInfoLike>;
  revoke(certificateId: string): Promise<void>;
}

export interface NewCertificate {
  privateKeyPem: string;
  certificatePem: string;
  algorithm: string;
  notAfter: Date;
  sha256Fingerprint: string;
}

export interface InstallCheckResponse {
  ok: boolean;
  appRole: AppRole | null;
  checks: InstallCheck[];
}

export interface SetupResponse {
  entity: number;
  roleId: number;
  roleScriptId: string;
  changed: boolean;
}

export interface ConfigPutResponse {
  created: string[];
  updated: string[];
  unchanged: string[];
}

export type { HealthResult };

export const SCRIPTS = {
  health: { script: 'customscript_sbr_rl_health', deploy: 'customdeploy_sbr_rl_health' },
  installCheck: { script: 'customscript_sbr_rl_install_check', deploy: 'customdeploy_sbr_rl_install_check' },
  config: { script: 'customscript_sbr_rl_config', deploy: 'customdeploy_sbr_rl_config' },
  setup: { script: 'customscript_sbr_rl_setup', deploy: 'customdeploy_sbr_rl_setup' },
} as const;

export const APP_ROLE_SCRIPT_ID = 'customrole_sbr_integration';
