/** What the tools/sdf command-line entry points share: reading `--name value` options and the exit-code contract. */

/** Value of `--name value` in args; undefined when the option is absent. */
export function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

/**
 * Runs main with the process arguments and sets its result as the exit code. Anything thrown (bad usage, unreadable
 * project) is printed as `<command>: <message>` and exits 2, apart from the 1 of a project that fails its checks.
 */
export function runCli(command: string, main: (args: string[]) => number): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error(`${command}: ${(e as Error).message}`);
    process.exitCode = 2;
  }
}
