import { GovernanceClient } from '../resources/governance';
import { resolveEndpoints, type TransportOptions } from '../account';
import { AuthorizationCodeClient } from '../authcode';
import type { PendingAuthorization as ClientPending, PendingAuthorizationStore } from '../authcodePending';
import { CertificateApi, generateCertificate } from '../certificates';
import { ClientCredentialsClient } from '../clientCredentials';
import type { Clock } from '../clock';
import { NetSuiteHttp } from '../http/netsuiteHttp';
import { notify, type ClientObserver } from '../http/observer';
import { RestletClient, SuiteQLClient, staticTokenProvider } from '../resources';
import type { TokenSet } from '../tokens/types';
import type { OnboardingServices, OnboardingServicesFactory } from './services';
import { PENDING_TTL_MS } from './steps/authorize';
import type { PendingAuthorization, ResolvedSettings, StoredTokens } from './types';

function stored(tokens: TokenSet): StoredTokens {
  const out: StoredTokens = { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt, scopes: [...tokens.scopes] };
  if (tokens.refreshToken) out.refreshToken = tokens.refreshToken;
  return out;
}

/** Catches what AuthorizationCodeClient.start() remembers, so the orchestrator can persist it in the tenant record. */
class CapturingPendingStore implements PendingAuthorizationStore {
  entry: ClientPending | undefined;
  async put(_state: string, entry: ClientPending): Promise<void> {
    this.entry = entry;
  }
  async take(): Promise<ClientPending | undefined> {
    return undefined;
  }
}

/** Hands the persisted pending authorization back to AuthorizationCodeClient.handleCallback(), once. */
class PersistedPendingStore implements PendingAuthorizationStore {
  private entry: ClientPending | undefined;
  constructor(
    private readonly state: string,
    entry: ClientPending,
  ) {
    this.entry = entry;
  }
  async put(): Promise<void> {
    throw new Error('PersistedPendingStore is read-only');
  }
  async take(state: string): Promise<ClientPending | undefined> {
    if (state !== this.state) return undefined;
    const entry = this.entry;
    this.entry = undefined;
    return entry;
  }
}

/** The real client library behind the orchestrator's service seam. */
export function realServicesFactory(o: { fetch?: typeof fetch | undefined; clock: Clock; observer?: ClientObserver }): OnboardingServicesFactory {
  return (settings: ResolvedSettings): OnboardingServices => {
    const transport: TransportOptions = { clock: o.clock };
    if (settings.baseUrl) transport.baseUrl = settings.baseUrl;
    if (settings.dangerouslyAllowInsecureHttp) transport.dangerouslyAllowInsecureHttp = true;
    if (o.fetch) transport.fetch = o.fetch;
    const endpoints = resolveEndpoints(settings.accountId, transport);
    const http = new NetSuiteHttp({ accountId: settings.accountId, ...transport, ...(o.observer ? { observer: o.observer } : {}) });
    const authClient = (pending?: PendingAuthorizationStore): AuthorizationCodeClient =>
      new AuthorizationCodeClient({
        ...transport,
        accountId: settings.accountId,
        clientId: settings.authClient.clientId,
        ...(settings.authClient.clientSecret ? { clientSecret: settings.authClient.clientSecret } : {}),
        redirectUri: settings.redirectUri,
        scopes: settings.scopes,
        ...(pending ? { pending } : {}),
      });
    const resourceOptions = (token: string) => ({ endpoints, http, auth: staticTokenProvider(token) });

    return {
      authorization: {
        async start() {
          const capture = new CapturingPendingStore();
          const { url, state } = await authClient(capture).start();
          if (!capture.entry) throw new Error('AuthorizationCodeClient.start() stored no PKCE verifier');
          return { url, state, codeVerifier: capture.entry.codeVerifier };
        },
        async complete(callbackUrl: string, pending: PendingAuthorization) {
          const entry: ClientPending = {
            accountId: settings.accountId,
            clientId: settings.authClient.clientId,
            redirectUri: settings.redirectUri,
            codeVerifier: pending.codeVerifier,
            scopes: [...settings.scopes],
            createdAt: pending.createdAt,
            expiresAt: pending.createdAt + PENDING_TTL_MS,
          };
          const result = await authClient(new PersistedPendingStore(pending.state, entry)).handleCallback(callbackUrl);
          return { tokens: stored(result.tokens), entity: result.entity, role: result.role, company: result.company };
        },
        refresh: async (refreshToken: string) => stored(await authClient().refresh(refreshToken)),
        revoke: (token: string) => authClient().revoke(token),
      },
      restlet: (token) => new RestletClient(resourceOptions(token)),
      certificates: (token) => new CertificateApi({ endpoints, clientId: settings.ccClient.clientId, http, auth: staticTokenProvider(token) }),
      generateCertificate: (g) => generateCertificate({ keyType: g.keyType, commonName: g.commonName, validityDays: g.validityDays, clock: o.clock }),
      async clientCredentialsToken({ certificateId, privateKeyPem }) {
        const client = new ClientCredentialsClient({
          ...transport,
          accountId: settings.accountId,
          clientId: settings.ccClient.clientId,
          certificateId,
          privateKey: privateKeyPem,
          scopes: settings.scopes,
          // Only the claims Oracle documents for the assertion (iss, scope, aud, exp, iat): an extra `sub` is refused by a strict server.
          includeSubject: false,
          tokenRetry: { onRetry: (e) => notify(o.observer, 'retry', { url: endpoints.tokenUrl, method: 'POST', attempt: e.attempt, reason: e.reason, delayMs: e.delayMs }) },
        });
        return stored(await client.requestToken());
      },
      suiteql: (token, sql, params) => new SuiteQLClient(resourceOptions(token)).all(sql, params ? { params } : {}),
      governanceLimits: (token) => new GovernanceClient(resourceOptions(token)).limits(),
    };
  };
}
