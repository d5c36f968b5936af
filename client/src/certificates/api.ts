import { ConfigurationError, SuiteBridgeError } from '../errors';
import type { NetSuiteHttp } from '../http/netsuiteHttp';
import { toNetSuiteApiError } from '../resources/apiErrors';
import { authorizedRequest, isSuccess } from '../resources/authorizedRequest';
import type { AccessTokenProvider } from '../resources/types';
import { inspectCertificatePem } from './inspect';

/** A record NetSuite links to from a mapping (`entity`, `role`, `application`), when the answer names it. */
export interface LinkedRecord {
  id: string;
  name?: string;
}

/**
 * One row of the certificate rotation endpoint, in camelCase. Two answer shapes are known (both UNCERTAIN): a flat one
 * (certificate_id, algorithm, valid_until, revoked; `invalidated` on create) and a nested one that adds valid_from,
 * created and the mapped application, entity and role as objects. Fields only the nested shape has are optional.
 */
export interface CertificateInfo {
  certificateId: string;
  /** As NetSuite reports it, e.g. "EC" or "RSA". */
  algorithm: string;
  /** `YYYY-MM-DD` as NetSuite reports it. */
  validUntil: string;
  revoked: boolean;
  validFrom?: string;
  created?: string;
  application?: LinkedRecord & { applicationId?: string };
  entity?: LinkedRecord;
  role?: LinkedRecord;
}

export interface CertificateEndpoints {
  certificatesUrl(clientId: string): string;
  certificateRevokeUrl(clientId: string, certificateId: string): string;
}

export interface CertificateApiOptions {
  endpoints: CertificateEndpoints;
  clientId: string;
  http: NetSuiteHttp;
  /** A token with the rest_webservices scope, for a role with "Manage own OAuth 2.0 Client Credentials certificates". */
  auth: AccessTokenProvider;
}

/** NetSuite certificate IDs are base64url and may start with "-". */
const CERTIFICATE_ID = /^[A-Za-z0-9_-]{1,200}$/;

/**
 * NetSuite's OAuth 2.0 client credentials certificate rotation endpoint (2026.1), on the restlets host:
 * list, upload (JSON {fileContent, role, entity}) and revoke. Response shapes are UNCERTAIN (third-party clients
 * only), so parsing accepts the flat and the nested shape, snake_case and camelCase, an `items` wrapper, and errors
 * as problem JSON or as plain text.
 */
export class CertificateApi {
  constructor(private readonly o: CertificateApiOptions) {}

  async list(): Promise<CertificateInfo[]> {
    const result = await authorizedRequest(this.o, (authorization) => ({
      method: 'GET',
      url: this.o.endpoints.certificatesUrl(this.o.clientId),
      headers: { authorization, accept: 'application/json' },
    }));
    if (!isSuccess(result.status)) throw toNetSuiteApiError(result, 'rest', 'Listing certificates');
    const json = parseJson(result.body, 'certificate list');
    const rows = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.items) ? json.items : undefined;
    if (!rows) throw unexpected('certificate list is not an array');
    return rows.map(toCertificateInfo);
  }

  async upload(o: { certificatePem: string; role: number; entity: number }): Promise<CertificateInfo> {
    inspectCertificatePem(o.certificatePem);
    checkInternalId(o.role, 'role');
    checkInternalId(o.entity, 'entity');
    const body = JSON.stringify({ fileContent: o.certificatePem, role: o.role, entity: o.entity });
    const result = await authorizedRequest(this.o, (authorization) => ({
      method: 'POST',
      url: this.o.endpoints.certificatesUrl(this.o.clientId),
      headers: { authorization, accept: 'application/json', 'content-type': 'application/json' },
      body,
    }));
    if (!isSuccess(result.status)) throw toNetSuiteApiError(result, 'rest', 'Uploading the certificate');
    return toCertificateInfo(parseJson(result.body, 'upload response'));
  }

  async revoke(certificateId: string): Promise<void> {
    checkCertificateId(certificateId);
    const result = await authorizedRequest(this.o, (authorization) => ({
      method: 'POST',
      url: this.o.endpoints.certificateRevokeUrl(this.o.clientId, certificateId),
      headers: { authorization, accept: 'application/json, text/plain' },
      // Revoking twice changes nothing, so a lost answer may be retried.
      retryNonIdempotent: true,
    }));
    // A retried revoke whose first answer was lost may hear "already revoked": the certificate is revoked either way.
    if (!isSuccess(result.status) && !(result.status === 400 && ALREADY_REVOKED.test(result.body))) {
      throw toNetSuiteApiError(result, 'rest', `Revoking certificate ${certificateId}`);
    }
  }
}

const ALREADY_REVOKED = /already\s+(?:been\s+)?revoked/i;

function toCertificateInfo(raw: unknown): CertificateInfo {
  if (!isRecord(raw)) throw unexpected('certificate entry is not an object');
  const certificateId = raw.certificate_id ?? raw.certificateId;
  const validUntil = raw.valid_until ?? raw.validUntil;
  if (typeof certificateId !== 'string' || certificateId === '') throw unexpected('certificate entry has no certificate_id');
  const info: CertificateInfo = {
    certificateId,
    algorithm: typeof raw.algorithm === 'string' ? raw.algorithm : 'unknown',
    validUntil: typeof validUntil === 'string' ? validUntil : '',
    // The flat create answer says `invalidated` where the list says `revoked`.
    revoked: truthy(raw.revoked ?? raw.invalidated),
  };
  const validFrom = raw.valid_from ?? raw.validFrom;
  if (typeof validFrom === 'string') info.validFrom = validFrom;
  if (typeof raw.created === 'string') info.created = raw.created;
  const application = linked(raw.application);
  if (application) {
    const applicationId = isRecord(raw.application) ? raw.application.application_id ?? raw.application.applicationId : undefined;
    info.application = typeof applicationId === 'string' ? { ...application, applicationId } : application;
  }
  const entity = linked(raw.entity);
  if (entity) info.entity = entity;
  const role = linked(raw.role);
  if (role) info.role = role;
  return info;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'T' || value === 'true';
}

/** `{id, name, url}` (nested shape) or a bare internal ID; anything else is left out. */
function linked(value: unknown): LinkedRecord | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && value !== '')) return { id: String(value) };
  if (!isRecord(value) || (typeof value.id !== 'string' && typeof value.id !== 'number')) return undefined;
  return typeof value.name === 'string' ? { id: String(value.id), name: value.name } : { id: String(value.id) };
}

function parseJson(body: string, what: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw unexpected(`${what} is not JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unexpected(detail: string): SuiteBridgeError {
  return new SuiteBridgeError('NETSUITE_ERROR', `Unexpected answer from the certificate endpoint: ${detail}`, {
    remedy: 'Check that the account has the 2026.1 certificate rotation endpoint and that the base URL is the restlets host.',
  });
}

function checkInternalId(value: number, field: 'role' | 'entity'): void {
  if (!Number.isInteger(value)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${field} must be a NetSuite internal ID (an integer), got ${String(value)}`, {
      field,
      remedy: field === 'role' ? 'Use the role internal ID (Setup > Users/Roles > Manage Roles, ID column).' : 'Use the employee internal ID.',
    });
  }
}

export function checkCertificateId(certificateId: string): void {
  if (typeof certificateId !== 'string' || !CERTIFICATE_ID.test(certificateId)) {
    throw new ConfigurationError('INVALID_ARGUMENT', 'certificateId must be the Certificate ID NetSuite shows on the M2M setup page', {
      field: 'certificateId',
      remedy: 'Copy the Certificate ID from Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup; it is not a thumbprint.',
    });
  }
}
