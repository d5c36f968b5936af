import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import type { ResolvedIntegration } from '../config/types';
import type { Clock } from '../clock';
import type { SystemStore } from '../data/systemStore';
import { ACCESS_TOKEN_SECONDS, NETSUITE_ISSUER, applicationGuid, jtiFormats } from './claims';
import type { SigningKey } from './signingKey';

export type IssuedGrant = 'authorization_code' | 'refresh_token' | 'client_credentials';

export interface Principal {
  integration: ResolvedIntegration;
  role: number;
  entity: number;
  scopes: string[];
}

/** `oit` (first issue time of the chain) exists only for public clients (§3). */
function oitClaim(p: Principal, oit: number): { oit?: number } {
  return p.integration.publicClient ? { oit } : {};
}

export interface IssuedToken {
  token: string;
  jti: string;
  iat: number;
  exp: number;
}

/** Signs NetSuite-shaped JWTs (§6) and records their metadata (never the token) in the system DB. */
const VERIFIED_KEPT = 4096;

export class TokenIssuer {
  private readonly verified = new Map<string, Readonly<JWTPayload>>();

  constructor(private readonly key: SigningKey, private readonly store: SystemStore, private readonly clock: Clock) {}

  private sign(payload: JWTPayload, iat: number, exp: number): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ kid: this.key.kid, typ: 'JWT', alg: this.key.alg })
      .setIssuer(NETSUITE_ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key.privateKey);
  }

  /** Authorization-code style access token: sub "role;entity", aud [GUID;acct, clientId]. */
  async userAccessToken(p: Principal, grant: IssuedGrant, oit: number, refreshJti: string | null): Promise<IssuedToken> {
    const nowMs = this.clock.now();
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + ACCESS_TOKEN_SECONDS;
    const acct = p.integration.accountId;
    const jti = jtiFormats.authCodeAccess(acct, nowMs);
    const token = await this.sign({
      sub: `${p.role};${p.entity}`,
      aud: [`${applicationGuid(p.integration.clientId)};${acct}`, p.integration.clientId],
      scope: p.scopes, ...oitClaim(p, oit), jti,
    }, iat, exp);
    this.store.insertAccessToken({ jti, client_id: p.integration.clientId, account_id: acct, role: p.role, entity: p.entity,
      scopes: p.scopes.join(' '), grant_type: grant, refresh_jti: refreshJti, exp });
    return { token, jti, iat, exp };
  }

  /** Client-credentials access token: sub "acct;0;role;entity;N", aud [clientId, app:GUID]. */
  async machineAccessToken(p: Principal): Promise<IssuedToken> {
    const nowMs = this.clock.now();
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + ACCESS_TOKEN_SECONDS;
    const acct = p.integration.accountId;
    const jti = jtiFormats.clientCredentialsAccess(nowMs);
    const token = await this.sign({
      sub: `${acct};0;${p.role};${p.entity};N`,
      aud: [p.integration.clientId, `app:${applicationGuid(p.integration.clientId)}`],
      scope: p.scopes, jti,
    }, iat, exp);
    this.store.insertAccessToken({ jti, client_id: p.integration.clientId, account_id: acct, role: p.role, entity: p.entity,
      scopes: p.scopes.join(' '), grant_type: 'client_credentials', refresh_jti: null, exp });
    return { token, jti, iat, exp };
  }

  /**
   * Refresh token; `oit` is the issue time of the first token of the chain, `chainId` the grant it belongs to.
   * Validity from the record.
   */
  async refreshToken(p: Principal, oit: number | undefined, chainId: string | null = null): Promise<IssuedToken & { oit: number }> {
    const nowMs = this.clock.now();
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + p.integration.refreshTokenValidityHours * 3600;
    const chainStart = oit ?? iat;
    const acct = p.integration.accountId;
    const jti = jtiFormats.refresh(acct, nowMs);
    const token = await this.sign({
      sub: `${p.role};${p.entity}`,
      aud: [`${applicationGuid(p.integration.clientId)};${acct}`, p.integration.clientId],
      scope: p.scopes, ...oitClaim(p, chainStart), jti,
    }, iat, exp);
    this.store.insertRefreshToken({ jti, client_id: p.integration.clientId, account_id: acct, role: p.role, entity: p.entity,
      scopes: p.scopes.join(' '), oit: chainStart, iat, exp, chain_id: chainId });
    return { token, jti, iat, exp, oit: chainStart };
  }

  /** OIDC id token for the openid scope; remembered with its access and refresh token for logout. */
  async idToken(p: Principal, email: string, nonce: string | null, issued: { accessJti: string; refreshJti: string | null }): Promise<string> {
    const nowMs = this.clock.now();
    const iat = Math.floor(nowMs / 1000);
    const jti = `${p.integration.accountId}.i.${randomUUID()}_${nowMs}`;
    const payload: JWTPayload = { sub: String(p.entity), aud: p.integration.clientId, email, jti };
    if (nonce) payload.nonce = nonce;
    const token = await this.sign(payload, iat, iat + ACCESS_TOKEN_SECONDS);
    this.store.insertIdToken({ jti, client_id: p.integration.clientId, access_jti: issued.accessJti, refresh_jti: issued.refreshJti });
    return token;
  }

  /** Checks signature and issuer only; expiry is the caller's rule (it must name the failure). */
  async verifySignature(token: string): Promise<JWTPayload | undefined> {
    // A signature once verified stays valid for this key; an RSA verification per call was a tenth of a RESTlet
    // call's CPU. Revocation and expiry are looked up on every use by the caller.
    const known = this.verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        issuer: NETSUITE_ISSUER, algorithms: [this.key.alg],
        currentDate: new Date(0), // expiry is checked by the caller against the emulator clock
        clockTolerance: Number.MAX_SAFE_INTEGER,
      });
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, Object.freeze(payload));
      return payload;
    } catch {
      return undefined;
    }
  }
}
