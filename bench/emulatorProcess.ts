/**
 * Runs the emulator in its own process so its request handling does not share the event loop
 * (and garbage collector) with the client being measured.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startEmulator, type EmulatorConfig, type SeedInfo } from '../emulator/src/index';

export interface EmulatorProcess {
  url: string;
  seed: SeedInfo;
  stop(): Promise<void>;
}

type Ready = { kind: 'ready'; url: string; seed: SeedInfo } | { kind: 'failed'; message: string };

export function startEmulatorProcess(config: EmulatorConfig): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(join(__dirname, 'emulatorProcess.js'), ['--child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the emulator process exited early (code ${String(code)})`)));
    child.once('message', (message: Ready) => {
      if (message.kind === 'failed') {
        reject(new Error(`the emulator did not start: ${message.message}`));
        return;
      }
      resolve({
        url: message.url,
        seed: message.seed,
        stop: () => new Promise<void>((done) => {
          child.removeAllListeners('exit');
          child.once('exit', () => done());
          child.send({ kind: 'stop' });
        }),
      });
    });
    child.send({ kind: 'start', config });
  });
}

async function runChild(): Promise<void> {
  const send = (m: Ready) => process.send?.(m);
  process.once('message', async (m: { kind: 'start'; config: EmulatorConfig }) => {
    try {
      const emu = await startEmulator({ port: 0, quiet: true, config: m.config });
      process.on('message', async (stop: { kind: string }) => {
        if (stop.kind !== 'stop') return;
        await emu.stop();
        process.disconnect();
      });
      // The parent died without saying stop (crash, Ctrl-C): do not linger as an orphan.
      process.once('disconnect', () => void emu.stop().finally(() => process.exit(0)));
      send({ kind: 'ready', url: emu.url, seed: emu.seed });
    } catch (err) {
      send({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
      process.disconnect();
    }
  });
}

if (process.argv.includes('--child') && process.send) void runChild();
