/**
 * Where the service reads the Login Audit Trail reason of a refused token request. NetSuite's token endpoint answers
 * a bare `invalid_grant`; the reason (CertificateRevoked, EntityOrRoleDisabled, …) is only in the customer's Login
 * Audit Trail, which a refused integration cannot read itself. UNCERTAIN whether a vendor can read it at all in a real
 * account (it needs a working login with audit-trail access), so this is optional: without a source the classifier
 * falls back to what the token endpoint and the RESTlet said.
 */
export interface LoginAuditSource {
  latestFailure(q: { accountId: string; clientId: string; since: number }): Promise<string | undefined>;
}

interface EmulatorAuditEntry {
  at: string;
  accountId?: string;
  clientId?: string;
  status: 'Success' | 'Failure';
  detail: string;
}

/** The emulator's Login Audit Trail (`GET /__emulator/login-audit`), for tests and local runs. */
export class EmulatorLoginAudit implements LoginAuditSource {
  constructor(private readonly baseUrl: string, private readonly fetchImpl: typeof fetch = fetch) {}

  async latestFailure(q: { accountId: string; clientId: string; since: number }): Promise<string | undefined> {
    const response = await this.fetchImpl(`${this.baseUrl.replace(/\/$/, '')}/__emulator/login-audit?account=${encodeURIComponent(q.accountId)}`);
    if (!response.ok) return undefined;
    const entries = (await response.json()) as EmulatorAuditEntry[];
    const ofClient = entries.filter((e) => e.clientId === q.clientId && Date.parse(e.at) >= q.since);
    // The first refusal since the client's last success names the cause; a client retry right after it (e.g. with a
    // clock correction) may add others.
    let lastSuccess = -1;
    ofClient.forEach((e, i) => {
      if (e.status === 'Success') lastSuccess = i;
    });
    return ofClient.slice(lastSuccess + 1).find((e) => e.status === 'Failure')?.detail;
  }
}
