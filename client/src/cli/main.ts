import { Command, CommanderError } from 'commander';
import { ExitCode } from './exitCodes';
import { commandModules } from './commands';
import { missingPackageError } from './optionalPackages';
import { reportError } from './output';

export function buildProgram(): Command {
  const program = new Command('suitebridge')
    .description('NetSuite OAuth 2.0 integration kit: tokens, certificates, onboarding and a local NetSuite emulator')
    .option('--json', 'machine-readable JSON output')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commandModules) register(program);
  return program;
}

/** Runs the CLI and resolves to the exit code; never calls process.exit itself. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.OK;
      return ExitCode.USAGE;
    }
    const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
    return reportError(missingPackageError(err, `suitebridge ${command ?? ''}`.trim()) ?? err, program.opts<{ json?: boolean }>().json === true);
  }
}
