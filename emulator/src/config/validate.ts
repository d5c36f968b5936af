import type { EmulatorConfig } from './types';

/** The configuration is wrong; `problems` name each exact path, e.g. `integrations[1].redirectUris[0] ...`. */
export class EmulatorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid emulator configuration:\n  - ${problems.join('\n  - ')}\nFix the listed fields (see docs/emulator.md, "Configuration").`);
    this.name = 'EmulatorConfigError';
  }
}

export const KNOWN_SCOPES = ['restlets', 'rest_webservices', 'suite_analytics', 'mcp', 'openid', 'email'] as const;
const GRANTS = ['authorization_code', 'client_credentials'];
const CONSENT = ['ALWAYS_ASK', 'ASK_FIRST_TIME', 'NEVER_ASK'];
const LEVELS = ['NONE', 'VIEW', 'CREATE', 'EDIT', 'FULL'];
/** Schemes that are not an app's own: a custom scheme must name the app (RFC 8252 §7.1). */
const NOT_APP_SCHEMES = ['http:', 'javascript:', 'data:', 'file:', 'about:', 'blob:', 'ftp:', 'ws:', 'wss:', 'mailto:'];
const ACCOUNT_ID = /^(?:TSTDRV)?[0-9]{1,12}(?:_(?:SB|RP)[0-9]{0,3})?$/;

type Obj = Record<string, unknown>;

class Checker {
  readonly problems: string[] = [];
  fail(path: string, message: string): void {
    this.problems.push(`${path} ${message}`);
  }
  isObject(v: unknown): v is Obj {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
  object(path: string, v: unknown, known: string[]): v is Obj {
    if (!this.isObject(v)) {
      this.fail(path, 'must be an object');
      return false;
    }
    for (const key of Object.keys(v)) if (!known.includes(key)) this.fail(`${path}.${key}`, `is not a known setting (known: ${known.join(', ')})`);
    return true;
  }
  array(path: string, v: unknown): v is unknown[] {
    if (!Array.isArray(v)) {
      this.fail(path, 'must be an array');
      return false;
    }
    return true;
  }
  string(path: string, v: unknown, pattern?: RegExp, hint?: string): void {
    if (typeof v !== 'string' || v.length === 0) this.fail(path, 'must be a non-empty string');
    else if (pattern && !pattern.test(v)) this.fail(path, hint ?? `must match ${pattern}`);
  }
  int(path: string, v: unknown, min: number, max: number): void {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(path, `must be an integer from ${min} to ${max}`);
  }
  bool(path: string, v: unknown): void {
    if (typeof v !== 'boolean') this.fail(path, 'must be true or false');
  }
  oneOf(path: string, v: unknown, values: readonly string[]): void {
    if (typeof v !== 'string' || !values.includes(v)) this.fail(path, `must be one of ${values.join(', ')}`);
  }
  /**
   * A redirect URI NetSuite accepts: `https://` or a custom app scheme (`myapp://callback`). Oracle: "The http://
   * scheme isn't supported"; a loopback callback is served over HTTPS with a throwaway certificate instead.
   */
  redirectUri(path: string, v: unknown, record: string): void {
    const hint = 'use https://127.0.0.1:8899/callback (serve the loopback callback over HTTPS) or a custom scheme such as myapp://callback';
    if (typeof v !== 'string') return this.fail(path, `of record "${record}" must be a redirect URI; ${hint}`);
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      return this.fail(path, `of record "${record}" is not an absolute URI (${JSON.stringify(v)}); ${hint}`);
    }
    if (u.protocol === 'http:') {
      return this.fail(path, `of record "${record}" uses http:// (${v}), which NetSuite refuses ("The http:// scheme isn't supported"); register ${v.replace(/^http:/i, 'https:')} and serve the callback over HTTPS, or use a custom scheme such as myapp://callback`);
    }
    if (u.protocol === 'https:' ? u.hostname === '' : NOT_APP_SCHEMES.includes(u.protocol)) {
      this.fail(path, `of record "${record}" is neither https:// nor a custom app scheme (${v}); ${hint}`);
    }
    if (u.hash !== '') this.fail(path, `of record "${record}" must not contain a #fragment (${v}); remove it`);
  }
}

function optional(o: Obj, key: string, check: (v: unknown) => void): void {
  if (o[key] !== undefined) check(o[key]);
}

function checkRole(c: Checker, path: string, v: unknown): void {
  if (!c.object(path, v, ['internalId', 'scriptId', 'name', 'permissions'])) return;
  c.int(`${path}.internalId`, v.internalId, 1, 2 ** 31);
  c.string(`${path}.scriptId`, v.scriptId);
  c.string(`${path}.name`, v.name);
  optional(v, 'permissions', (p) => {
    if (!c.isObject(p)) return c.fail(`${path}.permissions`, 'must be an object of permkey → level');
    for (const [key, level] of Object.entries(p)) c.oneOf(`${path}.permissions.${key}`, level, LEVELS);
  });
}

function checkEmployee(c: Checker, path: string, v: unknown): void {
  if (!c.object(path, v, ['entityId', 'name', 'email', 'password', 'roles'])) return;
  c.int(`${path}.entityId`, v.entityId, 1, 2 ** 31);
  c.string(`${path}.name`, v.name);
  c.string(`${path}.email`, v.email, /^[^@\s]+@[^@\s]+$/, 'must be an e-mail address');
  optional(v, 'password', (p) => c.string(`${path}.password`, p));
  optional(v, 'roles', (roles) => {
    if (!c.array(`${path}.roles`, roles)) return;
    roles.forEach((r, i) => {
      if (typeof r === 'number') c.int(`${path}.roles[${i}]`, r, 1, 2 ** 31);
      else c.string(`${path}.roles[${i}]`, r);
    });
  });
}

function checkAccount(c: Checker, path: string, v: unknown): void {
  if (!c.object(path, v, ['accountId', 'environment', 'concurrencyLimit', 'roles', 'employees', 'customers'])) return;
  c.string(`${path}.accountId`, v.accountId, ACCOUNT_ID, 'must be a NetSuite account ID such as 1234567 or 1234567_SB1 (upper case)');
  optional(v, 'environment', (e) => c.oneOf(`${path}.environment`, e, ['PRODUCTION', 'SANDBOX']));
  optional(v, 'concurrencyLimit', (n) => c.int(`${path}.concurrencyLimit`, n, 1, 1000));
  optional(v, 'customers', (n) => c.int(`${path}.customers`, n, 0, 200_000));
  optional(v, 'roles', (roles) => {
    if (c.array(`${path}.roles`, roles)) roles.forEach((r, i) => checkRole(c, `${path}.roles[${i}]`, r));
  });
  optional(v, 'employees', (list) => {
    if (c.array(`${path}.employees`, list)) list.forEach((e, i) => checkEmployee(c, `${path}.employees[${i}]`, e));
  });
}

function checkIntegration(c: Checker, path: string, v: unknown): void {
  const known = ['name', 'accountId', 'clientId', 'clientSecret', 'publicClient', 'redirectUris', 'scopes', 'grants',
    'allowClientCredentialsForPublicClient', 'refreshTokenValidityHours', 'maxRotationHours', 'consentPolicy',
    'confidentialRefreshReturnsRefreshToken'];
  if (!c.object(path, v, known)) return;
  c.string(`${path}.name`, v.name);
  c.string(`${path}.accountId`, v.accountId);
  optional(v, 'clientId', (id) => c.string(`${path}.clientId`, id, /^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'));
  optional(v, 'clientSecret', (s) => c.string(`${path}.clientSecret`, s, /^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'));
  optional(v, 'publicClient', (b) => c.bool(`${path}.publicClient`, b));
  if (v.publicClient === true && v.clientSecret !== undefined) c.fail(`${path}.clientSecret`, 'must be omitted for a public client (publicClient: true)');
  optional(v, 'redirectUris', (list) => {
    const record = typeof v.name === 'string' ? v.name : path;
    if (c.array(`${path}.redirectUris`, list)) list.forEach((u, i) => c.redirectUri(`${path}.redirectUris[${i}]`, u, record));
  });
  optional(v, 'scopes', (list) => {
    if (!c.array(`${path}.scopes`, list)) return;
    list.forEach((s, i) => c.oneOf(`${path}.scopes[${i}]`, s, KNOWN_SCOPES));
  });
  optional(v, 'grants', (list) => {
    if (c.array(`${path}.grants`, list)) list.forEach((g, i) => c.oneOf(`${path}.grants[${i}]`, g, GRANTS));
  });
  optional(v, 'allowClientCredentialsForPublicClient', (b) => c.bool(`${path}.allowClientCredentialsForPublicClient`, b));
  optional(v, 'refreshTokenValidityHours', (n) => c.int(`${path}.refreshTokenValidityHours`, n, 1, 720));
  optional(v, 'maxRotationHours', (n) => c.int(`${path}.maxRotationHours`, n, 1, 720));
  optional(v, 'consentPolicy', (p) => c.oneOf(`${path}.consentPolicy`, p, CONSENT));
  optional(v, 'confidentialRefreshReturnsRefreshToken', (b) => c.bool(`${path}.confidentialRefreshReturnsRefreshToken`, b));
}

/** Checks the raw JSON shape; cross-references (accounts named by integrations, roles named by employees) too. */
export function validateConfig(raw: unknown): EmulatorConfig {
  const c = new Checker();
  const known = ['accounts', 'integrations', 'clockOffsetSeconds', 'faults', 'limits', 'manageOwnCertificatesPermission',
    'bundleId', 'suiteqlRequiresTransient', 'leniency', 'shapes', 'hostRouting', '$schema', '$comment'];
  if (!c.object('config', raw, known)) throw new EmulatorConfigError(c.problems);
  optional(raw, 'accounts', (list) => {
    if (c.array('accounts', list)) list.forEach((a, i) => checkAccount(c, `accounts[${i}]`, a));
  });
  optional(raw, 'integrations', (list) => {
    if (c.array('integrations', list)) list.forEach((a, i) => checkIntegration(c, `integrations[${i}]`, a));
  });
  optional(raw, 'clockOffsetSeconds', (n) => c.int('clockOffsetSeconds', n, -10 * 365 * 86400, 10 * 365 * 86400));
  optional(raw, 'faults', (f) => checkFaults(c, 'faults', f));
  optional(raw, 'limits', (l) => {
    if (!c.object('limits', l, ['activeCertificatesPerIntegration', 'authCodeLifetimeSeconds', 'assertionClockToleranceSeconds',
      'certificatePropagationSeconds', 'suiteqlTimeoutMs'])) return;
    optional(l, 'certificatePropagationSeconds', (n) => c.int('limits.certificatePropagationSeconds', n, 0, 86400));
    optional(l, 'suiteqlTimeoutMs', (n) => c.int('limits.suiteqlTimeoutMs', n, 10, 900_000));
    optional(l, 'activeCertificatesPerIntegration', (n) => c.int('limits.activeCertificatesPerIntegration', n, 1, 1000));
    optional(l, 'authCodeLifetimeSeconds', (n) => c.int('limits.authCodeLifetimeSeconds', n, 1, 86400));
    optional(l, 'assertionClockToleranceSeconds', (n) => c.int('limits.assertionClockToleranceSeconds', n, 0, 3600));
  });
  optional(raw, 'manageOwnCertificatesPermission', (s) => c.string('manageOwnCertificatesPermission', s, /^[A-Z0-9_]+$/, 'must be a permkey such as ADMI_MANAGE_OWN_OAUTH2_CERTS'));
  optional(raw, 'bundleId', (s) => c.string('bundleId', s, /^[0-9]+$/, 'must be a numeric bundle ID such as "512345"'));
  optional(raw, 'suiteqlRequiresTransient', (b) => c.bool('suiteqlRequiresTransient', b));
  optional(raw, 'leniency', (l) => {
    const keys = ['assertionFractionalTimes', 'assertionClientIdField', 'assertionAudienceArray', 'assertionSubClaim'];
    if (c.object('leniency', l, keys)) for (const k of keys) optional(l, k, (b) => c.bool(`leniency.${k}`, b));
  });
  optional(raw, 'shapes', (sh) => {
    if (!c.object('shapes', sh, ['certificateApi', 'restConcurrencyErrorCode', 'restConcurrencyRetryAfterSeconds', 'restletAuthFailureCode', 'governanceLimitsFields', 'userinfoClaims'])) return;
    optional(sh, 'certificateApi', (v) => c.oneOf('shapes.certificateApi', v, ['nested', 'flat']));
    optional(sh, 'restConcurrencyErrorCode', (v) => c.string('shapes.restConcurrencyErrorCode', v, /^[A-Z][A-Z0-9_]*$/, 'must be an upper-case error code such as CONCURRENCY_LIMIT_EXCEEDED'));
    optional(sh, 'restConcurrencyRetryAfterSeconds', (n) => c.int('shapes.restConcurrencyRetryAfterSeconds', n, 0, 3600));
    optional(sh, 'restletAuthFailureCode', (v) => c.oneOf('shapes.restletAuthFailureCode', v, ['INVALID_LOGIN_ATTEMPT', 'INVALID_LOGIN_CREDENTIALS']));
    optional(sh, 'governanceLimitsFields', (v) => c.oneOf('shapes.governanceLimitsFields', v, ['netsuite-cli', 'soap']));
    optional(sh, 'userinfoClaims', (v) => c.oneOf('shapes.userinfoClaims', v, ['oidc', 'extended']));
  });
  optional(raw, 'hostRouting', (r) => c.oneOf('hostRouting', r, ['virtual-hosts', 'single-origin']));
  checkCrossReferences(c, raw);
  if (c.problems.length) throw new EmulatorConfigError(c.problems);
  return raw as EmulatorConfig;
}

export function checkFaults(c: Checker, path: string, f: unknown): void {
  if (!c.object(path, f, ['latencyMs', 'tokenEndpoint503', 'dropConnections', 'concurrencyRejects'])) return;
  optional(f, 'latencyMs', (n) => c.int(`${path}.latencyMs`, n, 0, 120_000));
  optional(f, 'tokenEndpoint503', (n) => c.int(`${path}.tokenEndpoint503`, n, 0, 1_000_000));
  optional(f, 'dropConnections', (n) => c.int(`${path}.dropConnections`, n, 0, 1_000_000));
  optional(f, 'concurrencyRejects', (n) => c.int(`${path}.concurrencyRejects`, n, 0, 1_000_000));
}

/** Validates a faults object sent to `PUT /__emulator/faults`; returns the problems (empty when fine). */
export function faultProblems(f: unknown): string[] {
  const c = new Checker();
  checkFaults(c, 'faults', f);
  return c.problems;
}

function checkCrossReferences(c: Checker, raw: Obj): void {
  const accounts = Array.isArray(raw.accounts) ? (raw.accounts as Obj[]) : undefined;
  const accountIds = accounts ? accounts.map((a) => (c.isObject(a) ? a.accountId : undefined)) : ['1234567', '1234567_SB1'];
  accounts?.forEach((a, i) => {
    if (!c.isObject(a)) return;
    if (accountIds.indexOf(a.accountId) !== i) c.fail(`accounts[${i}].accountId`, `duplicates an earlier account (${String(a.accountId)})`);
    const roleIds = new Set<unknown>([3, 'administrator']);
    if (Array.isArray(a.roles)) for (const r of a.roles as Obj[]) if (c.isObject(r)) { roleIds.add(r.internalId); roleIds.add(r.scriptId); }
    if (Array.isArray(a.roles)) (a.roles as Obj[]).forEach((r, j) => {
      if (c.isObject(r) && r.internalId === 3) c.fail(`accounts[${i}].roles[${j}].internalId`, 'must not be 3 (Administrator is built in)');
    });
    if (Array.isArray(a.employees)) (a.employees as Obj[]).forEach((e, j) => {
      if (!c.isObject(e) || !Array.isArray(e.roles)) return;
      (e.roles as unknown[]).forEach((r, k) => {
        if (!roleIds.has(r)) c.fail(`accounts[${i}].employees[${j}].roles[${k}]`, `names a role that accounts[${i}].roles does not define (${String(r)})`);
      });
    });
  });
  if (Array.isArray(raw.integrations)) (raw.integrations as Obj[]).forEach((it, i) => {
    if (c.isObject(it) && typeof it.accountId === 'string' && !accountIds.includes(it.accountId)) {
      c.fail(`integrations[${i}].accountId`, `names an account that is not configured (${it.accountId}); add it to accounts`);
    }
  });
}
