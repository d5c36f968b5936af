import { accountHostId, normalizeAccountId, resolveEndpoints } from '../account';
import { ConfigurationError } from '../errors';
import type { ClientRef, ResolvedSettings, TenantSettings } from './types';

export const DEFAULT_BUNDLE_ID = '512345';
/** Register this on the public integration record; `suitebridge onboard` serves it over HTTPS (throwaway certificate). */
export const DEFAULT_REDIRECT_URI = 'https://127.0.0.1:8899/callback';
/**
 * "Refresh Token Validity (in hours)" the README recommends for the public record: the temporary access only has
 * to last through the onboarding. Only used to tell an operator how long a leftover refresh token can live.
 */
export const RECOMMENDED_REFRESH_VALIDITY_HOURS = 1;
export const DEFAULT_SCOPES = ['restlets', 'rest_webservices'];
const TENANT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function invalid(field: string, message: string, remedy: string): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', message, { field, remedy });
}

export function normalizeAccount(id: string): string {
  return normalizeAccountId(id);
}

export function assertTenantName(tenant: string): string {
  if (!TENANT_NAME.test(tenant)) {
    throw invalid('tenant', `Tenant name "${tenant}" is not allowed.`, 'Use 1-64 letters, digits, ".", "_" or "-".');
  }
  return tenant;
}

export function hostIdOf(accountId: string): string {
  return accountHostId(accountId);
}

/** The bundle install page on the account's app host (NetSuite's, or the emulator's for a loopback base URL). */
export function defaultInstallUrl(accountId: string, bundleId: string, baseUrl?: string, dangerouslyAllowInsecureHttp?: boolean): string {
  const id = encodeURIComponent(bundleId);
  if (baseUrl) {
    const { app } = resolveEndpoints(accountId, { baseUrl, ...(dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp } : {}) }).origins;
    return `${app}/app/bundler/installbundle.nl?id=${id}&account=${encodeURIComponent(accountId)}`;
  }
  return `https://${hostIdOf(accountId)}.app.netsuite.com/app/bundler/installbundle.nl?id=${id}`;
}

const URL_EXAMPLES: Record<string, string> = {
  redirectUri: 'https://127.0.0.1:8899/callback',
  baseUrl: 'https://1234567.app.netsuite.com, or http://127.0.0.1:4010 for the local emulator',
  bundleInstallUrl: 'https://1234567.app.netsuite.com/app/bundler/installbundle.nl?id=512345',
};

/** `httpAllowed`: the base URL may use http only for loopback with the opt-in. */
function checkUrl(field: string, value: string, httpAllowed: (url: URL) => boolean): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(field, `${field} "${value}" is not a URL.`, `Give an absolute URL such as ${URL_EXAMPLES[field] ?? 'https://example.com'}.`);
  }
  // The URL is stored and printed (install link, tenants show); a user:password in it would be too.
  if (url.username !== '' || url.password !== '') {
    throw invalid(field, `${field} must not contain a user name or password.`, `Remove the "user:password@" part; NetSuite sign-in happens in the browser.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && httpAllowed(url))) {
    throw new ConfigurationError('INSECURE_URL', `${field} must use https (got ${url.protocol}).`, {
      field,
      remedy: 'Use https, or for the local emulator pass --dangerously-allow-insecure-http.',
    });
  }
  return url;
}

/**
 * NetSuite accepts only https:// or a custom URL scheme (myapp://callback) as redirect URI; "The http:// scheme
 * isn't supported" (Oracle, integration record help). A loopback https URI is served by `suitebridge onboard`.
 */
function checkRedirectUri(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('redirectUri', `redirectUri "${value}" is not a URL.`, `Give the redirect URI registered on the public integration record, such as ${DEFAULT_REDIRECT_URI}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('redirectUri', 'redirectUri must not contain a user name or password.', 'Remove the "user:password@" part; NetSuite sign-in happens in the browser.');
  }
  if (url.protocol === 'http:') {
    throw new ConfigurationError('INSECURE_URL', `redirectUri must not use http:// (got ${url.origin}${url.pathname}): NetSuite refuses http:// redirect URIs.`, {
      field: 'redirectUri',
      remedy: `Register an https:// redirect URI on the integration record, e.g. ${DEFAULT_REDIRECT_URI} (suitebridge onboard serves it with a throwaway certificate), and pass it with --redirect-uri.`,
    });
  }
  if (['javascript:', 'data:', 'file:', 'blob:', 'about:'].includes(url.protocol)) {
    throw invalid('redirectUri', `redirectUri cannot use the ${url.protocol} scheme.`, `Use https:// (e.g. ${DEFAULT_REDIRECT_URI}) or your app's custom scheme (myapp://callback).`);
  }
}

function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

/** NetSuite client IDs are 64 hex characters; accept any token-like ID but catch a flag taken as a value. */
const CLIENT_ID = /^[A-Za-z0-9_.~]{8,128}$/;

function checkClientId(value: string | undefined, field: string, flag: string): void {
  if (!value || !CLIENT_ID.test(value)) {
    throw invalid(field, value ? `"${value.slice(0, 20)}" is not an integration record client ID.` : 'The client ID is missing.', `Pass ${flag} with the Client ID shown when the integration record was saved (64 hex characters).`);
  }
}

export const SINGLE_RECORD_HELP =
  'Oracle does not support the client credentials grant on a public client, so the single record must be a confidential ' +
  'client (Public Client unchecked) with both Authorization Code Grant and Client Credentials (Machine to Machine) Grant ' +
  'checked, and its client secret must be given for the code exchange.';

/** Two records by default (public consent record + confidential M2M record); one only with `singleRecord`. */
function resolveClients(input: TenantSettings): { authClient: ClientRef; ccClient: ClientRef } {
  checkClientId(input.authClient?.clientId, 'authClient.clientId', '--client-id');
  const authClient = { ...input.authClient };
  if (input.singleRecord === true) {
    if (input.ccClient && input.ccClient.clientId !== authClient.clientId) {
      throw invalid('ccClient.clientId', 'A client-credentials record was given together with the single-record set-up.', 'Drop --single-record to use two records, or drop --cc-client-id.');
    }
    if (!authClient.clientSecret) {
      throw invalid('authClient.clientSecret', 'The single-record set-up needs the client secret of that (confidential) record.', `Set it in the SUITEBRIDGE_CLIENT_SECRET environment variable or pass --client-secret-file <path>. ${SINGLE_RECORD_HELP}`);
    }
    return { authClient, ccClient: { ...authClient } };
  }
  if (!input.ccClient) {
    throw invalid(
      'ccClient.clientId',
      'The client ID of the confidential client-credentials (M2M) integration record is missing.',
      'Pass --cc-client-id with the Client ID of the second, confidential record that has Client Credentials (Machine to Machine) Grant checked; the certificate is uploaded for it. (One record for both grants is possible only with --single-record.)',
    );
  }
  checkClientId(input.ccClient.clientId, 'ccClient.clientId', '--cc-client-id');
  if (input.ccClient.clientId === authClient.clientId) {
    throw invalid(
      'ccClient.clientId',
      'The client-credentials record is the same as the authorization-code record.',
      `Give the confidential M2M record's client ID in --cc-client-id, or pass --single-record if that one record is confidential and has both grants. ${SINGLE_RECORD_HELP}`,
    );
  }
  return { authClient, ccClient: { ...input.ccClient } };
}

export function resolveSettings(input: TenantSettings): ResolvedSettings {
  const accountId = normalizeAccount(input.accountId);
  const tenant = assertTenantName(input.tenant ?? accountId);
  const { authClient, ccClient } = resolveClients(input);
  const redirectUri = input.redirectUri ?? DEFAULT_REDIRECT_URI;
  checkRedirectUri(redirectUri);
  if (input.baseUrl) void checkUrl('baseUrl', input.baseUrl, (url) => isLoopback(url) && input.dangerouslyAllowInsecureHttp === true);
  // Shown to the administrator as a link: https (http only for the local emulator), no credentials in it.
  if (input.bundleInstallUrl !== undefined) void checkUrl('bundleInstallUrl', input.bundleInstallUrl, (url) => isLoopback(url) && input.dangerouslyAllowInsecureHttp === true);
  const bundleId = input.bundleId ?? DEFAULT_BUNDLE_ID;
  if (!/^[0-9]{1,12}$/.test(bundleId)) throw invalid('bundleId', `Bundle ID "${bundleId}" is not numeric.`, 'Pass the numeric bundle ID from the install link.');
  const scopes = input.scopes ?? DEFAULT_SCOPES;
  if (!scopes.includes('restlets')) throw invalid('scopes', 'The "restlets" scope is required for onboarding.', 'Enable RESTlets on the integration record and include the restlets scope.');
  if (input.integrationEntity !== undefined && !(Number.isInteger(input.integrationEntity) && input.integrationEntity > 0)) {
    throw invalid('integrationEntity', `Entity "${input.integrationEntity}" is not an internal ID.`, 'Pass the employee\'s internal ID (a positive integer).');
  }
  const validityDays = input.certificateValidityDays ?? 730;
  if (!(Number.isInteger(validityDays) && validityDays >= 1 && validityDays <= 730)) {
    throw invalid('certificateValidityDays', `Certificate validity ${validityDays} days is out of range.`, 'NetSuite accepts at most 730 days (2 years).');
  }
  const refreshValidityHours = input.refreshTokenValidityHours ?? RECOMMENDED_REFRESH_VALIDITY_HOURS;
  if (!(Number.isInteger(refreshValidityHours) && refreshValidityHours >= 1 && refreshValidityHours <= 720)) {
    throw invalid('refreshTokenValidityHours', `Refresh token validity ${refreshValidityHours} hours is out of range.`, 'Give the "Refresh Token Validity (in hours)" of the public record: 1 to 720 (1 recommended).');
  }
  const resolved: ResolvedSettings = {
    tenant,
    accountId,
    authClient,
    ccClient,
    redirectUri,
    scopes: [...scopes],
    bundleId,
    installUrl: input.bundleInstallUrl ?? defaultInstallUrl(accountId, bundleId, input.baseUrl, input.dangerouslyAllowInsecureHttp),
    keyType: input.keyType ?? 'EC-P256',
    certificateValidityDays: validityDays,
    configSeed: input.configSeed ?? { 'suitebridge.tenant': tenant, 'suitebridge.onboarded_by': 'suitebridge' },
  };
  if (input.integrationEntity !== undefined) resolved.integrationEntity = input.integrationEntity;
  if (input.singleRecord === true) resolved.singleRecord = true;
  if (refreshValidityHours !== RECOMMENDED_REFRESH_VALIDITY_HOURS) resolved.refreshTokenValidityHours = refreshValidityHours;
  if (input.baseUrl) resolved.baseUrl = input.baseUrl.replace(/\/$/, '');
  if (input.dangerouslyAllowInsecureHttp) resolved.dangerouslyAllowInsecureHttp = true;
  return resolved;
}

/** Fields whose change would make a resumed onboarding inconsistent. */
const IDENTITY_FIELDS = ['accountId', 'redirectUri', 'bundleId', 'baseUrl'] as const;

export function settingsConflict(stored: ResolvedSettings, requested: ResolvedSettings): string | undefined {
  for (const field of IDENTITY_FIELDS) if (stored[field] !== requested[field]) return field;
  if (stored.authClient.clientId !== requested.authClient.clientId) return 'authClient.clientId';
  if (stored.ccClient.clientId !== requested.ccClient.clientId) return 'ccClient.clientId';
  if ([...stored.scopes].sort().join(' ') !== [...requested.scopes].sort().join(' ')) return 'scopes';
  return undefined;
}
