import { ConfigurationError, ErrorCode } from '../errors';
import type * as EmulatorModule from '../../../emulator/src/index';

export const EMULATOR_PACKAGE = '@suitebridge/emulator';

function isMissing(err: unknown, specifier: string): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${specifier}'`);
}

/**
 * The emulator behind `suitebridge emulator` and the demo, loaded on use. In the repository it is the emulator next
 * to the client; the published `suitebridge` package does not contain it, so there it is the `@suitebridge/emulator`
 * package installed beside it (which runs the SDF project it ships by default). Neither: a ConfigurationError
 * naming the package to install.
 */
export function loadEmulatorModule(what: string, alternative?: string): typeof EmulatorModule {
  try {
    // Literal specifiers: tools/packages/build.mjs reads them (optional peer, allowed missing file).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../../emulator/src/index') as typeof EmulatorModule;
  } catch (err) {
    if (!isMissing(err, '../../../emulator/src/index')) throw err;
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@suitebridge/emulator') as typeof EmulatorModule;
  } catch (err) {
    if (!isMissing(err, EMULATOR_PACKAGE)) throw err;
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `${what} needs the optional package ${EMULATOR_PACKAGE}, which is not installed.`, {
      field: what,
      remedy: `Install it next to suitebridge: npm install --save-dev ${EMULATOR_PACKAGE}${alternative ? `; ${alternative}` : ''}`,
      cause: err,
    });
  }
}
