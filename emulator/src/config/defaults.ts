import { createHash } from 'node:crypto';
import type { AccountConfig, EmployeeConfig, EmulatorConfig, IntegrationConfig, ResolvedAccount, ResolvedConfig, ResolvedIntegration } from './types';

export const DEFAULT_PORT = 4010;
export const DEFAULT_BUNDLE_ID = '512345';
export const ADMINISTRATOR_ROLE_ID = 3;
/** UNCERTAIN: the permkey of "Manage own OAuth 2.0 Client Credentials certificates" was not found in Oracle's list. */
export const DEFAULT_MANAGE_OWN_CERTS_PERMISSION = 'ADMI_MANAGE_OWN_OAUTH2_CERTS';
/** NetSuite accepts only https:// or custom-scheme redirect URIs; loopback callbacks are served over HTTPS. */
export const DEFAULT_REDIRECT_URIS = ['https://127.0.0.1:8899/callback', 'https://127.0.0.1:3030/callback'];

const DEFAULT_ACCOUNTS: AccountConfig[] = [
  { accountId: '1234567', environment: 'PRODUCTION' },
  { accountId: '1234567_SB1', environment: 'SANDBOX' },
];

const DEFAULT_EMPLOYEES: EmployeeConfig[] = [
  { entityId: 7, name: 'Ada Admin', email: 'admin@example.com', roles: [ADMINISTRATOR_ROLE_ID] },
  { entityId: 8, name: 'Ivy Integration', email: 'integration@example.com', roles: [] },
];

/** Client IDs are deterministic per account + name so the docs can show them. */
export function deterministicClientId(accountId: string, name: string): string {
  return createHash('sha256').update(`${accountId}\n${name}`).digest('hex');
}

/**
 * Two records per account, as Oracle requires: client credentials is not available to public clients. The public
 * record serves the one-off consent (auth code + PKCE, refresh tokens valid 1 hour); the confidential one M2M.
 */
function defaultIntegrations(accountId: string): IntegrationConfig[] {
  return [
    {
      name: 'SuiteBridge (public)', accountId, publicClient: true,
      grants: ['authorization_code'], refreshTokenValidityHours: 1, redirectUris: DEFAULT_REDIRECT_URIS,
    },
    { name: 'SuiteBridge (confidential)', accountId, publicClient: false, grants: ['client_credentials'] },
  ];
}

/** Supplies a secret that stays the same for a data dir (stored in the system DB), random otherwise. */
export type SecretSource = (key: string) => string;

function resolveAccount(a: AccountConfig): ResolvedAccount {
  const sandbox = /_SB\d*$/.test(a.accountId);
  return {
    accountId: a.accountId,
    environment: a.environment ?? (sandbox ? 'SANDBOX' : 'PRODUCTION'),
    concurrencyLimit: a.concurrencyLimit ?? 5,
    roles: a.roles ?? [],
    employees: a.employees ?? DEFAULT_EMPLOYEES,
    customers: a.customers ?? 2500,
  };
}

function resolveIntegration(i: IntegrationConfig, secret: SecretSource): ResolvedIntegration {
  const clientId = i.clientId ?? deterministicClientId(i.accountId, i.name);
  const publicClient = i.publicClient ?? false;
  return {
    name: i.name,
    accountId: i.accountId,
    clientId,
    clientSecret: publicClient ? undefined : (i.clientSecret ?? secret(`client-secret:${clientId}`)),
    publicClient,
    redirectUris: i.redirectUris ?? DEFAULT_REDIRECT_URIS,
    scopes: i.scopes ?? ['restlets', 'rest_webservices'],
    grants: i.grants ?? ['authorization_code', 'client_credentials'],
    allowClientCredentialsForPublicClient: i.allowClientCredentialsForPublicClient ?? false,
    refreshTokenValidityHours: i.refreshTokenValidityHours ?? 168,
    maxRotationHours: i.maxRotationHours ?? 168,
    consentPolicy: i.consentPolicy ?? 'ASK_FIRST_TIME',
    confidentialRefreshReturnsRefreshToken: i.confidentialRefreshReturnsRefreshToken ?? false,
  };
}

/** Applies every default. Passwords left out get a per-data-dir random one. */
export function resolveConfig(config: EmulatorConfig, secret: SecretSource): ResolvedConfig {
  const accounts = (config.accounts ?? DEFAULT_ACCOUNTS).map(resolveAccount);
  for (const account of accounts) {
    account.employees = account.employees.map((e) => ({
      ...e,
      password: e.password ?? secret(`password:${account.accountId}:${e.entityId}`),
      roles: e.roles ?? [],
    }));
  }
  const integrations = (config.integrations ?? accounts.flatMap((a) => defaultIntegrations(a.accountId)))
    .map((i) => resolveIntegration(i, secret));
  return {
    accounts,
    integrations,
    clockOffsetSeconds: config.clockOffsetSeconds ?? 0,
    faults: { latencyMs: 0, tokenEndpoint503: 0, dropConnections: 0, concurrencyRejects: 0, ...config.faults },
    limits: {
      activeCertificatesPerIntegration: 5,
      authCodeLifetimeSeconds: 600,
      assertionClockToleranceSeconds: 0,
      certificatePropagationSeconds: 0,
      suiteqlTimeoutMs: 60_000,
      ...config.limits,
    },
    leniency: {
      assertionFractionalTimes: false, assertionClientIdField: false, assertionAudienceArray: false, assertionSubClaim: false,
      ...config.leniency,
    },
    shapes: {
      certificateApi: 'nested', restConcurrencyErrorCode: 'CONCURRENCY_LIMIT_EXCEEDED', restConcurrencyRetryAfterSeconds: 0,
      restletAuthFailureCode: 'INVALID_LOGIN_ATTEMPT', governanceLimitsFields: 'netsuite-cli', userinfoClaims: 'oidc',
      ...config.shapes,
    },
    manageOwnCertificatesPermission: config.manageOwnCertificatesPermission ?? DEFAULT_MANAGE_OWN_CERTS_PERMISSION,
    bundleId: config.bundleId ?? DEFAULT_BUNDLE_ID,
    suiteqlRequiresTransient: config.suiteqlRequiresTransient ?? true,
    hostRouting: config.hostRouting ?? 'virtual-hosts',
  };
}
