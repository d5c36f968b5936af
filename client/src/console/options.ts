import { ConfigurationError } from '../errors';
import type { TokenStore } from '../store/types';
import type { ConsoleBackend } from './backend';
import type { ConsoleFleet } from './fleet';
import type { ConsoleOrchestrator, ConsoleTenantSettings } from './orchestratorBackend';
import type { Clock } from './session';

/**
 * What the console sets every new tenant up with. `baseUrl` (from the tenant settings) is the emulator or a custom
 * domain, e.g. http://127.0.0.1:4010.
 */
export interface ConsoleOnboardingOptions extends ConsoleTenantSettings {
  /** The public integration record used for the customer's consent (authorization code + PKCE). */
  authClientId: string;
  /** Only for a confidential consent record (the single-record set-up). */
  authClientSecret?: string;
  /** The confidential integration record with the client credentials (M2M) grant; the certificate is mapped to it. */
  ccClientId?: string;
  ccClientSecret?: string;
}

/** The operator credential: a password (hashed at start, then forgotten) or a hash from `hashOperatorPassword`. */
export interface ConsoleOperatorOptions {
  password?: string;
  passwordHash?: string;
}

export interface ConsoleOptions {
  /** Default 3030, the port of the redirect URI registered on the integration record. 0 = random (tests). */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1; another address only with your own certificate (`https`). */
  host?: string;
  /** Token store shared with the CLI; or `storePath` for an encrypted SQLite file the console opens and closes. */
  store?: TokenStore;
  storePath?: string;
  storeSecretKey?: Buffer;
  onboarding: ConsoleOnboardingOptions;
  operator: ConsoleOperatorOptions;
  fetch?: typeof fetch;
  clock?: Clock;
  /**
   * Your own certificate and key (PEM). Without it the console makes a throwaway self-signed certificate for
   * 127.0.0.1/localhost at start and reports its SHA-256 fingerprint.
   */
  https?: { key: string | Buffer; cert: string | Buffer };
  /**
   * The https URL browsers use, when it is not `https://127.0.0.1:<port>`: your own certificate's host name, or the
   * address of the TLS-terminating proxy. Onboarding links and the redirect URI start with it.
   */
  publicUrl?: string;
  /**
   * Serve plain http on loopback for a TLS-terminating reverse proxy in front (requires `publicUrl`). The proxy must
   * pass the original Host header. Cookies stay `__Host-`/Secure because browsers see https.
   */
  behindTlsProxy?: boolean;
  /** An orchestrator already built by the caller (CLI); default: one on `store`. */
  orchestrator?: ConsoleOrchestrator;
  /** Test seam: replaces the orchestrator adapter entirely. */
  backend?: ConsoleBackend;
  /** Redacted lines for the operator's terminal. */
  log?: (line: string) => void;
  /**
   * Connection statuses, Repair and webhook deliveries on the tenant pages, from the SuiteBridge service
   * (`ServiceConsoleFleet` in service/src/consoleFleet.ts), or a function that makes one on the console's store.
   * Without it the tenant list shows onboarding records only, every status unknown.
   */
  fleet?: ConsoleFleet | ((deps: ConsoleFleetDeps) => ConsoleFleet);
}

export interface ConsoleFleetDeps {
  store: TokenStore;
  clock: Clock;
  fetch?: typeof fetch;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '::1'];

function invalid(field: string, message: string, remedy: string): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', message, { field, remedy });
}

function parsePublicUrl(value: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:' || parsed.pathname !== '/' || parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw invalid(
      'publicUrl',
      `Public URL ${JSON.stringify(value)} is not an https origin.`,
      'Give the https address browsers open, with no path, e.g. https://console.example.com (NetSuite accepts only https redirect URIs).',
    );
  }
  return parsed;
}

export function validateConsoleOptions(options: ConsoleOptions): void {
  const port = options.port ?? 3030;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalid('port', `Console port ${String(options.port)} is not a TCP port.`, 'Use a whole number from 1 to 65535 (default 3030, the port in the registered redirect URI).');
  }
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host) && !options.https) {
    throw invalid(
      'host',
      `The console listens on ${host} only with your own certificate.`,
      'Leave host unset (127.0.0.1), or pass your certificate and key (--tls-cert/--tls-key) and the public URL browsers use.',
    );
  }
  if (!LOOPBACK.includes(host) && !options.publicUrl) {
    throw invalid('publicUrl', `Listening on ${host}, the console needs the https URL browsers use.`, 'Pass --public-url https://<the host name in your certificate>[:port].');
  }
  if (options.behindTlsProxy) {
    if (options.https) throw invalid('behindTlsProxy', 'A certificate and the TLS-proxy mode were both given.', 'Use one: your certificate, or plain http behind a TLS-terminating proxy.');
    if (!LOOPBACK.includes(host)) throw invalid('host', 'Behind a TLS proxy the console listens on loopback only.', 'Leave host unset and run the proxy on the same machine.');
    if (!options.publicUrl) throw invalid('publicUrl', 'Behind a TLS proxy the console needs the https URL browsers use.', 'Pass --public-url https://<the proxy\'s host name>.');
  }
  if (options.publicUrl !== undefined) parsePublicUrl(options.publicUrl);
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
  if (!options.backend && !options.onboarding.singleRecord && !options.onboarding.ccClientId) {
    throw invalid(
      'onboarding.ccClientId',
      'The console needs the client ID of the confidential client-credentials (M2M) integration record.',
      'Pass --cc-client-id with the Client ID of the record that has Client Credentials (Machine to Machine) Grant checked (Oracle does not allow that grant on the public consent record), or --single-record for one confidential record with both grants.',
    );
  }
}
