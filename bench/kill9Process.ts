/**
 * Runs one SuiteBridge child process (the CLI or the kill -9 worker) and, optionally, sends it SIGKILL after a
 * given delay. The caller owns the emulator; the child only talks to it over HTTP.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CRASH_ENV } from '../client/src/onboarding/checkpoints';

/** The store key every kill -9 child and the checks share (test data only, never a real tenant's). */
export const KILL9_SECRET_KEY = Buffer.alloc(32, 9).toString('base64');

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
  /** True when our SIGKILL ended it; false when it exited on its own before the kill time. */
  killed: boolean;
}

function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'suitebridge') return dir;
    dir = dirname(dir);
  }
  throw new Error(`kill -9 harness: no suitebridge package.json above ${__dirname}`);
}

const ROOT = repoRoot();
export const CLI = join(ROOT, 'bin', 'suitebridge.js');
export const WORKER = join(ROOT, 'build', 'bench', 'kill9Worker.js');
const BUILT_CLI = join(ROOT, 'build', 'client', 'src', 'cli', 'main.js');

/** Throws a usable error when the built CLI or worker is missing (both run as separate Node processes). */
export function assertBuilt(): void {
  for (const file of [BUILT_CLI, WORKER]) {
    if (!existsSync(file)) throw new Error(`kill -9 harness: ${file} is missing. Run \`npm run build\` first.`);
  }
}

/** Spawns `node <script> ...args`; with `killAfterMs`, SIGKILLs it that long after the spawn unless it exited first. */
export function runChild(script: string, args: string[], o: { killAfterMs?: number } = {}): Promise<ChildRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, SUITEBRIDGE_SECRET_KEY: KILL9_SECRET_KEY, CI: '1' };
  delete env[CRASH_ENV];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = o.killAfterMs === undefined ? undefined : setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, o.killAfterMs);
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started, killed: killed && signal === 'SIGKILL' });
    });
  });
}
