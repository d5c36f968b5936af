import { randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { checkBaseUrl, normalizeAccountId, resolveEndpoints, type NetSuiteEndpoints, type TransportOptions } from './account';
import { systemClock, type Clock } from './clock';
import { loadAssertionKey, type AssertionSigningKey, type PrivateKeyInput, type RsaAssertionAlgorithm } from './clientCredentialsKey';
import { ConfigurationError, ErrorCode, TokenEndpointError } from './errors';
import { defaultFetch } from './http/transport';
import { requireOptions, requireText } from './requireOptions';
import { ClockOffset, type ClockOffsetOptions } from './tokens/clockOffset';
import { requestTokens } from './tokens/tokenEndpoint';
import { resolveTokenRetry, type ResolvedTokenRetry, type TokenRetryOptions } from './tokens/tokenRetry';
import { validateScopes } from './tokens/scopes';
import type { TokenSet } from './tokens/types';

export type { AssertionAlgorithm, PrivateKeyInput, RsaAssertionAlgorithm } from './clientCredentialsKey';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const DEFAULT_ASSERTION_LIFETIME_SECONDS = 300;
/** NetSuite requires exp - iat to be strictly below one hour. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 3599;

export interface ClientAssertionOptions {
  clientId: string;
  /** NetSuite's Certificate ID from the M2M setup page (goes into the `kid` header). */
  certificateId: string;
  /** PEM text (PKCS#8, PKCS#1 or SEC1), a KeyObject, or a private CryptoKey. */
  privateKey: PrivateKeyInput;
  /** The exact token URL. */
  audience: string;
  scopes: string[];
  /**
   * Add `sub` (= client ID), as RFC 7523 asks. Default false: Oracle's claim list has no `sub` and no working NetSuite
   * client sends one (UNCERTAIN whether NetSuite ignores or refuses it; the emulator refuses it by default).
   */
  includeSubject?: boolean;
  /** Default 300; must be below 3600. */
  lifetimeSeconds?: number;
  /** RSA keys only: PS256 (default), PS384 or PS512. */
  algorithm?: RsaAssertionAlgorithm;
  clock?: Clock;
}

function checkLifetime(lifetime: number): number {
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw new ConfigurationError(
      ErrorCode.INVALID_ARGUMENT,
      `lifetimeSeconds must be a whole number from 1 to ${MAX_ASSERTION_LIFETIME_SECONDS}: NetSuite rejects assertions whose exp - iat is 3600 s or more.`,
      { field: 'lifetimeSeconds', remedy: `Leave it at the default (${DEFAULT_ASSERTION_LIFETIME_SECONDS}).` },
    );
  }
  return lifetime;
}


interface AssertionClaims {
  clientId: string;
  certificateId: string;
  audience: string;
  scopes: string[];
  includeSubject: boolean;
  lifetimeSeconds: number;
  clock: Clock;
}

async function signAssertion(key: AssertionSigningKey, claims: AssertionClaims): Promise<string> {
  const iat = Math.floor(claims.clock.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: claims.clientId,
    ...(claims.includeSubject ? { sub: claims.clientId } : {}),
    aud: claims.audience,
    scope: claims.scopes,
    iat,
    exp: iat + claims.lifetimeSeconds,
    jti: randomUUID(),
  };
  const header = { alg: key.alg, typ: 'JWT', kid: claims.certificateId };
  if (key.cryptoKey) return new SignJWT(payload).setProtectedHeader(header).sign(key.cryptoKey);
  const signingInput = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${signingInput}.${key.signCompact!(signingInput)}`;
}

/** A signed client assertion for NetSuite's client credentials grant (typ JWT, kid = certificate ID, never RS256). */
export async function createClientAssertion(options: ClientAssertionOptions): Promise<string> {
  requireOptions(options, 'createClientAssertion');
  const claims = assertionClaims(options);
  const key = await loadAssertionKey(options.privateKey, options.algorithm);
  return signAssertion(key, claims);
}

function assertionClaims(options: Omit<ClientAssertionOptions, 'privateKey'>): AssertionClaims {
  return {
    clientId: requireText(options.clientId, 'clientId'),
    certificateId: requireText(options.certificateId, 'certificateId'),
    audience: requireText(options.audience, 'audience'),
    scopes: validateScopes(options.scopes),
    includeSubject: options.includeSubject ?? false,
    lifetimeSeconds: checkLifetime(options.lifetimeSeconds ?? DEFAULT_ASSERTION_LIFETIME_SECONDS),
    clock: options.clock ?? systemClock,
  };
}

export interface ClientCredentialsClientOptions extends TransportOptions, ClockOffsetOptions {
  accountId: string;
  clientId: string;
  certificateId: string;
  privateKey: string | CryptoKey | KeyObject;
  scopes: string[];
  includeSubject?: boolean;
  algorithm?: RsaAssertionAlgorithm;
  assertionLifetimeSeconds?: number;
  /** Any standards-conformant token endpoint; also used as `aud`. Default: the account's NetSuite token URL. */
  tokenUrl?: string;
  /** Retries of token requests (429, 502, 503, 504, resets, cut bodies); each retry signs a fresh assertion. */
  tokenRetry?: TokenRetryOptions;
}

/** The resolution of NetSuite's Date header: smaller clock corrections are measurement noise. */
const CLOCK_CORRECTION_MIN_MS = 1000;

/** Client credentials (M2M) grant: a fresh signed assertion per request, no refresh token. */
export class ClientCredentialsClient {
  readonly accountId: string;
  readonly clientId: string;
  readonly certificateId: string;
  readonly scopes: readonly string[];
  readonly endpoints: NetSuiteEndpoints;
  readonly tokenUrl: string;
  private readonly claims: AssertionClaims;
  private keyLoaded: Promise<AssertionSigningKey> | undefined;
  private readonly keyInput: { privateKey: ClientCredentialsClientOptions['privateKey']; algorithm: RsaAssertionAlgorithm | undefined };
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number | undefined;
  private readonly localClock: Clock;
  private readonly offset: ClockOffset;
  private readonly retry: ResolvedTokenRetry;

  constructor(options: ClientCredentialsClientOptions) {
    requireOptions(options, 'new ClientCredentialsClient');
    this.accountId = normalizeAccountId(options.accountId);
    this.endpoints = resolveEndpoints(this.accountId, options);
    this.tokenUrl =
      options.tokenUrl === undefined ? this.endpoints.tokenUrl : checkBaseUrl(options.tokenUrl, options.dangerouslyAllowInsecureHttp, 'tokenUrl');
    this.localClock = options.clock ?? systemClock;
    this.offset = new ClockOffset(this.localClock, options);
    this.retry = resolveTokenRetry(options.tokenRetry);
    this.claims = assertionClaims({
      clientId: options.clientId,
      certificateId: options.certificateId,
      audience: this.tokenUrl,
      scopes: options.scopes,
      ...(options.includeSubject !== undefined ? { includeSubject: options.includeSubject } : {}),
      ...(options.assertionLifetimeSeconds !== undefined ? { lifetimeSeconds: options.assertionLifetimeSeconds } : {}),
      // iat/exp follow NetSuite's clock: the local one plus the measured (or configured) offset.
      clock: this.offset,
    });
    this.clientId = this.claims.clientId;
    this.certificateId = this.claims.certificateId;
    this.scopes = this.claims.scopes;
    // Parsed on first use, not here: building clients for 1,000 tenants must not block the event loop on PEM parsing.
    this.keyInput = { privateKey: options.privateKey, algorithm: options.algorithm };
    this.fetchImpl = options.fetch ?? defaultFetch;
    this.timeoutMs = options.timeoutMs;
  }

  /** The signed assertion the next token request would send (for `suitebridge token --decode` and debugging). */
  async createAssertion(): Promise<string> {
    this.keyLoaded ??= loadAssertionKey(this.keyInput.privateKey, this.keyInput.algorithm);
    return signAssertion(await this.keyLoaded, this.claims);
  }

  /** Milliseconds added to the local clock for assertion times (measured from NetSuite's Date header). */
  get clockOffsetMs(): number {
    return this.offset.offsetMs;
  }

  /**
   * Requests a token with a fresh assertion per attempt. When NetSuite refuses it and its Date header shows the
   * local clock is off by more than the offset used to sign, one more request is made with corrected times.
   */
  async requestToken(): Promise<TokenSet> {
    const signedWith = this.offset.offsetMs;
    try {
      return await this.sendTokenRequest();
    } catch (err) {
      // A clock off enough to put iat in NetSuite's future (or exp in its past) moves the offset by a second or more;
      // smaller moves are the Date header's rounding, and re-sending for them would only double each refusal (and its
      // Login Audit Trail entry).
      const corrected = Math.abs(this.offset.offsetMs - signedWith) >= CLOCK_CORRECTION_MIN_MS;
      if (!(err instanceof TokenEndpointError) || err.status !== 400 || !corrected) throw err;
      return this.sendTokenRequest();
    }
  }

  private async sendTokenRequest(): Promise<TokenSet> {
    const tokens = await requestTokens(
      {
        fetch: this.fetchImpl,
        clock: this.localClock,
        url: this.tokenUrl,
        grant: 'client_credentials',
        form: async () => ({
          grant_type: 'client_credentials',
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: await this.createAssertion(),
        }),
        retry: this.retry,
        onResponse: (observation) => this.offset.observe(observation),
        ...(this.timeoutMs !== undefined ? { timeoutMs: this.timeoutMs } : {}),
      },
      this.scopes,
    );
    delete tokens.refreshToken; // the grant has none; never keep one a non-conformant server might send
    return tokens;
  }
}
