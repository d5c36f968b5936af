/**
 * Shared by test/e2e/onboarding-crash-*.test.ts (one file per step, so jest runs them in parallel).
 * kill -9 at every checkpoint of the onboarding, then restart: the onboarding must complete with exactly one
 * active certificate, a working client-credentials token and no action done twice.
 *
 * The onboarding runs in a child process (`suitebridge demo --emulator-url … --store …`, built CLI) that kills
 * itself with SIGKILL at the checkpoint named in SUITEBRIDGE_TEST_CRASH_AT. The emulator runs in this process,
 * so it outlives the child. Needs `npm run build` first (npm test does it).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../../emulator/src';
import { CHECKPOINTS, CRASH_ENV, OnboardingOrchestrator, type Checkpoint, type StepId } from '../../client/src/onboarding';
import { SqliteTokenStore } from '../../client/src/store';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'bin', 'suitebridge.js');
const BUILT = join(ROOT, 'build', 'client', 'src', 'cli', 'main.js');
const SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runDemo(emulatorUrl: string, storePath: string, crashAt?: string): Promise<ChildResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, SUITEBRIDGE_SECRET_KEY: SECRET_KEY, CI: '1' };
  delete env[CRASH_ENV];
  if (crashAt) env[CRASH_ENV] = crashAt;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, 'demo', '--emulator-url', emulatorUrl, '--store', storePath, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

function stepEvents(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: string; step?: string; status?: string })
    .filter((e) => e.event === 'step' && e.status === 'done')
    .map((e) => e.step ?? '');
}


/** Registers one test per checkpoint of `step`. */
export function crashTestsFor(step: StepId): void {
  beforeAll(() => {
    if (!existsSync(BUILT)) throw new Error(`The built CLI is missing (${BUILT}). Run \`npm run build\` first.`);
  });
  const checkpoints = CHECKPOINTS.filter((c): c is Checkpoint => c.startsWith(`${step}:`));
  it('covers at least one checkpoint', () => expect(checkpoints.length).toBeGreaterThan(0));
  describe.each(checkpoints.map((c) => [c]))('onboarding killed with SIGKILL at %s', (checkpoint) => {
    it('completes after a restart with one active certificate, a working token and no repeated action', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sbr-crash-'));
      const emulator = await startEmulator({ port: 0, quiet: true, dataDir: join(dir, 'emulator') });
      const storePath = join(dir, 'tokens.db');
      try {
        const killed = await runDemo(emulator.url, storePath, checkpoint);
        expect({ signal: killed.signal, stderr: killed.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });

        const resumed = await runDemo(emulator.url, storePath);
        // On failure, the end of the demo's output says why.
        expect({ code: resumed.code, stderr: resumed.stderr, output: resumed.code === 0 ? '' : resumed.stdout.slice(-3000) }).toEqual({ code: 0, stderr: '', output: '' });
        expect(resumed.stdout).toContain('"event":"result","ok":true');
        // The second run did not redo the steps finished before the kill.
        const redone = stepEvents(resumed.stdout);
        const finishedBefore = stepEvents(killed.stdout);
        for (const step of finishedBefore) expect(redone).not.toContain(step);

        const store = new SqliteTokenStore({ path: storePath, secretKey: Buffer.from(SECRET_KEY, 'base64') });
        try {
          const orchestrator = new OnboardingOrchestrator({ store });
          const view = await orchestrator.get('1234567');
          expect(view?.status).toBe('completed');
          expect(view?.temporaryAccess).toBe('revoked');
          const connection = await orchestrator.connect('1234567');
          const active = (await connection.certificates.list()).filter((c) => !c.revoked);
          expect(active.map((c) => c.certificateId)).toEqual([view?.certificate?.certificateId]);
          const health = await orchestrator.testConnection('1234567');
          expect(health.roleScriptId.toLowerCase()).toBe('customrole_sbr_integration');
          expect(health.userId).toBe(view?.consent?.entity);

          const actions = (view?.audit ?? []).map((a) => a.action);
          for (const once of ['key-generated', 'role-assigned', 'm2m-verified', 'config-seeded', 'metadata', 'final-checks', 'refresh-token-revoked', 'onboarding-completed']) {
            expect([once, actions.filter((a) => a === once).length]).toEqual([once, 1]);
          }
          expect(actions.filter((a) => a === 'certificate-uploaded' || a === 'certificate-adopted')).toHaveLength(1);
          // Killed between upload and recording the ID: the restart must find and adopt that upload, not upload again.
          if (checkpoint === 'certificate:uploaded') expect(actions).toContain('certificate-adopted');
          // Killed after the code went to NetSuite and before the answer was saved: the restart says what may be left,
          // how long it lives and where to revoke it. Killed before sending: the code was still good, nothing is left.
          const leftoverLines = resumed.stdout.split('\n').filter((l) => l.includes('"action":"leftover-authorization"'));
          if (checkpoint === 'authorize:tokens-received') {
            expect(leftoverLines).toHaveLength(1);
            expect(leftoverLines[0]).toMatch(/may have issued a refresh token for the administrator \(employee internal ID 7, role 3\) in account 1234567/);
            expect(leftoverLines[0]).toMatch(/1 hour, the recommended Refresh Token Validity/);
            expect(leftoverLines[0]).toContain('OAuth 2.0 Authorized Applications');
            expect(view?.leftoverAuthorizations).toHaveLength(1);
          } else {
            expect(leftoverLines).toEqual([]);
            expect(view?.leftoverAuthorizations).toBeUndefined();
          }
          const role = view?.audit.find((a) => a.action === 'role-assigned');
          // A kill after setup but before it was recorded shows up as "already held" on the retry, never as a second grant.
          if (checkpoint !== 'certificate:role-assigned') expect(role?.detail).toMatch(/given to entity/);
        } finally {
          await store.close();
        }
      } finally {
        await emulator.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
