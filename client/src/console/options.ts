import { ConfigurationError } from '../errors';
import type { TokenStore } from '../store/types';
import type { ConsoleBackend } from './backend';
import type { ConsoleOrchestrator, ConsoleTenantSettings } from './orchestratorBackend';
import type { Clock } from './session';

/**
 * What the console sets every new tenant up with. `baseUrl` (from the tenant settings) is the emulator or a custom
 * domain, e.g. http://127.0.0.1:4010.
 */
export interface ConsoleOnboardingOptions extends ConsoleTenantSettings {
  /** Fixed NetSuite account; when absent the connect page asks for it. */
  accountId?: string;
  /** Integration record used for the authorization-code grant (step 1). */
  authClientId: string;
  authClientSecret?: string;
  /** Integration record for client credentials (steps 3+); default: the same record. */
  ccClientId?: string;
  ccClientSecret?: string;
}

export interface ConsoleOptions {
  /** Default 3030, the port of the redirect URI registered on the integration record. 0 = random (tests). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Token store shared with the CLI; or `storePath` for an encrypted SQLite file the console opens and closes. */
  store?: TokenStore;
  storePath?: string;
  storeSecretKey?: Buffer;
  onboarding: ConsoleOnboardingOptions;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Serve over https (the session cookie then gets `Secure`). */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** An orchestrator already built by the caller (CLI); default: one on `store`. */
  orchestrator?: ConsoleOrchestrator;
  /** Test seam: replaces the orchestrator adapter entirely. */
  backend?: ConsoleBackend;
  /** Redacted lines for the operator's terminal. */
  log?: (line: string) => void;
}

function invalid(field: string, message: string, remedy: string): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', message, { field, remedy });
}

export function validateConsoleOptions(options: ConsoleOptions): void {
  const port = options.port ?? 3030;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid('port', `Console port ${String(options.port)} is not a TCP port.`, 'Use a whole number from 1 to 65535 (default 3030, the port in the registered redirect URI).');
  }
  const host = options.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw invalid('host', `The console must listen on loopback, not ${host}.`, 'Leave host unset (127.0.0.1); the console holds onboarding state and must not be reachable from the network.');
  }
  if (!options.backend && !options.orchestrator && !options.store && !options.storePath) {
    throw invalid('store', 'The console needs a token store to keep tenants in.', 'Pass `store` (a TokenStore) or `storePath` (an SQLite file, e.g. .suitebridge/tokens.db).');
  }
  const baseUrl = options.onboarding?.baseUrl;
  if (baseUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(baseUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw invalid('onboarding.baseUrl', `Base URL ${JSON.stringify(baseUrl)} is not an http(s) URL.`, 'Use the emulator address (e.g. http://127.0.0.1:4010) or your custom domain, or leave it unset for NetSuite.');
    }
    if (parsed.protocol === 'http:' && !options.onboarding.dangerouslyAllowInsecureHttp) {
      throw invalid('onboarding.baseUrl', `Base URL ${parsed.origin} uses plain http.`, 'Use https, or pass dangerouslyAllowInsecureHttp for the local emulator only.');
    }
  }
  if (!options.backend && (typeof options.onboarding?.authClientId !== 'string' || options.onboarding.authClientId.trim() === '')) {
    throw invalid('onboarding.authClientId', 'The console needs the client ID of the integration record used for consent.', 'Pass --client-id (the Client ID shown when the integration record was saved).');
  }
}
