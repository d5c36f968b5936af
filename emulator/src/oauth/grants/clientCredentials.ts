import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { X509Certificate } from 'node:crypto';
import type { ResolvedIntegration } from '../../config/types';
import type { CertificateRow } from '../../data/systemStore';
import { integrationOnHost, rejectMultipleAuthMethods } from '../clientAuth';
import { grantEnabled, type GrantHandler, type TokenContext, type TokenResponse } from '../context';
import { invalidClient, invalidGrant, invalidRequest, unauthorizedClient } from '../errors';
import { ACCESS_TOKEN_SECONDS } from '../claims';
import { entityMayUseRole } from '../roleEligibility';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Oracle's list; RS256 (PKCS#1 v1.5) is deliberately absent. */
export const ASSERTION_ALGORITHMS = ['PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;

interface Assertion { jwt: string; header: ProtectedHeaderParameters; claims: JWTPayload }

function assertionTypeIsJwtBearer(ctx: TokenContext): void {
  if (ctx.form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) throw invalidRequest('InvalidClientAssertionType');
}

function decodeAssertion(ctx: TokenContext): Assertion {
  const jwt = ctx.form.get('client_assertion');
  if (!jwt) throw invalidRequest('MissingParameter:client_assertion');
  try {
    return { jwt, header: decodeProtectedHeader(jwt), claims: decodeJwt(jwt) };
  } catch {
    throw invalidRequest('MalformedClientAssertion');
  }
}

function typIsJwt(a: Assertion): void {
  if (a.header.typ !== 'JWT') throw invalidRequest('InvalidAssertionType:typ');
}

function algIsAllowed(a: Assertion): void {
  if (!(ASSERTION_ALGORITHMS as readonly string[]).includes(String(a.header.alg))) throw invalidGrant('UnsupportedAlgorithm');
}

function issuerIsKnownClient(ctx: TokenContext, a: Assertion): ResolvedIntegration {
  const iss = typeof a.claims.iss === 'string' ? a.claims.iss : undefined;
  const bodyId = ctx.form.get('client_id');
  // Oracle's request carries no client_id field: the assertion's iss names the client.
  if (bodyId !== null && !ctx.config.leniency.assertionClientIdField) throw invalidRequest('UnexpectedParameter:client_id');
  if (bodyId !== null && bodyId !== iss) throw invalidRequest('ClientIdMismatch');
  if (!iss) throw invalidClient('InvalidIntegration', ctx.fallbackRealm);
  const integration = integrationOnHost(ctx, iss);
  ctx.audit.clientId = integration.clientId;
  ctx.audit.accountId = integration.accountId;
  return integration;
}

function clientCredentialsGrantEnabled(integration: ResolvedIntegration): void {
  if (!grantEnabled(integration, 'client_credentials')) throw unauthorizedClient('ClientCredentialsGrantNotEnabled');
}

/** `kid` must be the Certificate ID of a live mapping of this very client. */
function kidIsLiveCertificateOfClient(ctx: TokenContext, a: Assertion, integration: ResolvedIntegration): CertificateRow {
  const cert = typeof a.header.kid === 'string' ? ctx.store.certificate(a.header.kid) : undefined;
  if (!cert || cert.client_id !== integration.clientId) throw invalidGrant('InvalidCertificateId');
  Object.assign(ctx.audit, { role: cert.role, entity: cert.entity });
  if (cert.revoked_at !== null) throw invalidGrant('CertificateRevoked');
  if (ctx.clock.now() >= cert.valid_until) throw invalidGrant('CertificateExpired');
  if (ctx.clock.now() < cert.created_at + ctx.config.limits.certificatePropagationSeconds * 1000) throw invalidGrant('CertificateNotYetActive');
  return cert;
}

async function signatureMatchesCertificate(a: Assertion, cert: CertificateRow): Promise<void> {
  try {
    await compactVerify(a.jwt, new X509Certificate(cert.pem).publicKey, { algorithms: [...ASSERTION_ALGORITHMS] });
  } catch {
    throw invalidGrant('InvalidSignature');
  }
}

function audienceIsTokenUrl(ctx: TokenContext, a: Assertion): void {
  const aud = a.claims.aud;
  const asArray = ctx.config.leniency.assertionAudienceArray && Array.isArray(aud) && aud.length === 1 && aud[0] === ctx.tokenUrl;
  if (aud !== ctx.tokenUrl && !asArray) throw invalidGrant(Array.isArray(aud) ? 'AudienceMustBeTheTokenUrlString' : 'InvalidAudience');
}

function lifetimeBelowOneHour(ctx: TokenContext, a: Assertion): void {
  const { iat, exp } = a.claims;
  if (typeof iat !== 'number' || typeof exp !== 'number') throw invalidGrant('MissingIatOrExp');
  if (!ctx.config.leniency.assertionFractionalTimes && !(Number.isInteger(iat) && Number.isInteger(exp))) throw invalidGrant('NonIntegerTimeClaim');
  const lifetime = exp - iat;
  if (!(lifetime > 0 && lifetime < 3600)) throw invalidGrant('InvalidAssertionLifetime');
}

/** `exp` still ahead and `iat` not ahead of the emulator clock, give or take the configured tolerance. */
function withinClock(ctx: TokenContext, a: Assertion): void {
  const tolerance = ctx.config.limits.assertionClockToleranceSeconds;
  const now = ctx.clock.now() / 1000;
  if ((a.claims.exp as number) + tolerance <= now) throw invalidGrant('AssertionExpired');
  if ((a.claims.iat as number) - tolerance > now) throw invalidGrant('AssertionIssuedInTheFuture');
}

/** Oracle's claim list has no `sub`; refused unless the leniency is on (UNCERTAIN whether NetSuite ignores it). */
function noSubClaim(ctx: TokenContext, a: Assertion): void {
  if (a.claims.sub !== undefined && !ctx.config.leniency.assertionSubClaim) throw invalidGrant('UnexpectedSubClaim');
}

/**
 * `scope`: the two forms Oracle documents, a JSON array (its sample) or a comma-separated string (its field table);
 * a space-separated string is neither and fails as an unknown scope. Within the record's scopes.
 */
function scopesWithinRecord(a: Assertion, integration: ResolvedIntegration): string[] {
  const raw = a.claims.scope;
  const scopes = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  if (!scopes || scopes.length === 0 || !scopes.every((s) => typeof s === 'string')) throw invalidGrant('InvalidScope');
  if (!scopes.every((s) => integration.scopes.includes(s as string))) throw invalidGrant('InvalidScope');
  if (scopes.includes('mcp') && scopes.length > 1) throw invalidGrant('InvalidScope');
  return [...new Set(scopes as string[])];
}

function mappedEntityStillHoldsRole(ctx: TokenContext, cert: CertificateRow): void {
  if (!entityMayUseRole(ctx.directory, cert.account_id, cert.entity, cert.role)) throw invalidGrant('EntityOrRoleDisabled');
}

export const clientCredentialsGrant: GrantHandler = {
  grantType: 'client_credentials',
  parameters: ['client_assertion_type', 'client_assertion'],
  async handle(ctx: TokenContext): Promise<TokenResponse> {
    rejectMultipleAuthMethods(ctx);
    if (ctx.authorization !== undefined) throw invalidRequest('MultipleClientAuthenticationMethods');
    assertionTypeIsJwtBearer(ctx);
    const assertion = decodeAssertion(ctx);
    typIsJwt(assertion);
    algIsAllowed(assertion);
    const integration = issuerIsKnownClient(ctx, assertion);
    clientCredentialsGrantEnabled(integration);
    const cert = kidIsLiveCertificateOfClient(ctx, assertion, integration);
    await signatureMatchesCertificate(assertion, cert);
    audienceIsTokenUrl(ctx, assertion);
    lifetimeBelowOneHour(ctx, assertion);
    withinClock(ctx, assertion);
    noSubClaim(ctx, assertion);
    const scopes = scopesWithinRecord(assertion, integration);
    mappedEntityStillHoldsRole(ctx, cert);
    const issued = await ctx.issuer.machineAccessToken({ integration, role: cert.role, entity: cert.entity, scopes });
    return { access_token: issued.token, expires_in: String(ACCESS_TOKEN_SECONDS), token_type: 'Bearer' };
  },
};
