import { accountHostId, normalizeAccountId } from '../account';
import { ConfigurationError } from '../errors';
import type { ResolvedSettings, TenantSettings } from './types';

export const DEFAULT_BUNDLE_ID = '512345';
export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1:8899/callback';
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

export function defaultInstallUrl(accountId: string, bundleId: string, baseUrl?: string): string {
  const id = encodeURIComponent(bundleId);
  if (baseUrl) return `${baseUrl.replace(/\/$/, '')}/app/bundler/installbundle.nl?id=${id}&account=${encodeURIComponent(accountId)}`;
  return `https://${hostIdOf(accountId)}.app.netsuite.com/app/bundler/installbundle.nl?id=${id}`;
}

const URL_EXAMPLES: Record<string, string> = {
  redirectUri: 'http://127.0.0.1:8899/callback',
  baseUrl: 'https://1234567.app.netsuite.com, or http://127.0.0.1:4010 for the local emulator',
};

/** `httpAllowed`: the redirect URI may be any http URL (NetSuite decides); the base URL only loopback with the opt-in. */
function checkUrl(field: string, value: string, httpAllowed: (url: URL) => boolean): void {
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

export function resolveSettings(input: TenantSettings): ResolvedSettings {
  const accountId = normalizeAccount(input.accountId);
  const tenant = assertTenantName(input.tenant ?? accountId);
  checkClientId(input.authClient?.clientId, 'authClient.clientId', '--client-id');
  if (input.ccClient) checkClientId(input.ccClient.clientId, 'ccClient.clientId', '--cc-client-id');
  const redirectUri = input.redirectUri ?? DEFAULT_REDIRECT_URI;
  checkUrl('redirectUri', redirectUri, () => true);
  if (input.baseUrl) checkUrl('baseUrl', input.baseUrl, (url) => isLoopback(url) && input.dangerouslyAllowInsecureHttp === true);
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
  const resolved: ResolvedSettings = {
    tenant,
    accountId,
    authClient: { ...input.authClient },
    ccClient: { ...(input.ccClient ?? input.authClient) },
    redirectUri,
    scopes: [...scopes],
    bundleId,
    installUrl: input.bundleInstallUrl ?? defaultInstallUrl(accountId, bundleId, input.baseUrl),
    keyType: input.keyType ?? 'EC-P256',
    certificateValidityDays: validityDays,
    configSeed: input.configSeed ?? { 'suitebridge.tenant': tenant, 'suitebridge.onboarded_by': 'suitebridge' },
  };
  if (input.integrationEntity !== undefined) resolved.integrationEntity = input.integrationEntity;
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
