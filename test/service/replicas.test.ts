/**
 * Two `serve` replicas on one PostgreSQL + Redis (issue 11, "Done when"): a sweep's jobs each run once across both,
 * and a replica killed mid-job loses no job (its lock expires and the other replica runs it).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PostgresTokenStore } from '../../client/src/store/postgres';
import { StatusStore } from '../../service/src/statusStore';
import { transpileClosure } from '../client/support/transpileClosure';
import { startPostgres, type PostgresInstance } from '../support/postgres';
import { startRedis } from '../support/redis';
import { startFleet, type Fleet } from './support/fleet';

const REPO = resolve(__dirname, '../..');
const TENANTS = [
  ['a1', '1234567'], ['a2', '1234567'],
  ['s1', '1234567_SB1'], ['s2', '1234567_SB1'],
  ['g1', '7654321'], ['g2', '7654321'],
] as const;

interface Replica {
  child: ChildProcessWithoutNullStreams;
  lines: Array<Record<string, unknown>>;
  waitFor(predicate: (line: Record<string, unknown>) => boolean, from?: number): Promise<Record<string, unknown>>;
  send(command: string): void;
}

describe('two serve replicas on one PostgreSQL + Redis', () => {
  let pg: PostgresInstance;
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let fleet: Fleet;
  let dir: string;
  const secret = randomBytes(32);
  const schema = 'replicas';
  const queueName = `replicas-${randomBytes(4).toString('hex')}`;
  const replicas: Replica[] = [];

  function startReplica(slowRestletMs: number): Replica {
    const child = spawn(process.execPath, [
      join(REPO, 'test/service/support/replicaChild.js'), join(dir, 'lib'), pg.url, schema, redis.redis.url, queueName, fleet.emulator.url, String(slowRestletMs), '1000',
    ], { env: { ...process.env, NODE_PATH: join(REPO, 'node_modules'), SUITEBRIDGE_SECRET_KEY: secret.toString('hex') } });
    const lines: Array<Record<string, unknown>> = [];
    const waiters: Array<() => void> = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let index: number;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          lines.push({ msg: 'unparsed', line });
        }
        for (const w of waiters.splice(0)) w();
      }
    });
    const replica: Replica = {
      child,
      lines,
      send: (command) => child.stdin.write(`${command}\n`),
      waitFor: (predicate, from = 0) =>
        new Promise((resolveLine, reject) => {
          const check = () => {
            const found = lines.slice(from).find(predicate);
            if (found) return resolveLine(found);
            if (child.exitCode !== null || child.signalCode !== null) return reject(new Error(`replica exited: ${stderr.slice(0, 2000)}`));
            waiters.push(check);
          };
          child.once('exit', () => setImmediate(check));
          check();
        }),
    };
    replicas.push(replica);
    return replica;
  }

  const tenantJobsCompleted = (replica: Replica, from = 0) => replica.lines.slice(from).filter((l) => l.msg === 'job tenant completed').map((l) => l.tenant as string);

  beforeAll(async () => {
    [pg, redis, fleet] = await Promise.all([startPostgres(), startRedis(), startFleet()]);
    dir = mkdtempSync(join(tmpdir(), 'sbr-replicas-'));
    transpileClosure(
      ['service/src/service.ts', 'service/src/loginAudit.ts', 'client/src/store/postgres.ts', 'client/src/onboarding/realServices.ts', 'client/src/onboarding/connection.ts', 'client/src/http/transport.ts'].map((f) => join(REPO, f)),
      REPO,
      join(dir, 'lib'),
    );
    const store = new PostgresTokenStore({ postgres: pg.url, secretKey: secret, schema });
    const orchestrator = fleet.newOrchestrator(store);
    for (const [tenant, account] of TENANTS) await fleet.onboard(orchestrator, tenant, account);
    await store.close();
  }, 180_000);

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await Promise.all([fleet?.stop(), redis?.destroy(), pg?.destroy()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each job of a sweep runs once across both replicas', async () => {
    const one = startReplica(0);
    const two = startReplica(0);
    await Promise.all([one.waitFor((l) => l.msg === 'ready'), two.waitFor((l) => l.msg === 'ready')]);
    one.send('idle');
    two.send('idle');
    await Promise.all([one.waitFor((l) => l.msg === 'idle'), two.waitFor((l) => l.msg === 'idle')]);
    // The scheduler's first sweep (one for both replicas): every tenant maintained exactly once.
    expect([...tenantJobsCompleted(one), ...tenantJobsCompleted(two)].sort()).toEqual(TENANTS.map(([t]) => t).sort());
    const [from1, from2] = [one.lines.length, two.lines.length];
    one.send('sweep');
    two.send('sweep');
    await Promise.all([one.waitFor((l) => l.msg === 'swept', from1), two.waitFor((l) => l.msg === 'swept', from2)]);
    one.send('idle');
    two.send('idle');
    await Promise.all([one.waitFor((l) => l.msg === 'idle', from1), two.waitFor((l) => l.msg === 'idle', from2)]);
    const sweeps = [...one.lines.slice(from1), ...two.lines.slice(from2)].filter((l) => l.msg === 'job sweep completed');
    expect(sweeps).toHaveLength(1); // two requests while one waits: deduplicated
    expect([...tenantJobsCompleted(one, from1), ...tenantJobsCompleted(two, from2)].sort()).toEqual(TENANTS.map(([t]) => t).sort());
    // Graceful stop: both exit 0 after finishing what they run.
    const exits = [one, two].map((r) => new Promise<number | null>((ok) => r.child.once('exit', (code) => ok(code))));
    one.child.kill('SIGTERM');
    two.child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  }, 120_000);

  it('a replica killed mid-job loses no job: the other one runs it after the lock expires', async () => {
    const store = new PostgresTokenStore({ postgres: pg.url, secretKey: secret, schema });
    const statuses = new StatusStore(store);
    const before = new Map((await statuses.list()).map((s) => [s.tenant, s.lastCheckAt]));
    const doomed = startReplica(60_000); // every RESTlet call hangs: its jobs are mid-flight when it dies
    await doomed.waitFor((l) => l.msg === 'ready');
    doomed.send('sweep');
    await doomed.waitFor((l) => l.msg === 'restlet call started');
    doomed.child.kill('SIGKILL');
    const survivor = startReplica(0);
    await survivor.waitFor((l) => l.msg === 'ready');
    survivor.send('idle');
    await survivor.waitFor((l) => l.msg === 'idle');
    expect(tenantJobsCompleted(doomed)).toEqual([]);
    // Every tenant was checked again by the survivor, including the ones the dead replica held.
    const after = await statuses.list();
    expect(after.map((s) => s.tenant).sort()).toEqual(TENANTS.map(([t]) => t).sort());
    for (const s of after) {
      expect(s.status).toBe('healthy');
      expect(s.lastCheckAt > (before.get(s.tenant) ?? '')).toBe(true);
    }
    expect(survivor.lines.some((l) => l.msg === 'job tenant completed')).toBe(true);
    survivor.child.kill('SIGTERM');
    await store.close();
  }, 120_000);
});
