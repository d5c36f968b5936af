/**
 * An in-memory NetSuite behind the orchestrator's service seam: enough behaviour (single-use codes, one-time
 * refresh tokens, certificate/key binding, role assignment, config upserts) for the state machine to be tested
 * honestly, with counters of every real side effect.
 */
import { AuthorizationError, NetSuiteApiError, TokenEndpointError } from '../../client/src/errors';
import type { OnboardingServices, ResolvedSettings, StoredTokens, TenantRecord } from '../../client/src/onboarding';
import type { KeyValueStore } from '../../client/src/onboarding';
import type { Clock } from '../../client/src/onboarding';

export const APP_ROLE = { internalId: 1001, scriptId: 'customrole_sbr_integration' };

interface FakeCert {
  certificateId: string;
  keyNumber: number;
  clientId: string;
  role: number;
  entity: number;
  revoked: boolean;
}

interface AccessGrant {
  kind: 'auth' | 'm2m';
  expiresAt: number;
  entity: number;
  role: number;
  refreshToken?: string;
}

export class FakeNetSuite {
  bundleInstalled = false;
  consentingEntity = 7;
  /** The account the administrator consents in (the callback's `company`). */
  consentCompany = '1234567';
  deny = false;
  featureMissing = false;
  /** The next N client-credentials requests fail as if the new certificate were not active yet. */
  pendingActivations = 0;
  /** RFC 6749 §4.1.2: a code used twice revokes the tokens issued for it (UNCERTAIN whether NetSuite does). */
  revokeOnCodeReuse = true;
  /** Make health report this role instead of the certificate's (tests the role check). */
  healthRoleOverride: { roleId: number; roleScriptId: string } | undefined;
  readonly roles = new Map<number, Set<number>>([[7, new Set([3])], [8, new Set()]]);
  readonly certificates: FakeCert[] = [];
  readonly config = new Map<string, string>();
  readonly counters = { roleAssignments: 0, uploads: 0, configCreated: 0, revocations: 0, codeExchanges: 0, refreshes: 0, m2mTokens: 0 };
  private readonly codes = new Map<string, { state: string; verifier: string; used: boolean; clientId: string; issued?: string }>();
  private readonly access = new Map<string, AccessGrant>();
  private readonly refreshTokens = new Map<string, { used: boolean; revoked: boolean; entity: number }>();
  private readonly startedStates = new Map<string, string>();
  private sequence = 0;
  private keys = 0;

  constructor(private readonly clock: Clock) {}

  private next(prefix: string): string {
    return `${prefix}-${++this.sequence}`;
  }

  /** What the administrator's browser does: sign in, consent, land on the redirect URI. */
  consent(authorizationUrl: string, redirectUri: string): string {
    const url = new URL(authorizationUrl);
    const state = url.searchParams.get('state') ?? '';
    const callback = new URL(redirectUri);
    callback.searchParams.set('state', state);
    if (this.deny) {
      callback.searchParams.set('error', 'access_denied');
      return callback.toString();
    }
    const code = this.next('code');
    this.codes.set(code, { state, verifier: this.startedStates.get(state) ?? '', used: false, clientId: url.searchParams.get('client_id') ?? '' });
    callback.searchParams.set('code', code);
    callback.searchParams.set('entity', String(this.consentingEntity));
    callback.searchParams.set('role', '3');
    callback.searchParams.set('company', this.consentCompany);
    return callback.toString();
  }

  activeCertificates(clientId?: string): FakeCert[] {
    return this.certificates.filter((c) => !c.revoked && (clientId === undefined || c.clientId === clientId));
  }

  liveAuthTokens(): number {
    return [...this.refreshTokens.values()].filter((r) => !r.used && !r.revoked).length;
  }

  expireAccessTokens(): void {
    for (const grant of this.access.values()) grant.expiresAt = this.clock.now() - 1;
  }

  revokeAllRefreshTokens(): void {
    for (const r of this.refreshTokens.values()) r.revoked = true;
  }

  private issueAuth(entity: number): StoredTokens {
    const accessToken = this.next('auth-access');
    const refreshToken = this.next('auth-refresh');
    const expiresAt = this.clock.now() + 3_600_000;
    this.access.set(accessToken, { kind: 'auth', expiresAt, entity, role: 3, refreshToken });
    this.refreshTokens.set(refreshToken, { used: false, revoked: false, entity });
    return { accessToken, refreshToken, expiresAt, scopes: ['restlets', 'rest_webservices'] };
  }

  private grantOf(token: string): AccessGrant {
    const grant = this.access.get(token);
    if (!grant || grant.expiresAt <= this.clock.now()) {
      throw new NetSuiteApiError('Invalid login attempt.', { status: 401, netsuiteCode: 'INVALID_LOGIN', kind: 'restlet' });
    }
    if (grant.kind === 'auth' && grant.refreshToken && this.refreshTokens.get(grant.refreshToken)?.revoked) {
      throw new NetSuiteApiError('Token revoked.', { status: 401, netsuiteCode: 'INVALID_LOGIN', kind: 'restlet' });
    }
    return grant;
  }

  private restletError(code: string, message: string): NetSuiteApiError {
    return new NetSuiteApiError(message, { status: 400, netsuiteCode: code, kind: 'restlet' });
  }

  private tokenError(error: string, grant: TokenEndpointError['grant']): TokenEndpointError {
    return new TokenEndpointError(`token endpoint said ${error}`, { status: 400, error, grant, likelyCauses: [] });
  }

  services(settings: ResolvedSettings): OnboardingServices {
    const fake = this;
    return {
      authorization: {
        async start() {
          const state = fake.next('state');
          const codeVerifier = fake.next('verifier');
          fake.startedStates.set(state, codeVerifier);
          return { state, codeVerifier, url: `https://fake.example/authorize?client_id=${settings.authClient.clientId}&state=${state}` };
        },
        async complete(callbackUrl, pending) {
          const params = new URL(callbackUrl).searchParams;
          if (params.get('error')) throw new AuthorizationError('AUTHORIZATION_DENIED', 'The administrator denied access.', { error: 'access_denied' });
          if (params.get('state') !== pending.state) throw new AuthorizationError('STATE_MISMATCH', 'state differs');
          const code = fake.codes.get(params.get('code') ?? '');
          fake.counters.codeExchanges++;
          if (code?.used && fake.revokeOnCodeReuse && code.issued) {
            const issued = fake.refreshTokens.get(code.issued);
            if (issued) issued.revoked = true;
          }
          if (!code || code.used || code.verifier !== pending.codeVerifier || code.clientId !== settings.authClient.clientId) {
            throw fake.tokenError('invalid_grant', 'authorization_code');
          }
          code.used = true;
          const tokens = fake.issueAuth(Number(params.get('entity')));
          code.issued = tokens.refreshToken;
          return { tokens, entity: Number(params.get('entity')), role: Number(params.get('role')), company: params.get('company') ?? '' };
        },
        async refresh(refreshToken) {
          const entry = fake.refreshTokens.get(refreshToken);
          if (!entry || entry.used || entry.revoked) throw fake.tokenError('invalid_grant', 'refresh_token');
          entry.used = true;
          fake.counters.refreshes++;
          return fake.issueAuth(entry.entity);
        },
        async revoke(token) {
          const entry = fake.refreshTokens.get(token);
          if (entry) entry.revoked = true;
          fake.counters.revocations++;
        },
      },
      restlet(token) {
        return {
          async get<T>(scriptId: string, _deployId: string, params?: Record<string, string>): Promise<T> {
            const grant = fake.grantOf(token);
            if (scriptId === 'customscript_sbr_rl_install_check') {
              if (!fake.bundleInstalled) throw fake.restletError('SSS_INVALID_SCRIPTLET_ID', 'That Suitelet is invalid, disabled, or no longer exists.');
              const entity = Number(params?.entity);
              const holds = fake.roles.get(entity)?.has(APP_ROLE.internalId) ?? false;
              return {
                ok: holds && !fake.featureMissing,
                appRole: APP_ROLE,
                checks: [
                  { id: 'bundle_installed', ok: true, detail: 'installed' },
                  { id: 'features', ok: !fake.featureMissing, detail: fake.featureMissing ? 'REST web services is off' : 'on', remedy: 'Enable REST Web Services (Setup > Company > Enable Features > SuiteCloud).' },
                  { id: 'entity_role', ok: holds, detail: holds ? 'holds role' : 'lacks role', remedy: 'Run setup.' },
                ],
              } as T;
            }
            if (scriptId === 'customscript_sbr_rl_health') {
              if (!fake.bundleInstalled) throw fake.restletError('SSS_INVALID_SCRIPTLET_ID', 'no such script');
              const role = fake.healthRoleOverride ?? (grant.role === APP_ROLE.internalId ? { roleId: APP_ROLE.internalId, roleScriptId: 'CUSTOMROLE_SBR_INTEGRATION' } : { roleId: 3, roleScriptId: 'administrator' });
              return { accountId: '1234567', environment: 'PRODUCTION', version: '2026.2', userId: grant.entity, ...role, remainingUsage: 5000, serverTime: new Date(fake.clock.now()).toISOString() } as T;
            }
            if (scriptId === 'customscript_sbr_rl_config') return { entries: Object.fromEntries(fake.config) } as T;
            throw fake.restletError('SSS_INVALID_SCRIPTLET_ID', `unknown script ${scriptId}`);
          },
          async post<T>(scriptId: string, _deployId: string, body: unknown): Promise<T> {
            const grant = fake.grantOf(token);
            if (scriptId !== 'customscript_sbr_rl_setup') throw fake.restletError('SSS_INVALID_SCRIPTLET_ID', 'unknown');
            if (grant.role !== 3) throw fake.restletError('SBR_NOT_ADMINISTRATOR', 'setup needs the Administrator role');
            const entity = (body as { entity: number }).entity;
            const held = fake.roles.get(entity);
            if (!held) throw fake.restletError('SBR_INVALID_INPUT', `no employee ${entity}`);
            const changed = !held.has(APP_ROLE.internalId);
            if (changed) {
              held.add(APP_ROLE.internalId);
              fake.counters.roleAssignments++;
            }
            return { entity, roleId: APP_ROLE.internalId, roleScriptId: APP_ROLE.scriptId, changed } as T;
          },
          async put<T>(scriptId: string, _deployId: string, body: unknown): Promise<T> {
            fake.grantOf(token);
            if (scriptId !== 'customscript_sbr_rl_config') throw fake.restletError('SSS_INVALID_SCRIPTLET_ID', 'unknown');
            const result = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
            for (const [k, v] of Object.entries((body as { entries: Record<string, string> }).entries)) {
              const old = fake.config.get(k);
              if (old === undefined) {
                result.created.push(k);
                fake.counters.configCreated++;
              } else if (old === v) result.unchanged.push(k);
              else result.updated.push(k);
              fake.config.set(k, v);
            }
            return result as T;
          },
        };
      },
      certificates(token) {
        const clientId = settings.ccClient.clientId;
        const view = (c: FakeCert) => ({ certificateId: c.certificateId, algorithm: 'EC', validUntil: '2028-11-21', revoked: c.revoked });
        return {
          async list() {
            fake.grantOf(token);
            return fake.certificates.filter((c) => c.clientId === clientId).map(view);
          },
          async upload({ certificatePem, role, entity }) {
            fake.grantOf(token);
            const keyNumber = Number(/FAKE CERT (\d+)/.exec(certificatePem)?.[1]);
            if (!(fake.roles.get(entity)?.has(role) ?? false)) throw new NetSuiteApiError('entity lacks role', { status: 400, netsuiteCode: 'INVALID_REQUEST', kind: 'rest' });
            const cert: FakeCert = { certificateId: fake.next('cert'), keyNumber, clientId, role, entity, revoked: false };
            fake.certificates.push(cert);
            fake.counters.uploads++;
            return view(cert);
          },
          async revoke(certificateId) {
            fake.grantOf(token);
            const cert = fake.certificates.find((c) => c.certificateId === certificateId);
            if (!cert) throw new NetSuiteApiError('no such certificate', { status: 404, netsuiteCode: 'NOT_FOUND', kind: 'rest' });
            cert.revoked = true;
          },
        };
      },
      async generateCertificate({ validityDays }) {
        const n = ++fake.keys;
        return {
          privateKeyPem: `-----BEGIN PRIVATE KEY-----\nFAKE KEY ${n}\n-----END PRIVATE KEY-----`,
          certificatePem: `-----BEGIN CERTIFICATE-----\nFAKE CERT ${n}\n-----END CERTIFICATE-----`,
          algorithm: 'ES256',
          notAfter: new Date(fake.clock.now() + validityDays * 86_400_000),
          sha256Fingerprint: `fp${n}`,
        };
      },
      async clientCredentialsToken({ certificateId, privateKeyPem }) {
        if (fake.pendingActivations > 0) {
          fake.pendingActivations--;
          throw fake.tokenError('invalid_grant', 'client_credentials');
        }
        const keyNumber = Number(/FAKE KEY (\d+)/.exec(privateKeyPem)?.[1]);
        const cert = fake.certificates.find((c) => c.certificateId === certificateId && c.clientId === settings.ccClient.clientId);
        if (!cert || cert.revoked || cert.keyNumber !== keyNumber) throw fake.tokenError('invalid_grant', 'client_credentials');
        const accessToken = fake.next('m2m-access');
        const expiresAt = fake.clock.now() + 3_600_000;
        fake.access.set(accessToken, { kind: 'm2m', expiresAt, entity: cert.entity, role: cert.role });
        fake.counters.m2mTokens++;
        return { accessToken, expiresAt, scopes: settings.scopes };
      },
      async suiteql(token) {
        fake.grantOf(token);
        return [...fake.config.keys()].map((key) => ({ key }));
      },
    };
  }
}

/** Simulates kill -9 at a checkpoint: throws, and from then on every store write fails (the process is gone). */
export class Crash extends Error {}

export class CrashableStore implements KeyValueStore {
  dead = false;
  constructor(private readonly inner: KeyValueStore) {}
  get(key: string) {
    return this.inner.get(key);
  }
  async compareAndSwap(key: string, expected: number | null, value: string) {
    if (this.dead) throw new Crash('process is dead');
    return this.inner.compareAndSwap(key, expected, value);
  }
  async delete(key: string) {
    if (this.dead) throw new Crash('process is dead');
    return this.inner.delete(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

export async function readRecord(store: KeyValueStore, tenant: string): Promise<TenantRecord> {
  const row = await store.get(`suitebridge:onboarding:${tenant}`);
  if (!row) throw new Error(`no record for ${tenant}`);
  return JSON.parse(row.value) as TenantRecord;
}
