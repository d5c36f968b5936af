/** The connection status of one tenant, as the SuiteBridge service keeps it (docs/operator.md, "The SuiteBridge service"). */
export const CONNECTION_STATUSES = ['healthy', 'degraded', 'needs_certificate', 'needs_reconsent', 'disconnected'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** What a check concluded: the status, why in plain words, and NetSuite's own cause when one is known. */
export interface Classification {
  status: ConnectionStatus;
  /** Plain words, ending with the NetSuite cause in parentheses when known. Never a token or key. */
  reason: string;
  /** NetSuite's cause: a Login Audit Trail reason (CertificateRevoked, EntityOrRoleDisabled…) or an error code. */
  cause?: string;
  /** The certificate mapping vanished from a sandbox account: what a sandbox refresh does. */
  sandboxRefresh?: boolean;
}

export interface TenantConnectionState {
  tenant: string;
  status: ConnectionStatus;
  reason: string;
  cause?: string;
  sandboxRefresh?: boolean;
  /** When the tenant entered this status. */
  since: string;
  lastCheckAt: string;
  nextCheckAt: string;
  certificateExpiresAt?: string;
  /** Consecutive failed checks (0 when healthy). */
  failures: number;
  /** certificate.expiring thresholds (days) already announced for this certificate. */
  expiryNotices?: { certificateId: string; days: number[] };
}
