import { randomBytes } from 'node:crypto';
import type { ResolvedIntegration } from '../config/types';
import type { CertificateRow } from '../data/systemStore';
import { grantEnabled } from '../oauth/context';
import { roleAllowsOAuth } from '../oauth/roleEligibility';
import type { Caller } from '../resource/bearer';
import type { EmulatorServices } from '../services';
import { CertificateRejected, parseCertificate } from './parseCertificate';

const TWO_YEARS_MS = 730 * 24 * 3600 * 1000;

export class CertificateApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly path?: string) {
    super(message);
  }
}

/** Administrator manages every mapping; the manage-own permission only the caller's own role + entity. */
export function accessOf(s: EmulatorServices, caller: Caller): 'all' | 'own' {
  const role = s.directory.getRole(caller.accountId, caller.role);
  if (role?.isAdministrator) return 'all';
  if (s.directory.permissionLevel(caller.accountId, caller.role, s.config.manageOwnCertificatesPermission) !== 'NONE') return 'own';
  throw new CertificateApiError(403, 'INSUFFICIENT_PERMISSION',
    `The role needs the "Manage own OAuth 2.0 Client Credentials certificates" permission (${s.config.manageOwnCertificatesPermission}) or Administrator.`);
}

export function integrationOf(s: EmulatorServices, caller: Caller, clientId: string): ResolvedIntegration {
  const integration = s.store.integration(clientId);
  if (!integration || integration.accountId !== caller.accountId) {
    throw new CertificateApiError(404, 'NONEXISTENT_ID', 'No integration record with this client ID exists in this account.');
  }
  return integration;
}

function numericId(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new CertificateApiError(400, 'INVALID_CONTENT', `${field} must be an internal ID (number).`, field);
  return n;
}

function isLive(s: EmulatorServices, row: CertificateRow): boolean {
  return row.revoked_at === null && row.valid_until > s.clock.now();
}

/** Create a mapping: checks in order, each with its own message. */
export function createCertificate(s: EmulatorServices, caller: Caller, integration: ResolvedIntegration, body: unknown): CertificateRow {
  if (typeof body !== 'object' || body === null) throw new CertificateApiError(400, 'INVALID_CONTENT', 'The body must be JSON {"fileContent": "<PEM>", "role": <id>, "entity": <id>}.');
  const { fileContent, role: rawRole, entity: rawEntity } = body as Record<string, unknown>;
  const role = numericId(rawRole, 'role');
  const entity = numericId(rawEntity, 'entity');
  if (accessOf(s, caller) === 'own' && (role !== caller.role || entity !== caller.entity)) {
    throw new CertificateApiError(403, 'INSUFFICIENT_PERMISSION', 'With "Manage own" certificates you can map certificates only to your own role and entity.');
  }
  if (!grantEnabled(integration, 'client_credentials')) {
    throw new CertificateApiError(400, 'INVALID_CONTENT', 'The integration record does not allow the Client Credentials (Machine to Machine) grant.');
  }
  let parsed;
  try {
    parsed = parseCertificate(fileContent);
  } catch (err) {
    if (err instanceof CertificateRejected) throw new CertificateApiError(400, 'INVALID_CONTENT', err.message, err.field);
    throw err;
  }
  const now = s.clock.now();
  if (parsed.notAfter.getTime() <= now) throw new CertificateApiError(400, 'INVALID_CONTENT', 'The certificate has already expired; generate a new one.', 'fileContent');
  const employee = s.directory.getEmployee(caller.accountId, entity);
  if (!employee) throw new CertificateApiError(400, 'INVALID_CONTENT', `Entity ${entity} does not exist in this account.`, 'entity');
  const roleRecord = s.directory.getRole(caller.accountId, role);
  if (!roleRecord) throw new CertificateApiError(400, 'INVALID_CONTENT', `Role ${role} does not exist in this account.`, 'role');
  if (!s.directory.holdsRole(caller.accountId, entity, role)) {
    throw new CertificateApiError(400, 'INVALID_CONTENT', `Entity ${entity} does not hold role ${role}; assign the role to the employee first.`, 'entity');
  }
  if (!roleAllowsOAuth(s.directory, caller.accountId, roleRecord)) {
    throw new CertificateApiError(400, 'INVALID_CONTENT', `Role ${role} lacks "Log in using OAuth 2.0 Access Tokens" (ADMI_LOGIN_OAUTH2).`, 'role');
  }
  // One combination per certificate, for good: a revoked certificate stays used (UNCERTAIN; the strict reading).
  const sameCertificate = s.store.certificatesWithFingerprint(parsed.fingerprint);
  if (sameCertificate.some((c) => c.revoked_at !== null) && !sameCertificate.some((c) => c.revoked_at === null)) {
    throw new CertificateApiError(400, 'INVALID_CONTENT', 'This certificate was mapped before and has been revoked; a revoked certificate cannot be mapped again. Generate a new key pair and certificate.', 'fileContent');
  }
  if (sameCertificate.length > 0) {
    throw new CertificateApiError(400, 'INVALID_CONTENT', 'This certificate is already mapped to an integration, role and entity; a certificate can be used for only one combination. Generate a new certificate.', 'fileContent');
  }
  const active = s.store.certificatesOf(integration.clientId).filter((c) => isLive(s, c));
  if (active.length >= s.config.limits.activeCertificatesPerIntegration) {
    throw new CertificateApiError(400, 'INVALID_CONTENT', `The integration record already has ${active.length} active certificates (limit ${s.config.limits.activeCertificatesPerIntegration}); revoke one first.`);
  }
  const row = {
    certificate_id: randomBytes(32).toString('base64url'), client_id: integration.clientId, account_id: caller.accountId,
    role, entity, algorithm: parsed.algorithm, key_description: parsed.keyDescription, fingerprint: parsed.fingerprint,
    pem: parsed.pem, valid_until: Math.min(parsed.notAfter.getTime(), now + TWO_YEARS_MS), created_at: now,
  };
  s.store.insertCertificate(row);
  return { ...row, revoked_at: null };
}

export function listCertificates(s: EmulatorServices, caller: Caller, integration: ResolvedIntegration): CertificateRow[] {
  const access = accessOf(s, caller);
  return s.store.certificatesOf(integration.clientId)
    .filter((c) => access === 'all' || (c.role === caller.role && c.entity === caller.entity));
}

export function revokeCertificate(s: EmulatorServices, caller: Caller, integration: ResolvedIntegration, certificateId: string): void {
  const access = accessOf(s, caller);
  const row = s.store.certificate(certificateId);
  if (!row || row.client_id !== integration.clientId) throw new CertificateApiError(404, 'NONEXISTENT_ID', 'No certificate with this ID exists for this client.');
  if (access === 'own' && (row.role !== caller.role || row.entity !== caller.entity)) {
    throw new CertificateApiError(403, 'INSUFFICIENT_PERMISSION', 'With "Manage own" certificates you can revoke only certificates mapped to your own role and entity.');
  }
  // UNCERTAIN: NetSuite's answer to a second revoke is undocumented; the emulator refuses it rather than pretend success.
  if (row.revoked_at !== null) throw new CertificateApiError(400, 'INVALID_CONTENT', 'This certificate is already revoked.');
  s.store.revokeCertificate(certificateId, s.clock.now());
}
