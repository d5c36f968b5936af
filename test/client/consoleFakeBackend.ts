import type {
  ActionOutcome,
  ConsoleBackend,
  InstallCheckView,
  OnboardingStatusView,
  StartAuthorizationResult,
  TenantSummary,
  TenantView,
} from '../../client/src/console/backend';

/** An in-memory ConsoleBackend that behaves like the orchestrator adapter, with every string overridable. */
export class FakeBackend implements ConsoleBackend {
  readonly calls: string[] = [];
  authorizeUrl = 'https://1234567.app.netsuite.com/app/login/oauth2/authorize.nl?state=STATE123';
  state = 'STATE123';
  resume = false;
  failedChecks: InstallCheckView[] = [
    { id: 'bundle_installed', ok: false, detail: 'Bundle 512345 is not installed.', remedy: 'Install bundle 512345 from the link above.' },
    { id: 'app_role', ok: false, detail: 'Role customrole_sbr_integration is missing.', remedy: 'Install the bundle; it creates the role.' },
  ];
  bundleInstalled = false;
  longTermDone = false;
  authorizeFails?: { message: string; remedy?: string };
  tenants = new Map<string, TenantView>();
  outcome: ActionOutcome = { ok: true, message: 'Connection works: health ran as customrole_sbr_integration.' };
  private status_: OnboardingStatusView | undefined;

  async startAuthorization(input: { accountId: string }): Promise<StartAuthorizationResult> {
    this.calls.push(`start:${input.accountId}`);
    if (this.resume) return { kind: 'resume', tenant: input.accountId };
    this.status_ = {
      tenant: input.accountId,
      accountId: input.accountId,
      steps: [{ step: 1, state: 'waiting' }],
      events: [],
      complete: false,
    };
    return { kind: 'authorize', tenant: input.accountId, url: this.authorizeUrl, state: this.state };
  }

  async completeAuthorization(input: { tenant: string; callbackUrl: string }): Promise<void> {
    this.calls.push(`callback:${input.callbackUrl}`);
    const status = this.requireStatus();
    if (this.authorizeFails) {
      status.steps = [{ step: 1, state: 'failed' }];
      status.error = this.authorizeFails;
      return;
    }
    status.consentingEntity = 7;
    this.runInstallCheck(status);
  }

  async recheckInstall(tenant: string, options: { integrationEntity?: number }): Promise<void> {
    this.calls.push(`recheck:${tenant}:${options.integrationEntity ?? ''}`);
    const status = this.requireStatus();
    if (options.integrationEntity !== undefined) status.integrationEntity = options.integrationEntity;
    this.runInstallCheck(status);
  }

  async retry(tenant: string): Promise<void> {
    this.calls.push(`retry:${tenant}`);
  }

  async status(tenant: string): Promise<OnboardingStatusView | undefined> {
    return this.status_?.tenant === tenant ? this.status_ : undefined;
  }

  setStatus(status: OnboardingStatusView): void {
    this.status_ = status;
  }

  async listTenants(): Promise<TenantSummary[]> {
    return [...this.tenants.values()].map((t) => ({
      tenant: t.tenant,
      accountId: t.accountId,
      complete: true,
      ...(t.certificate ? { certificateValidUntil: t.certificate.validUntil } : {}),
    }));
  }

  async tenant(tenant: string): Promise<TenantView | undefined> {
    return this.tenants.get(tenant);
  }

  async rotateCertificate(tenant: string): Promise<ActionOutcome> {
    this.calls.push(`rotate:${tenant}`);
    return this.outcome;
  }

  async testConnection(tenant: string): Promise<ActionOutcome> {
    this.calls.push(`test:${tenant}`);
    return this.outcome;
  }

  private requireStatus(): OnboardingStatusView {
    if (!this.status_) throw new Error('fake: no onboarding started');
    return this.status_;
  }

  private runInstallCheck(status: OnboardingStatusView): void {
    const checks = this.bundleInstalled ? this.failedChecks.map((c) => ({ ...c, ok: true })) : this.failedChecks;
    status.install = {
      ok: this.bundleInstalled,
      checkedAt: '2026-11-22T10:00:00.000Z',
      checks,
      bundleId: '512345',
      installUrl: 'https://1234567.app.netsuite.com/app/bundler/installbundle.nl?id=512345',
    };
    status.steps = [
      { step: 1, state: 'done' },
      { step: 2, state: this.bundleInstalled ? 'done' : 'waiting' },
      { step: 3, state: this.bundleInstalled ? (this.longTermDone ? 'done' : 'running') : 'pending' },
      { step: 4, state: this.longTermDone ? 'done' : 'pending' },
    ];
    status.complete = this.bundleInstalled && this.longTermDone;
  }
}
