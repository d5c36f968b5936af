/**
 * The SuiteBridge processes the kill -9 matrix kills (bench/kill9Scenarios.ts), run as `node kill9Worker.js <mode> <json>`:
 *
 * - `refresh-loop`: an authorization-code tenant in use. Each round drops the stored access token so the token
 *   manager refreshes (a public client: the refresh token rotates every time), then calls the health RESTlet.
 * - `refresh-check`: a new process after the kill: calls with whatever the store holds, then forces one more
 *   refresh and calls again, proving the stored refresh token is live. Prints one JSON line.
 * - `m2m-loop`: a completed M2M tenant in use. Each round rotates its certificate (new key, upload, verify, switch,
 *   revoke) and calls the health RESTlet with the current certificate.
 *
 * Loops print `{"ready":true}` once set up and `{"round":n}` after each round, and exit 0 after `rounds`. The store
 * key is SUITEBRIDGE_SECRET_KEY.
 */
import { resolveEndpoints } from '../client/src/account';
import { AuthorizationCodeClient } from '../client/src/authcode';
import { SuiteBridgeError } from '../client/src/errors';
import { NetSuiteHttp } from '../client/src/http/netsuiteHttp';
import { OnboardingOrchestrator } from '../client/src/onboarding/orchestrator';
import { SCRIPTS } from '../client/src/onboarding/services';
import { RestletClient } from '../client/src/resources/restlet';
import { SqliteTokenStore } from '../client/src/store/sqlite';
import { TokenManager } from '../client/src/tokens/manager';
import { StoreTokenLock } from '../client/src/tokens/tokenLock';
import type { TokenKey } from '../client/src/tokens/types';

export interface RefreshWorkerConfig {
  storePath: string;
  baseUrl: string;
  accountId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  rounds: number;
  /**
   * Lease of the cross-process token lock. A killed holder keeps the lock until its lease ends, so the next process
   * waits that long; the bench uses a short lease to keep its runtime down (production default 15 s).
   */
  leaseMs: number;
}

export interface M2mWorkerConfig {
  storePath: string;
  tenant: string;
  rounds: number;
}

export const REFRESH_TENANT = 'kill9-authcode';

function refreshSetup(c: RefreshWorkerConfig) {
  const store = new SqliteTokenStore({ path: c.storePath });
  const transport = { baseUrl: c.baseUrl, dangerouslyAllowInsecureHttp: true };
  const client = new AuthorizationCodeClient({ ...transport, accountId: c.accountId, clientId: c.clientId, redirectUri: c.redirectUri, scopes: c.scopes });
  const manager = new TokenManager({ store, lock: new StoreTokenLock(store, { leaseMs: c.leaseMs }), backgroundRefresh: false });
  const key: TokenKey = { tenant: REFRESH_TENANT, grant: 'authorization_code', scopes: c.scopes };
  const restlet = new RestletClient({
    endpoints: resolveEndpoints(c.accountId, transport),
    http: new NetSuiteHttp({ accountId: c.accountId, ...transport }),
    auth: manager.provider(key, { kind: 'authorization_code', client }),
  });
  const health = () => restlet.get<{ userId: number }>(SCRIPTS.health.script, SCRIPTS.health.deploy);
  return { store, manager, key, health };
}

async function refreshLoop(c: RefreshWorkerConfig): Promise<void> {
  const { store, manager, key, health } = refreshSetup(c);
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for (let round = 1; round <= c.rounds; round++) {
    await manager.invalidate(key);
    await health();
    process.stdout.write(`${JSON.stringify({ round })}\n`);
  }
  await store.close();
}

async function refreshCheck(c: RefreshWorkerConfig): Promise<void> {
  const { store, manager, key, health } = refreshSetup(c);
  try {
    await health();
    await manager.invalidate(key);
    await health();
    process.stdout.write(`${JSON.stringify({ ok: true, refreshes: manager.tokenRequestCount })}\n`);
  } catch (err) {
    const code = err instanceof SuiteBridgeError ? err.code : 'UNEXPECTED';
    const error = (err as { error?: unknown }).error;
    process.stdout.write(`${JSON.stringify({ ok: false, code, ...(typeof error === 'string' ? { error } : {}), message: err instanceof Error ? err.message : String(err) })}\n`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

async function m2mLoop(c: M2mWorkerConfig): Promise<void> {
  const store = new SqliteTokenStore({ path: c.storePath });
  const orchestrator = new OnboardingOrchestrator({ store });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for (let round = 1; round <= c.rounds; round++) {
    await orchestrator.rotateCertificate(c.tenant);
    const connection = await orchestrator.connect(c.tenant);
    await connection.restlet.get(SCRIPTS.health.script, SCRIPTS.health.deploy);
    process.stdout.write(`${JSON.stringify({ round })}\n`);
  }
  await store.close();
}

async function main(mode: string | undefined, json: string | undefined): Promise<void> {
  const config = JSON.parse(json ?? '{}') as RefreshWorkerConfig & M2mWorkerConfig;
  if (mode === 'refresh-loop') return refreshLoop(config);
  if (mode === 'refresh-check') return refreshCheck(config);
  if (mode === 'm2m-loop') return m2mLoop(config);
  throw new Error(`kill9Worker: unknown mode "${String(mode)}" (refresh-loop, refresh-check or m2m-loop)`);
}

if (require.main === module) {
  main(process.argv[2], process.argv[3]).catch((err: unknown) => {
    process.stderr.write(`kill9Worker: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
