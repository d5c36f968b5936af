import { STEP_IDS, type AuditEntry, type InstallCheck, type StepId, type StepState, type TenantRecord, type TenantStatus } from './types';

export interface TenantView {
  tenant: string;
  accountId: string;
  status: TenantStatus;
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  settings: {
    authClientId: string;
    ccClientId: string;
    sameRecord: boolean;
    redirectUri: string;
    scopes: string[];
    bundleId: string;
    installUrl: string;
    integrationEntity?: number;
    keyType: string;
    baseUrl?: string;
    /** Set only with the explicit single-record set-up (one confidential record for both grants). */
    singleRecord?: boolean;
  };
  steps: Record<StepId, StepState>;
  consent?: { entity: number; role: number; company: string; at: string };
  bundle?: { ok: boolean; checks: InstallCheck[]; appRole: { internalId: number; scriptId: string } | null; checkedAt: string };
  certificate?: {
    certificateId?: string;
    sha256Fingerprint: string;
    algorithm: string;
    notAfter: string;
    entity?: number;
    role?: number;
    uploadedAt?: string;
    expiry: { daysLeft: number; level: 'ok' | '60d' | '30d' | '14d' | 'expired' };
  };
  account?: { accountId: string; environment: string; version: string; userId: number; roleId: number; roleScriptId: string };
  lastToken?: { at: string; expiresAt: string };
  lastHealth?: { at: string; ok: boolean; roleScriptId?: string };
  temporaryAccess: 'none' | 'held' | 'revoked';
  /** Refresh tokens interrupted code exchanges may have left at NetSuite (see leftoverAuthorization.ts). */
  leftoverAuthorizations?: { sentAt: string; liveUntil: string; notice: string }[];
  audit: AuditEntry[];
}

export interface TenantSummary {
  tenant: string;
  accountId: string;
  status: TenantStatus;
  updatedAt: string;
  certificateId?: string;
  certificateNotAfter?: string;
}

const DAY_MS = 86_400_000;

export function expiryOf(notAfter: string, now: number): { daysLeft: number; level: 'ok' | '60d' | '30d' | '14d' | 'expired' } {
  const daysLeft = Math.floor((Date.parse(notAfter) - now) / DAY_MS);
  const level = daysLeft < 0 ? 'expired' : daysLeft <= 14 ? '14d' : daysLeft <= 30 ? '30d' : daysLeft <= 60 ? '60d' : 'ok';
  return { daysLeft, level };
}

export function statusOf(record: TenantRecord): TenantStatus {
  if (record.completedAt) return 'completed';
  const states = STEP_IDS.map((id) => record.steps[id].status);
  if (states.includes('failed')) return 'failed';
  if (record.steps.authorize.status === 'waiting') return 'waiting_for_authorization';
  if (record.steps.bundle.status === 'waiting') return 'waiting_for_bundle';
  return 'in_progress';
}

/** What may be shown anywhere: IDs, dates, results. No token, secret, code or key has a field here. */
export function toView(record: TenantRecord, now: number): TenantView {
  const s = record.settings;
  const view: TenantView = {
    tenant: record.tenant,
    accountId: s.accountId,
    status: statusOf(record),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    settings: {
      authClientId: s.authClient.clientId,
      ccClientId: s.ccClient.clientId,
      sameRecord: s.authClient.clientId === s.ccClient.clientId,
      redirectUri: s.redirectUri,
      scopes: [...s.scopes],
      bundleId: s.bundleId,
      installUrl: s.installUrl,
      keyType: s.keyType,
    },
    steps: structuredClone(record.steps),
    temporaryAccess: record.authorization.tokens ? 'held' : record.authorization.revokedAt ? 'revoked' : 'none',
    audit: record.audit.map((e) => ({ ...e })),
  };
  if (s.integrationEntity !== undefined) view.settings.integrationEntity = s.integrationEntity;
  if (s.baseUrl) view.settings.baseUrl = s.baseUrl;
  if (s.singleRecord) view.settings.singleRecord = true;
  if (record.completedAt) view.completedAt = record.completedAt;
  if (record.consent) view.consent = { ...record.consent };
  if (record.bundle) view.bundle = structuredClone(record.bundle);
  const c = record.certificate;
  if (c) {
    view.certificate = { sha256Fingerprint: c.sha256Fingerprint, algorithm: c.algorithm, notAfter: c.notAfter, expiry: expiryOf(c.notAfter, now) };
    if (c.certificateId) view.certificate.certificateId = c.certificateId;
    if (c.entity !== undefined) view.certificate.entity = c.entity;
    if (c.role !== undefined) view.certificate.role = c.role;
    if (c.uploadedAt) view.certificate.uploadedAt = c.uploadedAt;
  }
  if (record.account) {
    const a = record.account;
    view.account = { accountId: a.accountId, environment: a.environment, version: a.version, userId: a.userId, roleId: a.roleId, roleScriptId: a.roleScriptId };
  }
  if (record.lastToken) view.lastToken = { at: record.lastToken.at, expiresAt: record.lastToken.expiresAt };
  if (record.lastHealth) view.lastHealth = { ...record.lastHealth };
  const leftovers = record.authorization.leftovers;
  if (leftovers?.length) view.leftoverAuthorizations = leftovers.map((l) => ({ sentAt: l.sentAt, liveUntil: l.liveUntil, notice: l.notice }));
  return view;
}

export function toSummary(record: TenantRecord): TenantSummary {
  const summary: TenantSummary = { tenant: record.tenant, accountId: record.settings.accountId, status: statusOf(record), updatedAt: record.updatedAt };
  if (record.certificate?.certificateId) summary.certificateId = record.certificate.certificateId;
  if (record.certificate) summary.certificateNotAfter = record.certificate.notAfter;
  return summary;
}
