/**
 * What the console needs from the onboarding orchestrator, as display-ready views.
 * The views carry IDs, names, dates and messages only: no token, secret or private key can reach a page
 * because none of these types has a place for one. `orchestratorBackend.ts` adapts the real orchestrator.
 */
export type StepNumber = 1 | 2 | 3 | 4;
export type StepState = 'pending' | 'running' | 'done' | 'failed' | 'waiting';

export interface StepView {
  step: StepNumber;
  state: StepState;
  /** One line about the outcome, e.g. "Connected as Ada Admin (Administrator)". */
  detail?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface ProgressEvent {
  at: string;
  step: StepNumber;
  level: 'info' | 'ok' | 'warn' | 'error';
  message: string;
}

export interface InstallCheckView {
  id: string;
  ok: boolean;
  detail: string;
  remedy?: string;
}

export interface InstallStatusView {
  /** Undefined until the first check ran. */
  ok?: boolean;
  checkedAt?: string;
  checks: InstallCheckView[];
  bundleId: string;
  /** The NetSuite page that installs the bundle in this account. */
  installUrl: string;
}

export interface OnboardingResultItem {
  label: string;
  value: string;
}

export interface OnboardingStatusView {
  tenant: string;
  accountId: string;
  steps: StepView[];
  events: ProgressEvent[];
  /** True once step 4 finished; `results` then lists what was set up. */
  complete: boolean;
  install?: InstallStatusView;
  /** The employee that gets the app role and the certificate (the consenting user unless changed). */
  integrationEntity?: number;
  consentingEntity?: number;
  /** Set when the last attempt failed; the customer can retry. */
  error?: { message: string; remedy?: string };
  results?: OnboardingResultItem[];
}

export interface CertificateView {
  certificateId: string;
  algorithm: string;
  validUntil: string;
}

export interface TenantView {
  tenant: string;
  accountId: string;
  environment?: string;
  companyName?: string;
  integrationUser?: string;
  appRole?: string;
  onboardedAt?: string;
  certificate?: CertificateView;
  /** When the last machine-to-machine token was minted. */
  lastTokenAt?: string;
  auditLog: { at: string; message: string }[];
}

export interface TenantSummary {
  tenant: string;
  accountId: string;
  complete: boolean;
  certificateValidUntil?: string;
}

export interface ActionOutcome {
  ok: boolean;
  message: string;
  remedy?: string;
}

export type StartAuthorizationResult =
  | { kind: 'authorize'; tenant: string; url: string; state: string }
  /** Step 1 is already done for this tenant (consent held, or onboarding complete): no new sign-in needed. */
  | { kind: 'resume'; tenant: string };

export interface ConsoleBackend {
  /** Step 1: the NetSuite authorize URL for this account and the OAuth state it carries. */
  startAuthorization(input: { accountId: string }): Promise<StartAuthorizationResult>;
  /** Step 1 completion from the callback URL; resolves once step 2 has a result (or the run stopped). */
  completeAuthorization(input: { tenant: string; callbackUrl: string }): Promise<void>;
  /**
   * "Check again": re-runs the install check; resolves once step 2 has a result. When it passes, steps 3
   * and 4 continue in the background and their progress shows in `status`.
   */
  recheckInstall(tenant: string, options: { integrationEntity?: number }): Promise<void>;
  /** Retries a failed step in the background, with another integration user if given (only before step 3 is done). */
  retry(tenant: string, options?: { integrationEntity?: number }): Promise<void>;
  status(tenant: string): Promise<OnboardingStatusView | undefined>;
  listTenants(): Promise<TenantSummary[]>;
  tenant(tenant: string): Promise<TenantView | undefined>;
  rotateCertificate(tenant: string): Promise<ActionOutcome>;
  testConnection(tenant: string): Promise<ActionOutcome>;
  /** Waits for background work; called by `stop()`. */
  close?(): Promise<void>;
}
