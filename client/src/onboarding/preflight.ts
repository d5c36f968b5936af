import { resolveEndpoints, type EndpointOptions } from '../account';
import { ConfigurationError, ErrorCode, TransportError } from '../errors';
import { defaultFetch } from '../http/transport';

/**
 * Checks `onboard` runs before it waits for anyone (a consent can take up to --timeout-minutes): scopes NetSuite
 * does not know, and account hosts that cannot be reached (wrong account ID, emulator not running, no network).
 * The client ID is not probed: NetSuite documents no request that tells a known client ID from an unknown one
 * without a failed login in the customer's Login Audit Trail; a wrong one shows on the consent page.
 */

/** The scopes an integration record can enable (restlets, REST web services, SuiteAnalytics Connect, MCP, OpenID). */
export const NETSUITE_SCOPES: readonly string[] = ['restlets', 'rest_webservices', 'suite_analytics', 'mcp', 'openid', 'email'];

export function checkKnownScopes(scopes: readonly string[]): void {
  const unknown = scopes.filter((scope) => !NETSUITE_SCOPES.includes(scope));
  if (unknown.length === 0) return;
  throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: NetSuite's scopes are ${NETSUITE_SCOPES.join(', ')}.`, {
    field: '--scopes',
    remedy: 'Pass the scopes checked on the integration record, comma-separated, e.g. --scopes restlets,rest_webservices.',
  });
}

export interface HostProbeOptions {
  fetch?: typeof fetch;
  /** Per host. Default 10 000 ms. */
  timeoutMs?: number;
}

function causeCode(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return err instanceof Error ? err.name : 'error';
}

/**
 * One GET per distinct account host (app, suitetalk, restlets). Any HTTP answer counts as reachable; only a
 * connection failure or a timeout stops onboarding, with the host and the likely fix.
 */
export async function probeAccountHosts(accountId: string, endpointOptions: EndpointOptions, o: HostProbeOptions = {}): Promise<void> {
  const { origins } = resolveEndpoints(accountId, endpointOptions);
  const fetchImpl = o.fetch ?? defaultFetch;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const loopback = endpointOptions.baseUrl !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/i.test(endpointOptions.baseUrl);
  for (const origin of [...new Set([origins.app, origins.suitetalk, origins.restlets])]) {
    try {
      const response = await fetchImpl(`${origin}/`, { method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
    } catch (err) {
      const code = causeCode(err);
      const timedOut = code === 'TimeoutError' || code === 'ABORT_ERR' || code === 'UND_ERR_CONNECT_TIMEOUT';
      const remedy = loopback
        ? `Start the emulator (npx suitebridge emulator, or npm run emulator in the repository) or fix --base-url ${endpointOptions.baseUrl}.`
        : code === 'ENOTFOUND'
          ? `Check --account ${accountId}: it is the Account ID under Setup > Company > Company Information (sandboxes end in _SB1, shown as -sb1 in hostnames).`
          : 'Check the network, proxy and firewall between this machine and NetSuite, then run the same command again.';
      throw new TransportError(timedOut ? ErrorCode.TIMEOUT : ErrorCode.NETWORK_ERROR, `Cannot reach ${new URL(origin).host} (${timedOut ? `no answer within ${timeoutMs} ms` : code}); onboarding stopped before waiting for anyone.`, { remedy, cause: err });
    }
  }
}
