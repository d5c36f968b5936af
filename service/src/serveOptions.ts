import type { Command } from 'commander';
import { ConfigurationError } from '../../client/src/errors';
import { parseBoundedInt } from '../../client/src/onboarding/cli/common';
import type { ApiOptions } from './api';
import { loadServiceTls, type ServiceTls } from './tls';

/**
 * `suitebridge serve` flags for HTTPS, the NetSuite proxy and the API (strings as commander gives them). Kept apart
 * from the command so it loads nothing heavy: every flag is checked before the store, Redis or a port is opened.
 */
export interface ServeHttpFlags {
  tlsCert?: string;
  tlsKey?: string;
  proxyAccountConcurrency?: string;
  proxyKeepFreePercent?: string;
  proxyMaxRetries?: string;
  proxyRetryBaseMs?: string;
  proxyRetryMaxDelayMs?: string;
  proxyMaxRetryAfterSeconds?: string;
  proxyTimeoutSeconds?: string;
  proxyTenantCacheMs?: string;
  maxBodyBytes?: string;
  rateLimitPerMinute?: string;
  /** Where tenants onboarded through /v1 reach NetSuite (the emulator); the operator's choice, never a caller's. */
  baseUrl?: string;
  dangerouslyAllowInsecureHttp?: boolean;
}

export interface ServeHttpOptions {
  api: Omit<ApiOptions, 'service' | 'keys'>;
  tls?: ServiceTls;
}

/** Bounds: [flag, min, max, unit]. */
const BOUNDS = {
  proxyAccountConcurrency: ['--proxy-account-concurrency', 1, 1000, 'requests'],
  proxyKeepFreePercent: ['--proxy-keep-free-percent', 0, 90, 'percent'],
  proxyMaxRetries: ['--proxy-max-retries', 0, 10, 'retries'],
  proxyRetryBaseMs: ['--proxy-retry-base-ms', 1, 60_000, 'milliseconds'],
  proxyRetryMaxDelayMs: ['--proxy-retry-max-delay-ms', 1, 300_000, 'milliseconds'],
  proxyMaxRetryAfterSeconds: ['--proxy-max-retry-after-seconds', 0, 600, 'seconds'],
  proxyTimeoutSeconds: ['--proxy-timeout-seconds', 1, 600, 'seconds'],
  proxyTenantCacheMs: ['--proxy-tenant-cache-ms', 0, 300_000, 'milliseconds'],
  maxBodyBytes: ['--max-body-bytes', 1024, 100 * 1024 * 1024, 'bytes'],
  rateLimitPerMinute: ['--rate-limit-per-minute', 1, 1_000_000, 'requests'],
} as const satisfies Record<string, readonly [string, number, number, string]>;

export function addServeHttpOptions(command: Command): Command {
  return command
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM, intermediates after it); needs --tls-key')
    .option('--tls-key <file>', 'private key (PEM, no passphrase) of --tls-cert')
    .option('--proxy-account-concurrency <n>', 'in-flight NetSuite requests per account through this replica, 1–1000 (default: the limit onboarding learned, else 5)')
    .option('--proxy-keep-free-percent <n>', 'share of a learned, shared account limit left to the customer\'s other integrations, 0–90 (default 0)')
    .option('--proxy-max-retries <n>', 'retries of over-limit and transient NetSuite answers, 0–10 (default 4)')
    .option('--proxy-retry-base-ms <n>', 'first retry delay, doubling each time, 1–60000 (default 500)')
    .option('--proxy-retry-max-delay-ms <n>', 'longest retry delay, 1–300000 (default 20000)')
    .option('--proxy-max-retry-after-seconds <n>', 'a longer Retry-After from NetSuite is passed back instead of waited for, 0–600 (default 60)')
    .option('--proxy-timeout-seconds <n>', 'per NetSuite request, 1–600 (default 120)')
    .option('--proxy-tenant-cache-ms <n>', 'reuse a tenant\'s record and token this long, 0–300000 (0: off; default 5000)')
    .option('--max-body-bytes <n>', 'largest request body the proxy forwards, 1024–104857600 (default 10485760, NetSuite\'s RESTlet limit)')
    .option('--rate-limit-per-minute <n>', 'requests per API key and minute unless the key sets its own, 1–1000000 (default 600)')
    .option('--base-url <url>', 'where tenants onboarded through /v1 reach NetSuite (an emulator); default: NetSuite itself')
    .option('--dangerously-allow-insecure-http', 'allow http:// for a loopback --base-url (local emulator only)');
}

/** Checks every flag (bounded numbers, both TLS files readable and matching); throws ConfigurationError (exit 2). */
export function serveHttpOptions(flags: ServeHttpFlags): ServeHttpOptions {
  const n = (name: keyof typeof BOUNDS): number | undefined => {
    const value = flags[name];
    if (value === undefined) return undefined;
    const [flag, min, max, unit] = BOUNDS[name];
    return parseBoundedInt(value, flag, min, max, unit);
  };
  const baseDelayMs = n('proxyRetryBaseMs');
  const maxDelayMs = n('proxyRetryMaxDelayMs');
  if (baseDelayMs !== undefined && maxDelayMs !== undefined && maxDelayMs < baseDelayMs) {
    throw new ConfigurationError('INVALID_ARGUMENT', `--proxy-retry-max-delay-ms (${maxDelayMs}) is below --proxy-retry-base-ms (${baseDelayMs}).`, {
      field: '--proxy-retry-max-delay-ms',
      remedy: 'Give a longest delay at least as long as the first one.',
    });
  }
  const maxRetries = n('proxyMaxRetries');
  const maxRetryAfter = n('proxyMaxRetryAfterSeconds');
  const retry = {
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(baseDelayMs !== undefined ? { baseDelayMs } : {}),
    ...(maxDelayMs !== undefined ? { maxDelayMs } : {}),
    ...(maxRetryAfter !== undefined ? { maxRetryAfterMs: maxRetryAfter * 1000 } : {}),
  };
  const accountConcurrency = n('proxyAccountConcurrency');
  const keepFree = n('proxyKeepFreePercent');
  const timeoutSeconds = n('proxyTimeoutSeconds');
  const tenantCacheMs = n('proxyTenantCacheMs');
  const bodyLimitBytes = n('maxBodyBytes');
  const rateLimitPerMinute = n('rateLimitPerMinute');
  const api: ServeHttpOptions['api'] = {
    proxy: {
      ...(accountConcurrency !== undefined ? { accountConcurrency } : {}),
      ...(keepFree !== undefined ? { keepFreeShare: keepFree / 100 } : {}),
      ...(Object.keys(retry).length > 0 ? { retry } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
      ...(tenantCacheMs !== undefined ? { tenantCacheMs } : {}),
    },
    ...(bodyLimitBytes !== undefined ? { bodyLimitBytes } : {}),
    ...(rateLimitPerMinute !== undefined ? { rateLimitPerMinute } : {}),
  };
  const onboarding = onboardingTarget(flags);
  if (onboarding) api.onboarding = onboarding;
  const tls = loadServiceTls({ ...(flags.tlsCert ? { certFile: flags.tlsCert } : {}), ...(flags.tlsKey ? { keyFile: flags.tlsKey } : {}) });
  return { api, ...(tls ? { tls } : {}) };
}

function onboardingTarget(flags: ServeHttpFlags): ApiOptions['onboarding'] {
  if (!flags.baseUrl) {
    if (flags.dangerouslyAllowInsecureHttp) {
      throw new ConfigurationError('INVALID_ARGUMENT', '--dangerously-allow-insecure-http needs --base-url.', { field: '--dangerously-allow-insecure-http', remedy: 'Pass --base-url http://127.0.0.1:<port> of the emulator, or drop the flag.' });
    }
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(flags.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigurationError('INVALID_ARGUMENT', `--base-url must be an absolute https:// URL, got "${flags.baseUrl.slice(0, 80)}".`, { field: '--base-url', remedy: 'Pass the origin, e.g. --base-url https://netsuite-proxy.example.com.' });
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !(flags.dangerouslyAllowInsecureHttp && loopback)) {
    throw new ConfigurationError('INSECURE_URL', `--base-url ${url.origin} is plain http.`, { field: '--base-url', remedy: 'Use https://, or for a local emulator on loopback add --dangerously-allow-insecure-http.' });
  }
  return { baseUrl: url.origin, ...(flags.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}) };
}
