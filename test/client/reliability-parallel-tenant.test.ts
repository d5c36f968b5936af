import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ManualClock } from '../../client/src/clock';
import { StoreError } from '../../client/src/errors';
import { OnboardingOrchestrator, type TenantSettings } from '../../client/src/onboarding';
import { RECORD_PREFIX } from '../../client/src/onboarding/repository';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { RedisTokenStore } from '../../client/src/store/redis';
import { SqliteTokenStore } from '../../client/src/store/sqlite';
import type { TokenStore } from '../../client/src/store/types';
import { FakeNetSuite } from './onboardingFakes';
import { haveRedis, TestRedis } from './support/redisServer';
import { transpileClosure } from './support/transpileClosure';

// Spawning processes on a busy 2-core machine: an upper bound, not a speed expectation (like storeMultiProcess).
jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../..');
const PROCESSES = 4;
const CALLS = 50;
const TENANT = '1234567';

/** NetSuite stand-in: any client-credentials request gets a token, the health RESTlet answers ok. */
class LocalNetSuite {
  tokenRequests = 0;
  restletCalls = 0;
  private readonly server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST' && req.url?.endsWith('/oauth2/v1/token')) {
        this.tokenRequests++;
        res.end(JSON.stringify({ access_token: `at-${this.tokenRequests}`, expires_in: '3600', token_type: 'Bearer' }));
      } else if (req.method === 'GET' && req.url?.startsWith('/app/site/hosting/restlet.nl')) {
        this.restletCalls++;
        res.end(JSON.stringify({ ok: true }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  url = '';
  async start(): Promise<void> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

/** A tenant that finished onboarding (against the fake), with a real key so the client can sign assertions. */
async function completedTenantRecord(): Promise<string> {
  const clock = new ManualClock();
  const store = new MemoryTokenStore();
  const fake = new FakeNetSuite(clock);
  fake.bundleInstalled = true;
  const orchestrator = new OnboardingOrchestrator({
    store, clock, services: (s) => fake.services(s), onCheckpoint: () => undefined,
    certificateActivation: { attempts: 1, delayMs: 0, sleep: async () => undefined },
  });
  const settings: TenantSettings = { accountId: TENANT, authClient: { clientId: 'a'.repeat(64) }, ccClient: { clientId: 'c'.repeat(64) }, redirectUri: 'https://127.0.0.1:8899/callback' };
  await orchestrator.begin(settings);
  let view = await orchestrator.advance(TENANT);
  for (let round = 0; view.status !== 'completed' && round < 10; round++) {
    view = view.status === 'waiting_for_authorization'
      ? await orchestrator.submitCallback(fake.consent(await orchestrator.authorizationUrl(TENANT), settings.redirectUri!))
      : await orchestrator.advance(TENANT);
  }
  expect(view.status).toBe('completed');
  const record = JSON.parse((await store.get(RECORD_PREFIX + TENANT))!.value);
  record.certificate.privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return JSON.stringify(record);
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: number; errors: string[] }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(__dirname, 'support/parallelTenantChild.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', fail);
    child.on('close', (code) => {
      try {
        ok(JSON.parse(stdout));
      } catch {
        fail(new Error(`child output not JSON (exit ${code}): ${stdout.slice(0, 500)} ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

describe('parallel use of one tenant (issue 9 §1)', () => {
  let dir: string;
  let netsuite: LocalNetSuite;
  let record: string;
  const secret = randomBytes(32);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-parallel-'));
    transpileClosure(
      ['onboarding/orchestrator.ts', 'onboarding/realServices.ts', 'onboarding/connection.ts', 'store/sqlite.ts', 'store/redis.ts'].map((f) => join(REPO, 'client/src', f)),
      join(REPO, 'client/src'),
      join(dir, 'lib'),
    );
    record = await completedTenantRecord();
  });
  beforeEach(async () => {
    netsuite = new LocalNetSuite();
    await netsuite.start();
  });
  afterEach(() => netsuite.close());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function runProcesses(kind: 'sqlite' | 'redis', where: string): Promise<void> {
    const env = { ...process.env, NODE_PATH: join(REPO, 'node_modules'), SUITEBRIDGE_SECRET_KEY: secret.toString('hex') };
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => runChild([join(dir, 'lib'), kind, where, TENANT, String(CALLS), netsuite.url], env)));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(PROCESSES * CALLS);
    expect(netsuite.restletCalls).toBe(PROCESSES * CALLS);
  }

  it(`${PROCESSES} processes x ${CALLS} concurrent calls on one tenant, SQLite store: 0 failures, tenant record untouched`, async () => {
    const path = join(dir, 'tokens.db');
    const store = new SqliteTokenStore({ path, secretKey: secret });
    await store.compareAndSwap(RECORD_PREFIX + TENANT, null, record);
    await runProcesses('sqlite', path);
    // Reading tokens wrote nothing into the tenant record; the last token time went to its own key.
    expect((await store.get(RECORD_PREFIX + TENANT))!.version).toBe(1);
    const view = await new OnboardingOrchestrator({ store }).get(TENANT);
    expect(Date.parse(view!.lastToken!.at)).toBeGreaterThan(Date.now() - 3_600_000);
    await store.close();
  });

  (haveRedis ? it : it.skip)(`${PROCESSES} processes x ${CALLS} concurrent calls on one tenant, Redis store: 0 failures`, async () => {
    const redisDir = join(dir, 'redis');
    require('node:fs').mkdirSync(redisDir);
    const redis = await TestRedis.start(redisDir);
    const store = new RedisTokenStore({ redis: redis.url, secretKey: secret, logger: () => undefined });
    try {
      await store.compareAndSwap(RECORD_PREFIX + TENANT, null, record);
      await runProcesses('redis', redis.url);
      expect((await store.get(RECORD_PREFIX + TENANT))!.version).toBe(1);
    } finally {
      await store.close();
      await redis.stop();
    }
  });

  it('a read-only store does not break calls that need no write', async () => {
    const inner = new MemoryTokenStore();
    await inner.compareAndSwap(RECORD_PREFIX + TENANT, null, record);
    const readOnly: TokenStore = Object.assign(Object.create(inner) as TokenStore, {
      compareAndSwap: async () => {
        throw new StoreError('STORE_ERROR', 'Could not write the token store (SQLITE_READONLY).');
      },
    });
    const fetchImpl: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      return fetch(`${netsuite.url}${url.pathname}${url.search}`, init);
    };
    const connection = await new OnboardingOrchestrator({ store: readOnly, fetch: fetchImpl }).connect(TENANT);
    const answers = await Promise.all(Array.from({ length: 5 }, () => connection.restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health')));
    expect(answers).toEqual(Array(5).fill({ ok: true }));
    expect(netsuite.tokenRequests).toBe(1);
  });
});
