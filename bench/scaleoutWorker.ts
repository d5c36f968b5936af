/**
 * One worker process of the scale-out bench (forked by bench/scaleout.ts). Modes:
 *  - suitebridge: TokenManager over the configured store (+ Redis lock and semaphore when Redis is given), RESTlet calls
 *    through NetSuiteHttp; first a refresh race on the authorization-code tenant when one is given.
 *  - mint-per-call: what users write with oauth4webapi: a client-credentials token per call, no limiter.
 *  - cached-variable: the same, the token kept in a variable (no single flight, no expiry handling), no limiter.
 * Every RESTlet call is a GET of the health script; the emulator's injected latency makes each take ~50 ms.
 */
import { createPrivateKey } from 'node:crypto';
import Redis from 'ioredis';
import { resolveEndpoints } from '../client/src/account';
import { AuthorizationCodeClient } from '../client/src/authcode';
import { ClientCredentialsClient } from '../client/src/clientCredentials';
import { RedisAccountSemaphores } from '../client/src/http/accountSemaphore';
import { ConcurrencyLimiter } from '../client/src/http/limiter';
import { NetSuiteHttp } from '../client/src/http/netsuiteHttp';
import { defaultFetch } from '../client/src/http/transport';
import { RestletClient } from '../client/src/resources/restlet';
import { MemoryTokenStore } from '../client/src/store/memory';
import { PostgresTokenStore } from '../client/src/store/postgres';
import { RedisTokenStore } from '../client/src/store/redis';
import { SqliteTokenStore } from '../client/src/store/sqlite';
import type { TokenStore } from '../client/src/store/types';
import { TokenManager } from '../client/src/tokens/manager';
import { RedisTokenLock } from '../client/src/tokens/redisTokenLock';
import type { TokenKey } from '../client/src/tokens/types';

export type WorkerMode = 'suitebridge' | 'mint-per-call' | 'cached-variable';
export type StoreKind = 'memory' | 'sqlite' | 'redis' | 'postgres';

export interface WorkerTenant {
  accountId: string;
  clientId: string;
  certificateId: string;
  privateKeyPem: string;
}

export interface WorkerConfig {
  mode: WorkerMode;
  store: StoreKind;
  /** SQLite path, Redis URL or PostgreSQL URL. */
  storeUrl?: string;
  /** Redis for the lock and the account semaphore (suitebridge mode). */
  redisUrl?: string;
  namespace: string;
  schema?: string;
  emulatorUrl: string;
  tenants: WorkerTenant[];
  callsPerTenant: number;
  accountLimit: number;
  /** Authorization-code tenant whose refresh token every worker races to refresh. */
  authTenant?: { accountId: string; clientId: string };
  secretKeyHex: string;
}

export interface WorkerResult {
  errors: number;
  firstError?: string;
  calls: number;
}

export const SCRIPT = 'customscript_sbr_rl_health';
export const DEPLOY = 'customdeploy_sbr_rl_health';
export const SCOPES = ['restlets', 'rest_webservices'];

type Message = { kind: 'start' } | { kind: 'go' } | { kind: 'stop' };

async function openStore(c: WorkerConfig): Promise<TokenStore> {
  const secretKey = Buffer.from(c.secretKeyHex, 'hex');
  if (c.store === 'sqlite') return new SqliteTokenStore({ path: c.storeUrl!, secretKey });
  if (c.store === 'redis') return new RedisTokenStore({ redis: c.storeUrl!, secretKey, namespace: c.namespace });
  if (c.store === 'postgres') return new PostgresTokenStore({ postgres: c.storeUrl!, secretKey, schema: c.schema ?? 'suitebridge', poolSize: 4 });
  return new MemoryTokenStore();
}

interface Worker {
  /** Start-up, a cold burst: tokens (single flight across processes, or not), the refresh race, accountLimit calls per tenant at once. */
  start: () => Promise<WorkerResult>;
  /** The measured part: callsPerTenant calls per tenant at once. */
  run: () => Promise<WorkerResult>;
  close: () => Promise<void>;
}

class Tally {
  errors = 0;
  firstError: string | undefined;
  readonly fail = (err: unknown): void => {
    this.errors++;
    this.firstError ??= err instanceof Error ? err.message.slice(0, 200) : String(err);
  };
  result(calls: number): WorkerResult {
    return { errors: this.errors, calls, ...(this.firstError ? { firstError: this.firstError } : {}) };
  }
}

async function suitebridge(c: WorkerConfig): Promise<Worker> {
  const transport = { baseUrl: c.emulatorUrl, dangerouslyAllowInsecureHttp: true };
  const store = await openStore(c);
  const redis = c.redisUrl ? new Redis(c.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const semaphores = c.redisUrl ? new RedisAccountSemaphores({ redis: c.redisUrl, namespace: c.namespace }) : undefined;
  const manager = new TokenManager({
    ...(c.store === 'memory' ? {} : { store }),
    ...(redis ? { lock: new RedisTokenLock({ redis, namespace: c.namespace }) } : {}),
  });
  const restlets = c.tenants.map((t) => {
    const client = new ClientCredentialsClient({ ...transport, accountId: t.accountId, clientId: t.clientId, certificateId: t.certificateId, privateKey: t.privateKeyPem, scopes: SCOPES });
    const key: TokenKey = { tenant: t.accountId, grant: 'client_credentials', scopes: SCOPES };
    const limiter = semaphores ? semaphores.forAccount(t.accountId, c.accountLimit) : new ConcurrencyLimiter(c.accountLimit);
    return new RestletClient({
      endpoints: resolveEndpoints(t.accountId, transport),
      http: new NetSuiteHttp({ accountId: t.accountId, limiter, retry: { baseDelayMs: 50, maxDelayMs: 1000 } }),
      auth: manager.provider(key, { kind: 'client_credentials', client }),
    });
  });
  const start = async (): Promise<WorkerResult> => {
    const tally = new Tally();
    if (c.authTenant) {
      const client = new AuthorizationCodeClient({ ...transport, accountId: c.authTenant.accountId, clientId: c.authTenant.clientId, redirectUri: 'https://127.0.0.1:8899/callback', scopes: SCOPES });
      const key: TokenKey = { tenant: `auth-${c.authTenant.accountId}`, grant: 'authorization_code', scopes: SCOPES };
      await Promise.all(Array.from({ length: 10 }, () => manager.getAccessToken(key, { kind: 'authorization_code', client }).catch(tally.fail)));
    }
    await Promise.all(restlets.flatMap((r) => Array.from({ length: c.accountLimit }, () => r.get(SCRIPT, DEPLOY).catch(tally.fail))));
    return tally.result(restlets.length * c.accountLimit);
  };
  const run = async (): Promise<WorkerResult> => {
    const tally = new Tally();
    await Promise.all(restlets.flatMap((r) => Array.from({ length: c.callsPerTenant }, () => r.get(SCRIPT, DEPLOY).catch(tally.fail))));
    return tally.result(restlets.length * c.callsPerTenant);
  };
  return {
    start,
    run,
    close: async () => {
      await semaphores?.close();
      redis?.disconnect();
      await store.close();
    },
  };
}

/** The peers: oauth4webapi's client-credentials request with private_key_jwt, tuned to NetSuite's assertion rules. */
async function peer(c: WorkerConfig): Promise<Worker> {
  // oauth4webapi is ESM only; the bench is compiled to CommonJS.
  const oauth = (await (new Function('m', 'return import(m)') as (m: string) => Promise<typeof import('oauth4webapi')>)('oauth4webapi'));
  const calls = await Promise.all(c.tenants.map(async (t) => {
    const endpoints = resolveEndpoints(t.accountId, { baseUrl: c.emulatorUrl, dangerouslyAllowInsecureHttp: true });
    const pkcs8 = createPrivateKey(t.privateKeyPem).export({ type: 'pkcs8', format: 'der' });
    const key = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const as = { issuer: endpoints.tokenUrl, token_endpoint: endpoints.tokenUrl };
    const client = { client_id: t.clientId };
    const signed = oauth.PrivateKeyJwt({ key, kid: t.certificateId }, {
      // NetSuite's assertion rules, which a user learns one invalid_request at a time: typ JWT, aud the exact token
      // URL, scope as a claim, no sub/nbf.
      [oauth.modifyAssertion]: (header: Record<string, unknown>, payload: Record<string, unknown>) => {
        header.typ = 'JWT';
        payload.aud = endpoints.tokenUrl;
        payload.scope = SCOPES;
        delete payload.sub;
        delete payload.nbf;
      },
    });
    // NetSuite refuses a client_id field beside the assertion (UnexpectedParameter); oauth4webapi always adds one.
    const auth: typeof signed = async (...args) => {
      await signed(...args);
      args[2].delete('client_id');
    };
    const mint = async (): Promise<string> => {
      const response = await oauth.clientCredentialsGrantRequest(as, client, auth, {}, {
        [oauth.allowInsecureRequests]: true,
        [oauth.customFetch]: defaultFetch as typeof fetch,
      });
      // NetSuite sends expires_in as a string, which processClientCredentialsResponse refuses; read the JSON directly.
      const body = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string };
      if (!response.ok || !body.access_token) throw new Error(`token request failed: HTTP ${response.status} ${body.error ?? ''}`);
      return body.access_token;
    };
    let cached: string | undefined;
    const token = c.mode === 'mint-per-call' ? mint : async () => (cached ??= await mint());
    const url = endpoints.restletUrl(SCRIPT, DEPLOY);
    return async () => {
      const res = await defaultFetch(url, { headers: { authorization: `Bearer ${await token()}`, accept: 'application/json' } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`RESTlet answered HTTP ${res.status}`);
    };
  }));
  const start = async (): Promise<WorkerResult> => {
    const tally = new Tally();
    await Promise.all(calls.flatMap((call) => Array.from({ length: c.accountLimit }, () => call().catch(tally.fail))));
    return tally.result(calls.length * c.accountLimit);
  };
  const run = async (): Promise<WorkerResult> => {
    const tally = new Tally();
    await Promise.all(calls.flatMap((call) => Array.from({ length: c.callsPerTenant }, () => call().catch(tally.fail))));
    return tally.result(calls.length * c.callsPerTenant);
  };
  return { start, run, close: async () => undefined };
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as WorkerConfig;
  const worker = config.mode === 'suitebridge' ? await suitebridge(config) : await peer(config);
  process.on('message', (m: Message) => {
    if (m.kind === 'start') {
      void worker.start().then((result) => process.send?.({ kind: 'started', result }));
    } else if (m.kind === 'go') {
      void worker.run().then((result) => process.send?.({ kind: 'result', result }));
    } else {
      void worker.close().finally(() => process.disconnect());
    }
  });
  process.once('disconnect', () => void worker.close().finally(() => process.exit(0)));
  process.send?.({ kind: 'ready' });
}

if (process.send) {
  main().catch((err: unknown) => {
    process.send?.({ kind: 'failed', message: err instanceof Error ? err.stack ?? err.message : String(err) });
    process.exitCode = 1;
  });
}
