import type { Clock } from './clock';
import { ConfigurationError, ErrorCode } from './errors';

/** Options every SuiteBridge client factory accepts. */
export interface TransportOptions {
  /**
   * Where to send requests instead of NetSuite. A loopback URL (`http://127.0.0.1:4010`, `localhost`, `[::1]`) is the
   * emulator: each account is then reached on `<hostId>.app|suitetalk|restlets.localhost` at that port, as NetSuite
   * separates its hosts. Any other URL (a proxy or custom domain) receives every request with NetSuite's paths.
   */
  baseUrl?: string;
  /** Allow `http://` for a loopback `baseUrl` (emulator, tests). Never use it for a real account. */
  dangerouslyAllowInsecureHttp?: boolean;
  /** Replaces SuiteBridge's transport (which resolves `*.localhost` to loopback) for every request. */
  fetch?: typeof fetch;
  clock?: Clock;
  /** Per-request timeout; default 30,000 ms. */
  timeoutMs?: number;
}

export interface EndpointOptions {
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
}

export interface NetSuiteEndpoints {
  /** Canonical account ID, e.g. `1234567_SB1`. */
  accountId: string;
  /** Host form, e.g. `1234567-sb1`. */
  hostId: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  jwksUrl: string;
  userinfoUrl: string;
  openidConfigurationUrl: string;
  suiteqlUrl: string;
  recordUrl(type: string, id?: string | number): string;
  restletUrl(scriptId: string | number, deployId: string | number): string;
  certificatesUrl(clientId: string): string;
  certificateRevokeUrl(clientId: string, certificateId: string): string;
  governanceLimitsUrl: string;
  /** The three origins the URLs above use (all equal for a non-loopback `baseUrl`). */
  origins: AccountOrigins;
}

// Production, sandbox (_SB1), release preview (_RP1) and test-drive accounts. Nothing else can reach a hostname.
const ACCOUNT_ID = /^(?:[0-9]+(?:_(?:SB|RP)[0-9]+)?|TSTDRV[0-9]+)$/;
const MAX_ACCOUNT_ID_LENGTH = 40;

const OAUTH_PATH = '/services/rest/auth/oauth2/v1';

/** `1234567_sb1` → `1234567_SB1`. Throws INVALID_ACCOUNT_ID for anything that is not a NetSuite account ID. */
export function normalizeAccountId(id: string): string {
  const candidate = typeof id === 'string' ? id.trim().toUpperCase() : '';
  if (candidate.length === 0 || candidate.length > MAX_ACCOUNT_ID_LENGTH || !ACCOUNT_ID.test(candidate)) {
    throw new ConfigurationError(
      ErrorCode.INVALID_ACCOUNT_ID,
      `Invalid NetSuite account ID ${JSON.stringify(String(id).slice(0, MAX_ACCOUNT_ID_LENGTH))}: expected digits with an optional ` +
        '_SB<n> or _RP<n> suffix (e.g. 1234567 or 1234567_SB1) or TSTDRV<digits>.',
      {
        field: 'accountId',
        remedy: 'Copy the account ID from Setup > Company > Company Information (Account ID field).',
      },
    );
  }
  return candidate;
}

/** `1234567_SB1` → `1234567-sb1`, the form used in NetSuite hostnames. */
export function accountHostId(id: string): string {
  return normalizeAccountId(id).toLowerCase().replace('_', '-');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127(?:\.[0-9]{1,3}){3}$/.test(host);
}

/**
 * Checks a caller-supplied URL: https anywhere, http only for loopback with the explicit opt-in.
 * Returns the URL without a trailing slash.
 */
export function checkBaseUrl(raw: string, dangerouslyAllowInsecureHttp: boolean | undefined, field = 'baseUrl'): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} is not an absolute URL.`, {
      field,
      remedy: `Pass a full URL such as https://1234567.suitetalk.api.netsuite.com or http://127.0.0.1:4010.`,
    });
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must not contain credentials, a query or a fragment.`, {
      field,
      remedy: `Pass only the scheme, host, port and optional path prefix.`,
    });
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname) || dangerouslyAllowInsecureHttp !== true) {
      throw new ConfigurationError(
        ErrorCode.INSECURE_URL,
        `${field} uses plain http (${url.host}); tokens would travel unencrypted.`,
        {
          field,
          remedy: isLoopbackHost(url.hostname)
            ? 'For a local emulator set dangerouslyAllowInsecureHttp: true (CLI: --dangerously-allow-insecure-http); otherwise use https.'
            : 'Use https. Plain http is only allowed for loopback hosts with dangerouslyAllowInsecureHttp: true (CLI: --dangerously-allow-insecure-http).',
        },
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must use https (got ${url.protocol}).`, {
      field,
      remedy: 'Use an https:// URL.',
    });
  }
  return url.toString().replace(/\/+$/, '');
}

function segment(value: string | number, field: string): string {
  const text = String(value);
  if (text.length === 0) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${field} must not be empty.`, { field });
  }
  return encodeURIComponent(text);
}

export interface AccountOrigins {
  app: string;
  suitetalk: string;
  restlets: string;
}

/** Plain loopback names, whose `baseUrl` means the emulator; a `*.localhost` name is already one host. */
function isBareLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127(?:\.[0-9]{1,3}){3}$/.test(host);
}

function originsFor(hostId: string, options: EndpointOptions): AccountOrigins {
  if (options.baseUrl !== undefined) {
    const base = checkBaseUrl(options.baseUrl, options.dangerouslyAllowInsecureHttp);
    const url = new URL(base);
    if (!isBareLoopback(url.hostname)) return { app: base, suitetalk: base, restlets: base };
    // The emulator's per-account hosts (docs/emulator.md, "Hosts"); the transport resolves `*.localhost` to loopback.
    const prefix = base.slice(url.origin.length);
    const on = (kind: keyof AccountOrigins) => `${url.protocol}//${hostId}.${kind}.localhost${url.port ? `:${url.port}` : ''}${prefix}`;
    return { app: on('app'), suitetalk: on('suitetalk'), restlets: on('restlets') };
  }
  return {
    app: `https://${hostId}.app.netsuite.com`,
    suitetalk: `https://${hostId}.suitetalk.api.netsuite.com`,
    restlets: `https://${hostId}.restlets.api.netsuite.com`,
  };
}

/**
 * Every URL SuiteBridge calls for one account. Authorize is on the app host; OAuth, SuiteQL, records and
 * governance on the suitetalk host; RESTlets and the certificate API on the restlets host.
 */
export function resolveEndpoints(accountId: string, options: EndpointOptions = {}): NetSuiteEndpoints {
  const canonical = normalizeAccountId(accountId);
  const hostId = accountHostId(canonical);
  const origins = originsFor(hostId, options);
  const { app, suitetalk, restlets } = origins;
  const oauth = `${suitetalk}${OAUTH_PATH}`;
  return {
    accountId: canonical,
    hostId,
    origins,
    authorizeUrl: `${app}/app/login/oauth2/authorize.nl`,
    tokenUrl: `${oauth}/token`,
    revokeUrl: `${oauth}/revoke`,
    jwksUrl: `${oauth}/keys`,
    userinfoUrl: `${oauth}/userinfo`,
    openidConfigurationUrl: `${suitetalk}/.well-known/openid-configuration`,
    suiteqlUrl: `${suitetalk}/services/rest/query/v1/suiteql`,
    governanceLimitsUrl: `${suitetalk}/services/rest/system/v1/governanceLimits`,
    recordUrl: (type, id) =>
      `${suitetalk}/services/rest/record/v1/${segment(type, 'record type')}` +
      (id === undefined ? '' : `/${segment(id, 'record id')}`),
    restletUrl: (scriptId, deployId) =>
      `${restlets}/app/site/hosting/restlet.nl?script=${segment(scriptId, 'scriptId')}&deploy=${segment(deployId, 'deployId')}`,
    certificatesUrl: (clientId) => `${restlets}${OAUTH_PATH}/clients/${segment(clientId, 'clientId')}/certificates`,
    certificateRevokeUrl: (clientId, certificateId) =>
      `${restlets}${OAUTH_PATH}/clients/${segment(clientId, 'clientId')}/certificates/${segment(certificateId, 'certificateId')}/revoke`,
  };
}
