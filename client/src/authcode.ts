import * as oauth from 'oauth4webapi';
import { normalizeAccountId, resolveEndpoints, type NetSuiteEndpoints, type TransportOptions } from './account';
import { DEFAULT_PENDING_TTL_MS, MemoryPendingAuthorizationStore, type PendingAuthorizationStore } from './authcodePending';
import { systemClock, type Clock } from './clock';
import { AuthorizationError, ConfigurationError, ErrorCode } from './errors';
import { defaultFetch } from './http/transport';
import { redact } from './redact';
import { requireOptions, requireText } from './requireOptions';
import { postTokenForm, requestTokens, type TokenEndpointCall } from './tokens/tokenEndpoint';
import { resolveTokenRetry, type ResolvedTokenRetry, type TokenRetryOptions } from './tokens/tokenRetry';
import type { TokenSet } from './tokens/types';
import { validateScopes } from './tokens/scopes';

export type { PendingAuthorization, PendingAuthorizationStore } from './authcodePending';

export interface AuthorizationCodeClientOptions extends TransportOptions {
  accountId: string;
  clientId: string;
  /** Confidential clients only. Public clients (PKCE only) leave it out. */
  clientSecret?: string;
  /** Must equal the integration record's redirect URI exactly. */
  redirectUri: string;
  scopes: string[];
  /** Default: in memory, entries expire after `pendingTtlMs`. */
  pending?: PendingAuthorizationStore;
  pendingTtlMs?: number;
  /** Retries of token, refresh and revoke requests (429, 502, 503, 504, resets, cut bodies). */
  tokenRetry?: TokenRetryOptions;
}

export type AuthorizationPrompt = 'none' | 'login' | 'consent' | 'login consent' | 'consent login';
const PROMPTS: ReadonlySet<string> = new Set(['none', 'login', 'consent', 'login consent', 'consent login']);

export interface AuthorizationCallbackResult {
  tokens: TokenSet;
  /** Internal ID of the role the user chose on the consent screen. */
  role: number;
  /** Internal ID of the user (employee) who authorized. */
  entity: number;
  /** Account ID the user logged into, as NetSuite sent it. */
  company: string;
}

/** Authorization code grant with PKCE (S256) against one NetSuite account. */
export class AuthorizationCodeClient {
  readonly accountId: string;
  readonly clientId: string;
  readonly endpoints: NetSuiteEndpoints;
  readonly scopes: readonly string[];
  private readonly clientSecret: string | undefined;
  private readonly redirectUri: string;
  private readonly pending: PendingAuthorizationStore;
  private readonly pendingTtlMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly clock: Clock;
  private readonly timeoutMs: number | undefined;
  private readonly retry: ResolvedTokenRetry;

  constructor(options: AuthorizationCodeClientOptions) {
    requireOptions(options, 'new AuthorizationCodeClient');
    this.accountId = normalizeAccountId(options.accountId);
    this.endpoints = resolveEndpoints(this.accountId, options);
    this.clientId = requireText(options.clientId, 'clientId');
    if (options.clientSecret !== undefined) requireText(options.clientSecret, 'clientSecret');
    this.clientSecret = options.clientSecret;
    this.redirectUri = checkRedirectUri(options.redirectUri);
    this.scopes = validateScopes(options.scopes);
    this.clock = options.clock ?? systemClock;
    this.pending = options.pending ?? new MemoryPendingAuthorizationStore(this.clock);
    this.pendingTtlMs = options.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS;
    this.fetchImpl = options.fetch ?? defaultFetch;
    this.timeoutMs = options.timeoutMs;
    this.retry = resolveTokenRetry(options.tokenRetry);
  }

  /** True when no client secret is configured: client_id goes in the body and refresh tokens rotate. */
  get isPublicClient(): boolean {
    return this.clientSecret === undefined;
  }

  /** Builds the authorize.nl URL and remembers the PKCE verifier under a fresh random state. */
  async start(options: { prompt?: AuthorizationPrompt | string } = {}): Promise<{ url: string; state: string }> {
    if (options.prompt !== undefined && !PROMPTS.has(options.prompt)) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `prompt must be one of ${[...PROMPTS].join(', ')}.`, {
        field: 'prompt',
      });
    }
    const state = oauth.generateRandomState(); // 32 random bytes → 43 base64url characters
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
    const now = this.clock.now();
    await this.pending.put(state, {
      accountId: this.accountId,
      clientId: this.clientId,
      redirectUri: this.redirectUri,
      codeVerifier,
      scopes: [...this.scopes],
      createdAt: now,
      expiresAt: now + this.pendingTtlMs,
    });
    const url = new URL(this.endpoints.authorizeUrl);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.clientId);
    url.searchParams.set('redirect_uri', this.redirectUri);
    url.searchParams.set('scope', this.scopes.join(' '));
    url.searchParams.set('state', state);
    url.searchParams.set('code_challenge', codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    if (options.prompt !== undefined) url.searchParams.set('prompt', options.prompt);
    return { url: url.toString(), state };
  }

  /** Checks state (single use), turns `error=` into AuthorizationError, exchanges the code. */
  async handleCallback(callbackUrl: string | URL): Promise<AuthorizationCallbackResult> {
    const params = callbackParams(callbackUrl, this.redirectUri);
    const state = params.get('state');
    const pending = state ? await this.pending.take(state) : undefined;
    const error = params.get('error');
    if (error !== null) throw callbackError(error, params.get('error_description'));
    if (!pending || pending.accountId !== this.accountId || pending.clientId !== this.clientId) {
      throw new AuthorizationError(
        ErrorCode.STATE_MISMATCH,
        state
          ? 'The callback state is unknown, expired or already used.'
          : 'The callback has no state parameter.',
        { remedy: 'Start the authorization again from this application; each link works once and for a limited time.' },
      );
    }
    const code = params.get('code');
    if (!code) {
      throw new AuthorizationError(ErrorCode.AUTHORIZATION_FAILED, 'The callback carries neither code nor error.', {
        remedy: 'Pass the full callback URL, including its query string.',
      });
    }
    const identity = readIdentity(params);
    const tokens = await requestTokens(
      this.tokenCall('authorization_code', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.codeVerifier,
      }),
      pending.scopes,
    );
    return { tokens, ...identity };
  }

  /**
   * Exchanges a refresh token. Public clients get a new refresh token each time; the old one is then dead.
   * Only failures where NetSuite cannot have rotated (429, 503, connection refused) are retried here; after a
   * 502/504, reset, timeout or cut body the error carries isOutcomeUnknown() and TokenManager decides.
   */
  async refresh(refreshToken: string): Promise<TokenSet> {
    requireText(refreshToken, 'refreshToken');
    const call = this.tokenCall('refresh_token', { grant_type: 'refresh_token', refresh_token: refreshToken });
    call.retryWhenOutcomeUnknown = false;
    return requestTokens(call, this.scopes);
  }

  /** Revokes a refresh token (and every access token issued from it). */
  async revoke(token: string): Promise<void> {
    requireText(token, 'token');
    const call = this.tokenCall('revoke', { token });
    call.url = this.endpoints.revokeUrl;
    await postTokenForm(call);
  }

  private tokenCall(grant: TokenEndpointCall['grant'], form: Record<string, string>): TokenEndpointCall {
    const call: TokenEndpointCall = {
      fetch: this.fetchImpl,
      clock: this.clock,
      url: this.endpoints.tokenUrl,
      grant,
      form: this.clientSecret === undefined ? { ...form, client_id: this.clientId } : form,
      retry: this.retry,
      ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
    };
    if (this.clientSecret !== undefined) call.basicAuth = { clientId: this.clientId, clientSecret: this.clientSecret };
    return call;
  }
}


function checkRedirectUri(raw: string): string {
  requireText(raw, 'redirectUri');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'redirectUri is not an absolute URL.', {
      field: 'redirectUri',
      remedy: 'Use the redirect URI exactly as entered on the integration record.',
    });
  }
  // Oracle: "The http:// scheme isn't supported" for redirect URIs, loopback included (RFC 8252 notwithstanding).
  if (url.protocol === 'http:') {
    throw new ConfigurationError(ErrorCode.INSECURE_URL, `redirectUri ${url.origin}${url.pathname} uses http://, which NetSuite refuses on an integration record.`, {
      field: 'redirectUri',
      remedy:
        'Register an https:// redirect URI (for a local callback, https://127.0.0.1:<port>/callback served with a throwaway ' +
        'certificate from generateLoopbackCertificate()) or a custom scheme such as myapp://callback.',
    });
  }
  return raw;
}

function callbackError(error: string, description: string | null): AuthorizationError {
  const safeError = redact(error).slice(0, 64);
  const safeDescription = description === null ? undefined : redact(description).slice(0, 300);
  const details = { error: safeError, ...(safeDescription !== undefined ? { errorDescription: safeDescription } : {}) };
  if (error === 'access_denied') {
    return new AuthorizationError(ErrorCode.AUTHORIZATION_DENIED, 'The user denied access on the NetSuite consent screen.', {
      ...details,
      remedy: 'Ask the user to authorize again and choose Allow, with a role that has "Log in using OAuth 2.0 Access Tokens".',
    });
  }
  return new AuthorizationError(
    ErrorCode.AUTHORIZATION_FAILED,
    `NetSuite refused the authorization: ${safeError}${safeDescription ? ` (${safeDescription})` : ''}.`,
    { ...details, remedy: callbackRemedy(error) },
  );
}

function callbackRemedy(error: string): string {
  switch (error) {
    case 'invalid_scope':
      return 'Request only scopes enabled on the integration record; mcp must be requested alone.';
    case 'invalid_request':
      return 'Check redirect_uri (exact match with the integration record), state length (22-1024) and PKCE parameters.';
    case 'unauthorized_client':
      return 'Check the client ID and that the integration record is enabled and allows the authorization code grant.';
    case 'login_required':
    case 'consent_required':
    case 'interaction_required':
      return 'prompt=none needs an existing session and consent; start again without prompt=none.';
    default:
      return 'Start the authorization again; if it repeats, check the Login Audit Trail.';
  }
}

function callbackParams(callbackUrl: string | URL, redirectUri: string): URLSearchParams {
  try {
    return new URL(String(callbackUrl), redirectUri).searchParams;
  } catch {
    // Not echoed: a callback URL carries the authorization code.
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'The callback URL is not a URL.', {
      field: 'callbackUrl',
      remedy: 'Pass the full address the browser was redirected to, with its code and state parameters.',
    });
  }
}

const INTEGER = /^-?[0-9]{1,12}$/;

function readIdentity(params: URLSearchParams): { role: number; entity: number; company: string } {
  const role = params.get('role') ?? '';
  const entity = params.get('entity') ?? '';
  const company = params.get('company') ?? '';
  if (!INTEGER.test(role) || !INTEGER.test(entity) || company === '') {
    throw new AuthorizationError(
      ErrorCode.AUTHORIZATION_FAILED,
      'The callback lacks NetSuite\'s role, entity or company parameters.',
      { remedy: 'Pass the full callback URL exactly as NetSuite redirected to it.' },
    );
  }
  return { role: Number(role), entity: Number(entity), company };
}
