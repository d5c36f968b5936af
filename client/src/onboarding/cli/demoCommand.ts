import type { Command } from 'commander';
import { ExitCode } from '../../cli/exitCodes';
import { runDemo } from '../demo';
import { ProgressPrinter } from '../progress';
import { isJson, out, parsePositiveInt, quietOnClosedStdout } from './common';

interface DemoFlags {
  emulatorUrl?: string;
  store?: string;
  tenant?: string;
  account?: string;
  entity?: string;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run the whole onboarding against the embedded NetSuite emulator with no human input, then M2M calls. Exit 0 only if every step succeeded.')
    .option('--emulator-url <url>', 'use an emulator that is already running instead of starting one in this process')
    .option('--store <path>', 'keep the tenant in this encrypted SQLite store (default: in memory)')
    .option('--tenant <name>', 'tenant name (default: the account ID)')
    .option('--account <id>', 'emulator account to onboard', '1234567')
    .option('--entity <id>', 'integration user other than the consenting administrator (the seed has 8, Ivy Integration)')
    .action(async (flags: DemoFlags, cmd: Command) => {
      const json = isJson(cmd);
      quietOnClosedStdout();
      const result = await runDemo({
        mode: ProgressPrinter.modeFor({ json, stream: process.stdout }),
        write: (t) => process.stdout.write(t),
        ...(flags.emulatorUrl ? { emulatorUrl: flags.emulatorUrl } : {}),
        ...(flags.store ? { storePath: flags.store } : {}),
        ...(flags.tenant ? { tenant: flags.tenant } : {}),
        ...(flags.account ? { accountId: flags.account } : {}),
        ...(flags.entity ? { entity: parsePositiveInt(flags.entity, '--entity') } : {}),
      });
      if (json) out(JSON.stringify({ event: 'result', ok: result.ok, automatedMs: Math.round(result.automatedMs), ...(result.failure ? { failure: result.failure } : {}) }));
      process.exitCode = result.ok ? ExitCode.OK : ExitCode.CHECK_FAILED;
    });
}
