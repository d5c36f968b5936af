import { resolveEndpoints, type NetSuiteEndpoints } from '../../../client/src/account';
import { ConfigurationError } from '../../../client/src/errors';
import { usableLimit, type LearnedAccountLimit } from '../../../client/src/http/accountLimit';
import { AccountLimiters, DEFAULT_ACCOUNT_CONCURRENCY } from '../../../client/src/http/limiter';
import { NetSuiteHttp } from '../../../client/src/http/netsuiteHttp';
import { backoffDelay, classifyResponse, parseRetryAfter, type RetryOptions } from '../../../client/src/http/retryPolicy';
import type { ConcurrencySlots } from '../../../client/src/http/accountSemaphore';
import type { HttpMethod, HttpResult } from '../../../client/src/http/types';
import { notify, type ClientObserver } from '../../../client/src/http/observer';
import type { OnboardingOrchestrator } from '../../../client/src/onboarding/orchestrator';
import { SuiteQLClient } from '../../../client/src/resources/suiteql';
import { ApiProblem } from './problem';

export interface ProxyOptions {
  /**
   * In-flight NetSuite requests per account through this replica. Default: the limit onboarding learned for the
   * tenant's account (governanceLimits, less keepFreeShare when shared), else 5, NetSuite's smallest account limit.
   */
  accountConcurrency?: number;
  /** Share of a learned, shared account limit left to the customer's other integrations (default 0). */
  keepFreeShare?: number;
  /** A shared limiter per account instead (e.g. RedisAccountSemaphores for several replicas). */
  limiterFor?: (accountId: string, limit: number) => ConcurrencySlots;
  retry?: RetryOptions;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /**
   * How long a tenant's record and M2M token are reused without asking the orchestrator again (default 5,000 ms; 0
   * turns it off). Saves the store reads and the per-tenant serialization of every call; a 401 or a removal drops it.
   */
  tenantCacheMs?: number;
  now?: () => number;
  /** Metrics hooks: token cache hits, retries, concurrency slot waits. */
  observer?: ClientObserver;
}

interface TenantTarget {
  endpoints: NetSuiteEndpoints;
  accountId: string;
  learned?: LearnedAccountLimit;
}

/** Caller headers forwarded to NetSuite; everything else (cookies, X-Forwarded-*, Authorization…) stays here. */
export const FORWARDED_REQUEST_HEADERS = ['accept', 'accept-language', 'content-type'] as const;
/** NetSuite headers passed back to the caller. */
export const RETURNED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after', 'preference-applied'] as const;

const ID = /^[A-Za-z0-9_]{1,100}$/;
const RECORD_SEGMENT = /^[A-Za-z0-9_.-]{1,200}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,128}$/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export type ProxyKind = 'restlet' | 'record' | 'suiteql';

export interface ProxyCall {
  tenant: string;
  method: HttpMethod;
  /** The caller's query parameters, re-encoded (never a raw string). */
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
}

export interface ProxyAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  attempts: number;
}

interface AccountClients {
  /** Retries over-limit, 5xx and resets (reads, and writes the caller made safe with an Idempotency-Key). */
  retrying: NetSuiteHttp;
  /** One attempt: for writes without a key, whose over-limit answers alone are retried (they never ran). */
  single: NetSuiteHttp;
}

/**
 * SuiteBridge's NetSuite proxy: the tenant's M2M token added here, the account's concurrency limit applied, over-limit
 * and transient answers retried, a 401 answered by a fresh token, and only the tenant account's three hosts reachable.
 */
export class NetSuiteProxy {
  private readonly limiters: AccountLimiters;
  private readonly clients = new Map<string, AccountClients>();
  private readonly cache = new Map<string, { at: number; target: Promise<TenantTarget>; token?: Promise<string>; tokenValue?: string }>();
  private readonly retry: Required<Pick<RetryOptions, 'maxRetries' | 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>> & { random: () => number; sleep: (ms: number) => Promise<void> };

  constructor(private readonly orchestrator: OnboardingOrchestrator, private readonly o: ProxyOptions = {}) {
    this.limiters = new AccountLimiters(o.accountConcurrency ?? DEFAULT_ACCOUNT_CONCURRENCY);
    this.retry = {
      maxRetries: o.retry?.maxRetries ?? 4,
      baseDelayMs: o.retry?.baseDelayMs ?? 500,
      maxDelayMs: o.retry?.maxDelayMs ?? 20_000,
      maxRetryAfterMs: o.retry?.maxRetryAfterMs ?? 60_000,
      random: o.retry?.random ?? Math.random,
      sleep: o.retry?.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    };
  }

  async restlet(call: ProxyCall, script: string, deploy: string): Promise<ProxyAnswer> {
    if (!ID.test(script) || !ID.test(deploy)) {
      throw new ApiProblem(400, 'INVALID_PATH', 'Script and deployment IDs are letters, digits and underscores (customscript_x, customdeploy_x or a number).', 'Use the IDs from the script deployment record.');
    }
    const target = await this.target(call.tenant);
    const { endpoints } = target;
    const url = new URL(endpoints.restletUrl(script, deploy));
    for (const [name, value] of queryPairs(call.query)) {
      if (name === 'script' || name === 'deploy') continue;
      url.searchParams.append(name, value);
    }
    const key = idempotencyKey(call.headers);
    return this.send(call, target, url, key ? { 'idempotency-key': key } : {}, key !== undefined);
  }

  async record(call: ProxyCall, path: string): Promise<ProxyAnswer> {
    const segments = path.split('/');
    if (segments.length === 0 || segments.length > 6 || segments.some((s) => !RECORD_SEGMENT.test(s) || s === '.' || s === '..')) {
      throw new ApiProblem(400, 'INVALID_PATH', 'A record path is 1–6 segments of letters, digits, "_", "-" and "." (e.g. customer/42), without "..".', 'Pass the part after /services/rest/record/v1/.');
    }
    const target = await this.target(call.tenant);
    const url = new URL(`${target.endpoints.origins.suitetalk}/services/rest/record/v1/${segments.join('/')}`);
    for (const [name, value] of queryPairs(call.query)) url.searchParams.append(name, value);
    const key = idempotencyKey(call.headers);
    // REST web services make a write safe to repeat with this header; it needs an asynchronous request.
    const extra: Record<string, string> = key ? { 'x-netsuite-idempotency-key': key, prefer: 'respond-async' } : {};
    return this.send(call, target, url, extra, key !== undefined);
  }

  /** One SuiteQL page as NetSuite answers it (limit/offset from the caller). A query is a read: always retried. */
  async suiteqlPage(call: ProxyCall): Promise<ProxyAnswer> {
    const target = await this.target(call.tenant);
    const url = new URL(target.endpoints.suiteqlUrl);
    for (const name of ['limit', 'offset']) {
      const value = first(call.query[name]);
      if (value !== undefined) {
        if (!/^\d{1,6}$/.test(value)) throw new ApiProblem(400, 'INVALID_ARGUMENT', `${name} must be a non-negative integer.`);
        url.searchParams.set(name, value);
      }
    }
    return this.send({ ...call, method: 'POST' }, target, url, { prefer: 'transient' }, true);
  }

  /** Every page, fetched here (server-side paging), up to maxRows. */
  async suiteqlAll(tenant: string, q: string, params: unknown[] | undefined, o: { pageSize?: number; maxRows: number }): Promise<{ items: Record<string, unknown>[]; count: number; truncated: boolean }> {
    const { endpoints, accountId, learned } = await this.target(tenant);
    const client = new SuiteQLClient({ endpoints, http: this.clientsFor(accountId, endpoints, learned).retrying, auth: this.auth(tenant) });
    const items: Record<string, unknown>[] = [];
    let truncated = false;
    // Truncated only when a row beyond maxRows exists: a result of exactly maxRows rows is complete.
    for await (const page of client.query(q, { ...(o.pageSize ? { pageSize: o.pageSize } : {}), ...(params ? { params } : {}) })) {
      items.push(...page);
      if (items.length > o.maxRows) {
        truncated = true;
        items.length = o.maxRows;
        break;
      }
    }
    return { items, count: items.length, truncated };
  }

  private auth(tenant: string) {
    return {
      getAccessToken: () => this.token(tenant),
      invalidate: (failed?: string) => this.invalidateToken(tenant, failed ?? ''),
    };
  }

  /** Drops what the proxy holds for a tenant (after its removal). */
  forget(tenant: string): void {
    this.cache.delete(tenant);
  }

  private entry(tenant: string) {
    const now = (this.o.now ?? Date.now)();
    const ttl = this.o.tenantCacheMs ?? 5_000;
    let entry = this.cache.get(tenant);
    if (!entry || now - entry.at >= ttl) {
      entry = { at: now, target: this.loadTarget(tenant) };
      // A failed load is not kept: the next call asks again.
      entry.target.catch(() => this.cache.get(tenant) === entry && this.cache.delete(tenant));
      if (ttl > 0) this.cache.set(tenant, entry);
    }
    return entry;
  }

  private target(tenant: string): Promise<TenantTarget> {
    return this.entry(tenant).target;
  }

  private token(tenant: string): Promise<string> {
    const entry = this.entry(tenant);
    if (!entry.token) {
      const token = this.orchestrator.accessToken(tenant);
      entry.token = token;
      token.then((value) => entry.token === token && (entry.tokenValue = value), () => entry.token === token && delete entry.token);
    } else {
      notify(this.o.observer, 'tokenCache', { grant: 'client_credentials', outcome: 'hit' });
    }
    return entry.token;
  }

  /** After a 401 with `failed`: a token another call already replaced is left alone (one new token, not one per call). */
  private async invalidateToken(tenant: string, failed: string): Promise<void> {
    const entry = this.cache.get(tenant);
    if (entry?.token && entry.tokenValue !== failed) return;
    if (entry) {
      delete entry.token;
      delete entry.tokenValue;
    }
    await this.orchestrator.invalidateAccessToken(tenant);
  }

  private async loadTarget(tenant: string): Promise<TenantTarget> {
    let record;
    try {
      record = await this.orchestrator.credentials(tenant);
    } catch (err) {
      // An unknown tenant is the caller's 404; a store that fails (decryption, outage) stays a 5xx.
      if (err instanceof ConfigurationError) throw new ApiProblem(404, 'NOT_FOUND', `No tenant named "${tenant}".`, 'List tenants with GET /v1/tenants.');
      throw err;
    }
    if (!record.completedAt || !record.certificate?.certificateId) {
      throw new ApiProblem(409, 'TENANT_NOT_READY', `Tenant "${tenant}" has not finished onboarding.`, 'Finish the onboarding first; GET /v1/tenants/{tenant} shows where it stands.');
    }
    const s = record.settings;
    const endpoints = resolveEndpoints(s.accountId, { ...(s.baseUrl ? { baseUrl: s.baseUrl } : {}), ...(s.dangerouslyAllowInsecureHttp ? { dangerouslyAllowInsecureHttp: true } : {}) });
    const learned = record.concurrency && 'limit' in record.concurrency ? record.concurrency : undefined;
    return { endpoints, accountId: endpoints.accountId, ...(learned ? { learned } : {}) };
  }

  private clientsFor(accountId: string, endpoints: NetSuiteEndpoints, learned?: LearnedAccountLimit): AccountClients {
    const cacheKey = `${accountId} ${endpoints.origins.suitetalk}`;
    let clients = this.clients.get(cacheKey);
    if (!clients) {
      const max = this.o.accountConcurrency ?? (learned ? usableLimit(learned, this.o.keepFreeShare ?? 0) : DEFAULT_ACCOUNT_CONCURRENCY);
      const limiter = this.o.limiterFor?.(accountId, max) ?? this.limiters.forAccount(accountId, max);
      const base = { accountId, limiter, ...(this.o.observer ? { observer: this.o.observer } : {}), ...(this.o.fetch ? { fetch: this.o.fetch } : {}), ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}) };
      clients = {
        retrying: new NetSuiteHttp({ ...base, retry: { ...this.retry, retryNonIdempotent: true } }),
        single: new NetSuiteHttp({ ...base, retry: { maxRetries: 0 } }),
      };
      this.clients.set(cacheKey, clients);
    }
    return clients;
  }

  private async send(call: ProxyCall, target: { endpoints: NetSuiteEndpoints; learned?: LearnedAccountLimit }, url: URL, extra: Record<string, string>, safeToRepeat: boolean): Promise<ProxyAnswer> {
    const { endpoints } = target;
    // Defence in depth: whatever was built, it must be one of this account's three hosts.
    if (!allowedOrigins(endpoints).has(url.origin)) throw new ApiProblem(400, 'INVALID_PATH', 'The request would leave the tenant account\'s NetSuite hosts.');
    const declaredLength = Number(first(call.headers['content-length']) ?? '0');
    const hasBody = (call.body !== undefined && call.body !== '') || declaredLength > 0 || call.headers['transfer-encoding'] !== undefined;
    if (call.method === 'GET' && hasBody) {
      throw new ApiProblem(400, 'INVALID_ARGUMENT', 'A GET request cannot carry a body: NetSuite answers it with 400.', 'Pass the values as query parameters, or use POST.');
    }
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = first(call.headers[name]);
      if (value !== undefined) headers[name] = value;
    }
    Object.assign(headers, extra);
    const clients = this.clientsFor(endpoints.accountId, endpoints, target.learned);
    const repeatable = !WRITES.has(call.method) || safeToRepeat;
    const once = async (authorization: string): Promise<HttpResult> => {
      const request = { method: call.method, url: url.toString(), headers: { ...headers, authorization }, ...(call.body !== undefined && call.body !== '' ? { body: call.body } : {}) };
      if (repeatable) return clients.retrying.request({ ...request, retryNonIdempotent: true });
      return this.overLimitRetriesOnly(() => clients.single.request(request));
    };
    const token = await this.token(call.tenant);
    let result = await once(`Bearer ${token}`);
    if (result.status === 401) {
      // A 401 was not processed, so even a write may go again, once, with a fresh token.
      await this.invalidateToken(call.tenant, token);
      result = await once(`Bearer ${await this.token(call.tenant)}`);
    }
    const out: Record<string, string> = {};
    for (const name of RETURNED_RESPONSE_HEADERS) {
      const value = result.headers.get(name);
      if (value !== null) out[name] = value;
    }
    return { status: result.status, headers: out, body: result.body, attempts: result.attempts };
  }

  /** A write without an Idempotency-Key: NetSuite's over-limit answers (the call never ran) are retried, nothing else. */
  private async overLimitRetriesOnly(attempt: () => Promise<HttpResult>): Promise<HttpResult> {
    for (let n = 1; ; n++) {
      const result = await attempt();
      const reason = classifyResponse(result.status, result.body);
      if ((reason !== 'rate_limited' && reason !== 'concurrency_limit') || n > this.retry.maxRetries) return { ...result, attempts: n };
      const retryAfter = parseRetryAfter(result.headers.get('retry-after'), Date.now());
      if (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs) return { ...result, attempts: n };
      await this.retry.sleep(retryAfter ?? backoffDelay(n - 1, this.retry));
    }
  }
}

const ORIGINS = new WeakMap<NetSuiteEndpoints, Set<string>>();

/** The account's three origins, parsed once per resolved endpoints (not three URL parses per proxied call). */
function allowedOrigins(endpoints: NetSuiteEndpoints): Set<string> {
  let allowed = ORIGINS.get(endpoints);
  if (!allowed) {
    allowed = new Set(Object.values(endpoints.origins).map((o) => new URL(o).origin));
    ORIGINS.set(endpoints, allowed);
  }
  return allowed;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function queryPairs(query: ProxyCall['query']): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.push([name, v]);
  }
  return out;
}

function idempotencyKey(headers: ProxyCall['headers']): string | undefined {
  const value = first(headers['idempotency-key']);
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new ApiProblem(400, 'INVALID_HEADER', 'Idempotency-Key must be 1–128 characters of letters, digits, "_", "-", "." and ":".', 'Use a UUID per logical write, and the same one when you retry it.');
  }
  return value;
}

