/**
 * `suitebridge demo` keeps the embedded emulator's data in a temporary folder. A demo killed with SIGKILL cannot
 * remove it; the next demo removes folders whose owning process is gone (never a live demo's). Real processes,
 * built CLI (`npm run build` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'bin', 'suitebridge.js');

let parent: string;

function startDemo(): { child: ChildProcess; started: Promise<void>; exited: Promise<void> } {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: parent, CI: '1' };
  delete env.SUITEBRIDGE_TEST_CRASH_AT;
  const child = spawn(process.execPath, [CLI, 'demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const started = new Promise<void>((res, rej) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Printed once the embedded emulator runs on its data folder.
      if (stdout.includes('SuiteBridge demo: NetSuite emulator at')) res();
    });
    child.on('close', () => rej(new Error(`demo ended before starting its emulator: ${stdout}`)));
  });
  const exited = new Promise<void>((res) => child.on('close', () => res()));
  return { child, started, exited };
}

const demoFolders = () => readdirSync(parent).filter((n) => n.startsWith('suitebridge-demo-'));

beforeAll(() => {
  if (!existsSync(join(ROOT, 'build', 'client', 'src', 'cli', 'main.js'))) throw new Error('Run `npm run build` first: this test runs the built CLI.');
  parent = mkdtempSync(join(tmpdir(), 'sbr-demo-tmp-'));
});

afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('demo temporary data folder', () => {
  it('a folder left by a demo killed with SIGKILL is removed by the next demo; a live demo keeps its own', async () => {
    const killed = startDemo();
    await killed.started;
    killed.child.kill('SIGKILL');
    await killed.exited;
    const left = demoFolders();
    expect(left).toEqual([expect.stringMatching(new RegExp(`^suitebridge-demo-${killed.child.pid}-`))]);

    const next = startDemo();
    await next.started;
    const now = demoFolders();
    expect(now).not.toContain(left[0]);
    expect(now).toEqual([expect.stringMatching(new RegExp(`^suitebridge-demo-${next.child.pid}-`))]);
    next.child.kill('SIGKILL');
    await next.exited;
  }, 60_000);
});
