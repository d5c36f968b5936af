/**
 * The kill -9 scenarios: a real SuiteBridge process works against an emulator that runs in this process (so it
 * outlives the kill), is SIGKILLed `killAfterMs` after its spawn, and new processes must then carry on without a new
 * consent. `run()` without `killAfterMs` lets the process finish (calibration: how long a whole run takes).
 *
 * - onboarding: `suitebridge demo --emulator-url … --store …` (the whole automated onboarding) on a fresh emulator,
 *   then the same command again, which resumes it.
 * - m2m: a completed tenant rotating its certificate and calling a RESTlet in a loop (kill9Worker m2m-loop), then
 *   `suitebridge restlet get` (as the kill left it) and `suitebridge cert rotate` (finishes an interrupted rotation).
 * - refresh: an authorization-code tenant (public client: the refresh token rotates on every refresh) refreshing
 *   and calling in a loop (kill9Worker refresh-loop), then a new process calls and refreshes (refresh-check).
 *
 * The m2m and refresh tenants carry on from kill to kill while they survive (a fresh emulator otherwise).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startEmulatorWithServices } from '../emulator/src/index';
import { OnboardingOrchestrator } from '../client/src/onboarding/orchestrator';
import { SCRIPTS } from '../client/src/onboarding/services';
import type { TenantRecord } from '../client/src/onboarding/types';
import { SqliteTokenStore } from '../client/src/store/sqlite';
import { TokenManager } from '../client/src/tokens/manager';
import { authorizationStoreKey, parseStoredAuthorization } from '../client/src/tokens/storedAuthorization';
import type { TokenKey } from '../client/src/tokens/types';
import { authorizePublicClient } from './emulatorTenant';
import { CLI, KILL9_SECRET_KEY, runChild, WORKER, type ChildRun } from './kill9Process';
import { REFRESH_TENANT, type M2mWorkerConfig, type RefreshWorkerConfig } from './kill9Worker';

export type ScenarioId = 'onboarding' | 'm2m' | 'refresh';

export interface KillOutcome {
  scenario: ScenarioId;
  /** The drawn delay: SIGKILL this long after the spawn. */
  killAfterMs: number;
  /** False when the process finished before the kill time (nothing was killed; the run does not count). */
  killed: boolean;
  /** The new process carried on: calls work, no new consent, nothing left over (see each scenario). */
  survived: boolean;
  /** The tenant needs a new consent, or its key or refresh token is gone. */
  lost: boolean;
  /**
   * refresh only: the store held a refresh token NetSuite had already rotated, i.e. the kill fell after NetSuite
   * processed a refresh and before its answer was saved. No client survives that with one-time refresh tokens.
   */
  inFlight?: boolean;
  /** onboarding only: the exchange journal's notice the resumed run printed (an interrupted code exchange). */
  leftoverNotice?: string;
  /** Where the process was when it died, e.g. "certificate (running)" or "round 3". */
  stage: string;
  /** Why it did not survive (empty when it did). */
  detail: string;
}

/** A whole run without a kill: its duration, to spread kill times over. */
export interface Calibration {
  ms: number;
}

export interface ScenarioRunner {
  run(killAfterMs?: number): Promise<KillOutcome | Calibration>;
  close(): Promise<void>;
}

const ACCOUNT = '1234567';
const TENANT = ACCOUNT;
const REDIRECT_URI = 'https://127.0.0.1:8899/callback';
const SCOPES = ['restlets', 'rest_webservices'];
/** Worker loop lengths: long enough that most of a run is real work, not Node starting up. */
const M2M_ROUNDS = 15;
const REFRESH_ROUNDS = 80;
/** Short token-lock lease, so the check is not held up for the default 15 s by the lock the killed worker held. */
const LEASE_MS = 1000;

const secretKey = () => Buffer.from(KILL9_SECRET_KEY, 'base64');

type Emulator = Awaited<ReturnType<typeof startEmulatorWithServices>>;

interface Env {
  url: string;
  dir: string;
  storePath: string;
  emulator: Emulator;
  close(): Promise<void>;
}

async function freshEnv(): Promise<Env> {
  const dir = mkdtempSync(join(tmpdir(), 'sbr-kill9-'));
  const emulator = await startEmulatorWithServices({ port: 0, quiet: true, dataDir: join(dir, 'emulator') });
  return {
    url: emulator.running.url,
    dir,
    storePath: join(dir, 'tokens.db'),
    emulator,
    close: async () => {
      await emulator.running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withOrchestrator<T>(storePath: string, work: (o: OnboardingOrchestrator) => Promise<T>): Promise<T> {
  const store = new SqliteTokenStore({ path: storePath, secretKey: secretKey() });
  try {
    return await work(new OnboardingOrchestrator({ store }));
  } finally {
    await store.close();
  }
}

function lines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').filter((l) => l.startsWith('{')).flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** Where the demo was when it died: its last step event, or how far it got before step 1. */
function demoStage(stdout: string): string {
  const events = lines(stdout);
  const last = events.filter((e) => e.event === 'step').at(-1);
  if (last) return `${String(last.step)} (${String(last.status)})`;
  return events.length > 0 ? 'before step 1' : 'starting (no output yet)';
}

/** Where a worker was when it died: starting, or in round n. */
function workerStage(stdout: string): string {
  const events = lines(stdout);
  if (!events.some((e) => e.ready === true)) return 'starting (not set up yet)';
  return `round ${events.filter((e) => typeof e.round === 'number').length + 1}`;
}

function failed(run: ChildRun, what: string): string {
  return `${what} exited ${run.code ?? run.signal}: ${(run.stderr || run.stdout).trim().slice(-600)}`;
}

/** Completed, exactly one active certificate (the one the record names), no rotation left, and an M2M call works. */
async function tenantHealthy(storePath: string): Promise<{ ok: boolean; detail: string; record?: TenantRecord }> {
  return withOrchestrator(storePath, async (o) => {
    let record: TenantRecord | undefined;
    try {
      record = await o.credentials(TENANT);
      if (!record.completedAt) {
        const steps = Object.entries(record.steps).map(([k, v]) => `${k} ${v.status}`).join(', ');
        return { ok: false, detail: `tenant not completed (${steps})`, record };
      }
      const active = (await (await o.connect(TENANT)).certificates.list()).filter((c) => !c.revoked).map((c) => c.certificateId);
      if (active.length !== 1 || active[0] !== record.certificate?.certificateId) {
        return { ok: false, detail: `active certificates ${JSON.stringify(active)}, the record names ${String(record.certificate?.certificateId)}`, record };
      }
      if (record.rotation) return { ok: false, detail: 'a certificate rotation is still in flight', record };
      await o.testConnection(TENANT);
      return { ok: true, detail: '', record };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err), ...(record ? { record } : {}) };
    }
  });
}

const demoArgs = (env: Env) => ['demo', '--emulator-url', env.url, '--store', env.storePath, '--json'];
const killOption = (killAfterMs: number | undefined) => (killAfterMs === undefined ? {} : { killAfterMs });

/** (a) The onboarding killed at a random moment, then resumed by running the same command again. */
export function onboardingScenario(): ScenarioRunner {
  return {
    close: async () => undefined,
    async run(killAfterMs) {
      const env = await freshEnv();
      try {
        const first = await runChild(CLI, demoArgs(env), killOption(killAfterMs));
        if (killAfterMs === undefined) {
          if (first.code !== 0) throw new Error(failed(first, 'the onboarding demo (calibration)'));
          return { ms: first.ms };
        }
        const base = { scenario: 'onboarding' as const, killAfterMs, killed: first.killed, stage: demoStage(first.stdout) };
        if (!first.killed) return { ...base, survived: first.code === 0, lost: false, detail: first.code === 0 ? '' : failed(first, 'the demo') };
        const resumed = await runChild(CLI, demoArgs(env));
        const events = lines(resumed.stdout);
        const notice = events.find((e) => e.action === 'leftover-authorization');
        const interrupted = events.some((e) => e.action === 'exchange-interrupted');
        const leftover = notice ? { leftoverNotice: String(notice.message) } : {};
        const health = await tenantHealthy(env.storePath);
        if (resumed.code !== 0 || !resumed.stdout.includes('"event":"result","ok":true')) {
          return { ...base, ...leftover, survived: false, lost: !health.ok, detail: failed(resumed, 'the resumed demo') };
        }
        const audit = health.record?.audit ?? [];
        const consents = audit.filter((a) => a.action === 'consent-recorded').length;
        // A second recorded consent: the administrator had to consent again although the first was saved.
        const reconsent = consents > 1;
        // A refused retry of an interrupted exchange must come with the notice saying what may be left at NetSuite.
        const silentLeftover = interrupted && !notice && audit.some((a) => a.action === 'authorization-failed');
        const problems = [
          ...(health.ok ? [] : [health.detail]),
          ...(reconsent ? [`consent recorded ${consents} times`] : []),
          ...(silentLeftover ? ['the interrupted code exchange was refused but no leftover notice was printed'] : []),
        ];
        return { ...base, ...leftover, survived: problems.length === 0, lost: !health.ok || reconsent, detail: problems.join('; ') };
      } finally {
        await env.close();
      }
    },
  };
}

/** Keeps one environment while its runs survive; a run that did not survive gets a fresh one next time. */
function reusing(prepare: (env: Env) => Promise<void>, run: (env: Env, killAfterMs: number | undefined) => Promise<KillOutcome | Calibration>): ScenarioRunner {
  let current: Env | undefined;
  const drop = async () => {
    const env = current;
    current = undefined;
    await env?.close();
  };
  return {
    close: drop,
    async run(killAfterMs) {
      if (!current) {
        const env = await freshEnv();
        try {
          await prepare(env);
        } catch (err) {
          await env.close();
          throw err;
        }
        current = env;
      }
      try {
        const result = await run(current, killAfterMs);
        if ('scenario' in result && !result.survived) await drop();
        return result;
      } catch (err) {
        await drop();
        throw err;
      }
    },
  };
}

/** (b) A completed M2M tenant rotating its certificate and calling, killed; new processes call and finish the rotation. */
export function m2mScenario(): ScenarioRunner {
  return reusing(
    async (env) => {
      const run = await runChild(CLI, demoArgs(env));
      if (run.code !== 0) throw new Error(failed(run, 'onboarding the M2M tenant'));
    },
    async (env, killAfterMs) => {
      const config: M2mWorkerConfig = { storePath: env.storePath, tenant: TENANT, rounds: M2M_ROUNDS };
      const worker = await runChild(WORKER, ['m2m-loop', JSON.stringify(config)], killOption(killAfterMs));
      if (killAfterMs === undefined) {
        if (worker.code !== 0) throw new Error(failed(worker, 'the M2M worker (calibration)'));
        return { ms: worker.ms };
      }
      const inRotation = await withOrchestrator(env.storePath, async (o) => (await o.credentials(TENANT)).rotation).catch(() => undefined);
      const stage = `${workerStage(worker.stdout)}${inRotation ? `, rotation in flight (${inRotation.certificateId ? 'certificate uploaded' : 'key saved'})` : ''}`;
      const base = { scenario: 'm2m' as const, killAfterMs, killed: worker.killed, stage };
      if (!worker.killed) return { ...base, survived: worker.code === 0, lost: false, detail: worker.code === 0 ? '' : failed(worker, 'the worker') };
      const call = ['restlet', 'get', '--tenant', TENANT, '--store', env.storePath, '--script', SCRIPTS.health.script, '--deploy', SCRIPTS.health.deploy, '--json'];
      // The tenant must work as the kill left it, before anything is repaired.
      const asLeft = await runChild(CLI, call);
      // Running the rotation again finishes one the kill interrupted (or makes a whole new one).
      const rotate = await runChild(CLI, ['cert', 'rotate', '--tenant', TENANT, '--store', env.storePath, '--json']);
      const health = await tenantHealthy(env.storePath);
      const problems = [
        ...(asLeft.code === 0 ? [] : [failed(asLeft, '`suitebridge restlet get` right after the kill')]),
        ...(rotate.code === 0 ? [] : [failed(rotate, '`suitebridge cert rotate` after the kill')]),
        ...(health.ok ? [] : [health.detail]),
      ];
      return { ...base, survived: problems.length === 0, lost: asLeft.code !== 0 && !health.ok, detail: problems.join('; ') };
    },
  );
}

const REFRESH_KEY: TokenKey = { tenant: REFRESH_TENANT, grant: 'authorization_code', scopes: SCOPES };

async function storedRefreshJti(storePath: string): Promise<string | undefined> {
  const store = new SqliteTokenStore({ path: storePath, secretKey: secretKey() });
  try {
    const storeKey = authorizationStoreKey(REFRESH_KEY);
    const row = await store.get(storeKey);
    const jti = row ? decodeJwt(parseStoredAuthorization(storeKey, row.value).refreshToken).jti : undefined;
    return typeof jti === 'string' ? jti : undefined;
  } finally {
    await store.close();
  }
}

/** Refresh tokens the emulator issued in the same rotation chain after `jti`. */
function rotationsAfter(emulator: Emulator, jti: string): number {
  const found = emulator.services.store.db
    .prepare('SELECT COUNT(*) AS n FROM refresh_token WHERE chain_id = (SELECT chain_id FROM refresh_token WHERE jti = ?) AND rowid > (SELECT rowid FROM refresh_token WHERE jti = ?)')
    .get(jti, jti) as { n: number };
  return found.n;
}

/** (b) An authorization-code tenant refreshing (rotation) and calling, killed; a new process must call and refresh. */
export function refreshScenario(): ScenarioRunner {
  let clientId = '';
  return reusing(
    async (env) => {
      const res = await fetch(new URL('/__emulator/bundles', env.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: ACCOUNT }) });
      if (res.status !== 200) throw new Error(`installing the bundle failed: HTTP ${res.status}`);
      const { clientId: id, ...tokens } = await authorizePublicClient({ url: env.url, seed: env.emulator.running.seed }, ACCOUNT);
      clientId = id;
      const store = new SqliteTokenStore({ path: env.storePath, secretKey: secretKey() });
      try {
        await new TokenManager({ store, lock: false }).saveAuthorization(REFRESH_KEY, tokens);
      } finally {
        await store.close();
      }
    },
    async (env, killAfterMs) => {
      const config: RefreshWorkerConfig = {
        storePath: env.storePath, baseUrl: env.url, accountId: ACCOUNT, clientId, redirectUri: REDIRECT_URI, scopes: SCOPES, rounds: REFRESH_ROUNDS, leaseMs: LEASE_MS,
      };
      const worker = await runChild(WORKER, ['refresh-loop', JSON.stringify(config)], killOption(killAfterMs));
      if (killAfterMs === undefined) {
        if (worker.code !== 0) throw new Error(failed(worker, 'the refresh worker (calibration)'));
        return { ms: worker.ms };
      }
      const base = { scenario: 'refresh' as const, killAfterMs, killed: worker.killed, stage: workerStage(worker.stdout) };
      if (!worker.killed) return { ...base, survived: worker.code === 0, lost: false, detail: worker.code === 0 ? '' : failed(worker, 'the worker') };
      const heldAfterKill = await storedRefreshJti(env.storePath);
      const check = await runChild(WORKER, ['refresh-check', JSON.stringify(config)]);
      const answer = lines(check.stdout).at(-1) as { ok?: boolean; code?: string; error?: string; message?: string } | undefined;
      if (check.code === 0 && answer?.ok === true) return { ...base, survived: true, lost: false, detail: '' };
      // NetSuite's side says why. In flight: the token the store kept was spent by exactly one more rotation, whose
      // answer died with the process. More rotations after it would mean the store fell behind the process: a defect.
      const row = heldAfterKill ? env.emulator.services.store.findRefreshToken(heldAfterKill) : undefined;
      const unchanged = heldAfterKill !== undefined && (await storedRefreshJti(env.storePath)) === heldAfterKill;
      const inFlight = unchanged && row?.used_at != null && rotationsAfter(env.emulator, heldAfterKill) === 1;
      const needsConsent = answer?.error === 'invalid_grant' || answer?.code === 'AUTHORIZATION_REQUIRED';
      return {
        ...base,
        inFlight,
        survived: false,
        lost: needsConsent,
        detail: answer ? `${answer.code ?? ''} ${answer.error ?? ''}: ${(answer.message ?? '').slice(0, 200)}`.trim() : failed(check, 'the refresh check'),
      };
    },
  );
}

export const SCENARIOS: Record<ScenarioId, { title: string; create: () => ScenarioRunner }> = {
  onboarding: { title: 'onboarding (`suitebridge demo`), then resumed', create: onboardingScenario },
  m2m: { title: 'M2M tenant rotating its certificate and calling', create: m2mScenario },
  refresh: { title: 'auth-code tenant refreshing (rotation) and calling', create: refreshScenario },
};

export function isOutcome(result: KillOutcome | Calibration): result is KillOutcome {
  return 'scenario' in result;
}
