import { NetSuiteApiError, SuiteBridgeError, TokenEndpointError, TransportError } from '../../client/src/errors';
import { redact } from '../../client/src/redact';
import type { HealthResult } from '../../client/src/onboarding/services';
import type { Classification } from './status';

/** What the check knows about the tenant when it classifies a failure. */
export interface FailureContext {
  accountId: string;
  /** PRODUCTION or SANDBOX as the health RESTlet reported it at onboarding; else guessed from the account ID. */
  environment?: string;
  certificateId?: string;
  /** The certificate's notAfter (ISO). */
  certificateExpiresAt?: string;
  now: number;
  /**
   * The Login Audit Trail reason of the failed token request (CertificateRevoked, EntityOrRoleDisabled, …), when a
   * source could read it. NetSuite's token endpoint itself only says `invalid_grant`.
   */
  auditCause?: string;
}

const NETSUITE = (cause: string | undefined) => (cause ? ` (NetSuite: ${cause})` : '');

export function isSandbox(ctx: Pick<FailureContext, 'accountId' | 'environment'>): boolean {
  if (ctx.environment) return ctx.environment.toUpperCase() === 'SANDBOX';
  return /(_|-)SB\d*$/i.test(ctx.accountId);
}

/** Login Audit Trail causes of a refused client-credentials token, by what repairs them. */
const CERTIFICATE_CAUSES: Record<string, string> = {
  CertificateRevoked: 'The certificate was revoked in the customer\'s account',
  CertificateExpired: 'The certificate has expired',
  InvalidCertificateId: 'NetSuite no longer knows the certificate ID (the M2M mapping was deleted)',
  InvalidSignature: 'The private key SuiteBridge holds does not match the certificate NetSuite has for this ID',
};
const RECONSENT_CAUSES: Record<string, string> = {
  EntityOrRoleDisabled: 'The integration user is inactive, lost the app role, or the role lost "Log in using OAuth 2.0 Access Tokens" (the bundle may have been uninstalled)',
};
const DISCONNECTED_CAUSES: Record<string, string> = {
  InvalidIntegration: 'The integration record is disabled, deleted or not installed in the customer\'s account',
  ClientCredentialsGrantNotEnabled: 'The integration record no longer allows the client credentials grant',
  InvalidScope: 'A scope SuiteBridge requests is no longer enabled on the integration record',
};
/** Clock or propagation problems that pass by themselves. */
const TRANSIENT_CAUSES: Record<string, string> = {
  CertificateNotYetActive: 'The certificate was uploaded moments ago and is not active yet',
  AssertionExpired: 'The token request was refused as expired: this host\'s clock is behind NetSuite\'s',
  AssertionIssuedInTheFuture: 'The token request was refused as issued in the future: this host\'s clock is ahead of NetSuite\'s',
};

function fromAuditCause(cause: string, ctx: FailureContext): Classification | undefined {
  if (cause === 'InvalidCertificateId' && isSandbox(ctx)) {
    return {
      status: 'needs_certificate',
      reason: `The certificate mapping is gone from sandbox account ${ctx.accountId}: a sandbox refresh wipes M2M mappings and authorized applications, so a new certificate needs the customer's consent again${NETSUITE(cause)}`,
      cause,
      sandboxRefresh: true,
    };
  }
  if (CERTIFICATE_CAUSES[cause]) return { status: 'needs_certificate', reason: `${CERTIFICATE_CAUSES[cause]}${NETSUITE(cause)}`, cause };
  if (RECONSENT_CAUSES[cause]) return { status: 'needs_reconsent', reason: `${RECONSENT_CAUSES[cause]}${NETSUITE(cause)}`, cause };
  if (DISCONNECTED_CAUSES[cause]) return { status: 'disconnected', reason: `${DISCONNECTED_CAUSES[cause]}${NETSUITE(cause)}`, cause };
  if (TRANSIENT_CAUSES[cause]) return { status: 'degraded', reason: `${TRANSIENT_CAUSES[cause]}${NETSUITE(cause)}`, cause };
  return undefined;
}

function tokenFailure(err: TokenEndpointError, ctx: FailureContext): Classification {
  if (err.status >= 500 || err.status === 429 || err.error.startsWith('http_')) {
    return { status: 'degraded', reason: `NetSuite's token endpoint is unavailable or over its limit (HTTP ${err.status})${NETSUITE(err.error)}`, cause: err.error };
  }
  const known = ctx.auditCause ? fromAuditCause(ctx.auditCause, ctx) : undefined;
  if (known) return known;
  if (err.error === 'invalid_client' || err.error === 'unauthorized_client' || err.error === 'invalid_scope') {
    return { status: 'disconnected', reason: `NetSuite refused the integration record itself (it may be disabled, deleted or lack the client credentials grant)${NETSUITE(err.error)}`, cause: err.error };
  }
  if (ctx.certificateExpiresAt && Date.parse(ctx.certificateExpiresAt) <= ctx.now) {
    return { status: 'needs_certificate', reason: `The certificate expired on ${ctx.certificateExpiresAt.slice(0, 10)}${NETSUITE(err.error)}`, cause: 'CertificateExpired' };
  }
  // Without the audit trail, a refused assertion most often means the certificate: revoked, wiped or replaced.
  const where = isSandbox(ctx) ? ' (in a sandbox, a refresh wipes the mapping)' : '';
  return {
    status: 'needs_certificate',
    reason: `NetSuite refused a token for certificate ${ctx.certificateId ?? '?'}: revoked, deleted or not matching the key${where}; the Login Audit Trail names the exact cause${NETSUITE(err.error)}`,
    cause: err.error,
  };
}

function restletFailure(err: NetSuiteApiError, ctx: FailureContext): Classification {
  const code = err.netsuiteCode;
  if (err.status === 429 || err.status >= 500 || code === 'SSS_REQUEST_LIMIT_EXCEEDED') {
    return { status: 'degraded', reason: `NetSuite answered the health RESTlet with HTTP ${err.status}: unavailable or over the account's concurrency limit${NETSUITE(code)}`, cause: code };
  }
  if (code === 'SSS_INVALID_SCRIPTLET_ID') {
    return { status: 'needs_reconsent', reason: `The SuiteBridge health RESTlet is gone from account ${ctx.accountId}: the bundle was uninstalled${NETSUITE(code)}`, cause: code };
  }
  const known = ctx.auditCause ? fromAuditCause(ctx.auditCause, ctx) : undefined;
  if (known && known.status !== 'degraded') return known;
  if (err.status === 401 || err.status === 403) {
    return { status: 'needs_reconsent', reason: `NetSuite refused the integration user's role for the health RESTlet (role, permission or entity changed)${NETSUITE(code)}`, cause: code };
  }
  return { status: 'degraded', reason: `The health RESTlet failed with HTTP ${err.status}${NETSUITE(code)}`, cause: code };
}

/** Status for a failed check: the token endpoint, the Login Audit Trail cause when known, then the RESTlet answer. */
export function classifyFailure(err: unknown, ctx: FailureContext): Classification {
  if (err instanceof TokenEndpointError) return tokenFailure(err, ctx);
  if (err instanceof NetSuiteApiError) return restletFailure(err, ctx);
  if (err instanceof TransportError) return { status: 'degraded', reason: `NetSuite could not be reached: ${redact(err.message)}`, cause: err.code };
  if (err instanceof SuiteBridgeError && err.code === 'ONBOARDING_FAILED') {
    return { status: 'disconnected', reason: redact(err.message), cause: err.code };
  }
  const message = redact(err instanceof Error ? err.message : String(err));
  return { status: 'degraded', reason: `The check failed unexpectedly: ${message}`, cause: err instanceof SuiteBridgeError ? err.code : 'UNEXPECTED' };
}

/** A health answer that is not the app role means the customer changed the mapping's role. */
export function classifyHealth(health: HealthResult, appRoleScriptId: string | undefined): Classification {
  if (appRoleScriptId && health.roleScriptId.toLowerCase() !== appRoleScriptId.toLowerCase()) {
    return { status: 'needs_reconsent', reason: `The certificate's token runs as role ${health.roleScriptId}, not the app role ${appRoleScriptId}`, cause: 'WrongRole' };
  }
  return { status: 'healthy', reason: `health answered as role ${health.roleScriptId} in account ${health.accountId}` };
}
