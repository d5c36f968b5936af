import type { Command } from 'commander';
import { ConfigurationError } from '../../errors';
import { printResult } from '../output';
import { loadEmulatorModule } from '../../onboarding/emulatorModule';

const DEFAULT_PORT = 4010;

interface EmulatorFlags { port: string; config?: string; dataDir?: string; seedOut?: string }

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigurationError('INVALID_ARGUMENT', `--port must be a number from 0 to 65535 (got "${value}").`, { field: '--port', remedy: 'Pass --port 4010, or --port 0 for a random free port.' });
  }
  return port;
}

/** Resolves when the process is asked to stop (Ctrl+C or SIGTERM). */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export function registerEmulatorCommand(program: Command): void {
  program
    .command('emulator')
    .description('Run the local NetSuite emulator (OAuth 2.0, certificates, SuiteQL, RESTlets) on 127.0.0.1 — for development and testing only')
    .option('--port <n>', 'port to listen on (0 = random)', String(DEFAULT_PORT))
    .option('--config <file.json>', 'emulator configuration (see docs/emulator.md, "Configuration")')
    .option('--data-dir <dir>', 'keep data in SQLite files under this directory (default: in memory)')
    .option('--seed-out <file.json>', 'write accounts, client IDs and secrets, users and passwords as JSON (mode 0600)')
    .action(async (flags: EmulatorFlags) => {
      const json = program.opts<{ json?: boolean }>().json === true;
      // Loaded on use so other commands do not pay for fastify, SQLite and the RESTlet host at start-up.
      const { startEmulator, EmulatorConfigError } = loadEmulatorModule('suitebridge emulator');
      let emulator;
      try {
        emulator = await startEmulator({
          port: parsePort(flags.port), quiet: json,
          ...(flags.config ? { config: flags.config } : {}),
          ...(flags.dataDir ? { dataDir: flags.dataDir } : {}),
          ...(flags.seedOut ? { seedOut: flags.seedOut } : {}),
        });
      } catch (err) {
        if (err instanceof EmulatorConfigError) {
          throw new ConfigurationError('INVALID_ARGUMENT', err.message, { field: '--config', remedy: 'Correct the listed fields of the configuration file.' });
        }
        if (err instanceof Error && /is in use/.test(err.message)) {
          throw new ConfigurationError('INVALID_ARGUMENT', err.message, { field: '--port', remedy: 'Pick another port with --port, or --port 0 for a random one.' });
        }
        throw err;
      }
      printResult(json, { url: emulator.url, seedOut: flags.seedOut ?? null, accounts: emulator.seed.accounts.map((a) => a.accountId) },
        () => `Emulator running at ${emulator.url}${flags.seedOut ? ` (seed written to ${flags.seedOut})` : ''}. Press Ctrl+C to stop.`);
      await untilSignal();
      await emulator.stop();
    });
}
