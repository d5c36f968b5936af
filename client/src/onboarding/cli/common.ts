import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, win32 } from 'node:path';
import type { Command } from 'commander';
import { ConfigurationError } from '../../errors';
import { ExitCode } from '../../cli/exitCodes';
import { SqliteTokenStore } from '../../store';
import { OnboardingOrchestrator } from '../orchestrator';
import type { StepError } from '../types';

export const STORE_ENV = 'SUITEBRIDGE_STORE';
/** Where the CLI kept its store before the per-user default (relative to the current directory); still used when present. */
export const LEGACY_STORE_PATH = '.suitebridge/tokens.db';

/**
 * The per-user default store, independent of the current directory: `%APPDATA%\suitebridge\tokens.db` on Windows,
 * else `$XDG_DATA_HOME/suitebridge/tokens.db` (an absolute XDG_DATA_HOME only, as the XDG spec says), else
 * `~/.local/share/suitebridge/tokens.db`.
 */
export function defaultStorePath(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), 'suitebridge', 'tokens.db');
  const xdg = env.XDG_DATA_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), 'suitebridge', 'tokens.db');
}

export function storeOption(command: Command): Command {
  return command.option('--store <path>', `encrypted token store (SQLite; key from SUITEBRIDGE_SECRET_KEY or <path>.key) [env ${STORE_ENV}, default ${defaultStorePath()}]`);
}

/** --store, else SUITEBRIDGE_STORE, else ./.suitebridge/tokens.db when an older CLI left one there, else the per-user default. */
export function storePathOf(flags: { store?: string }, env: NodeJS.ProcessEnv = process.env): string {
  const given = flags.store ?? env[STORE_ENV];
  if (given !== undefined) return resolve(given);
  return existsSync(resolve(LEGACY_STORE_PATH)) ? resolve(LEGACY_STORE_PATH) : defaultStorePath(env);
}

/**
 * Opens the CLI's store. Only `onboard` may create one (`create`), and only inside an existing directory (or the
 * default `.suitebridge/`), saying so on stderr: a mistyped --store must not quietly become a new, empty store.
 */
export function openStore(flags: { store?: string }, o: { create?: boolean } = {}): SqliteTokenStore {
  const path = storePathOf(flags);
  const source = flags.store !== undefined ? '--store' : process.env[STORE_ENV] !== undefined ? STORE_ENV : 'the default store path';
  if (!existsSync(path)) {
    if (!o.create) {
      throw new ConfigurationError('INVALID_ARGUMENT', `No token store at ${path} (${source}); nothing was created.`, {
        field: '--store',
        remedy: 'Check the path for typos (`suitebridge tenants list --store <path>` shows what a store holds); `suitebridge onboard` creates a store on first use.',
      });
    }
    const isDefault = path === defaultStorePath();
    if (isDefault) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    else if (!existsSync(dirname(path))) {
      throw new ConfigurationError('INVALID_ARGUMENT', `The directory of the token store ${path} (${source}) does not exist; nothing was created.`, {
        field: '--store',
        remedy: 'Check the path for typos, or create the directory first if a new store there is what you want.',
      });
    }
    process.stderr.write(`note: creating a new token store at ${path}\n`);
  }
  return new SqliteTokenStore({ path });
}

/** Runs `work` with an orchestrator on the CLI's existing store and closes the store afterwards. */
export async function withOrchestrator<T>(flags: { store?: string }, work: (o: OnboardingOrchestrator) => Promise<T>): Promise<T> {
  return runWithStore(openStore(flags), work);
}

/** Like withOrchestrator, but creates the store when it does not exist yet (`onboard`). */
export async function withOrchestratorCreatingStore<T>(flags: { store?: string }, work: (o: OnboardingOrchestrator) => Promise<T>): Promise<T> {
  return runWithStore(openStore(flags, { create: true }), work);
}

async function runWithStore<T>(store: SqliteTokenStore, work: (o: OnboardingOrchestrator) => Promise<T>): Promise<T> {
  try {
    return await work(new OnboardingOrchestrator({ store }));
  } finally {
    await store.close();
  }
}

export const CLIENT_SECRET_ENV = 'SUITEBRIDGE_CLIENT_SECRET';
export const CLIENT_SECRET_HELP =
  `client secret of a confidential record; better: env ${CLIENT_SECRET_ENV} or --client-secret-file, since a flag's value is visible to every user in the process list (ps)`;

/**
 * The client secret from --client-secret-file, env SUITEBRIDGE_CLIENT_SECRET or --client-secret (shown in `ps`:
 * accepted, with a warning). Two sources at once is a usage error rather than a silent pick.
 */
export function clientSecretOf(flags: { clientSecret?: string; clientSecretFile?: string }): string | undefined {
  if (flags.clientSecret !== undefined && flags.clientSecretFile !== undefined) {
    throw new ConfigurationError('INVALID_ARGUMENT', '--client-secret and --client-secret-file were both given.', {
      field: '--client-secret-file',
      remedy: `Keep --client-secret-file (or env ${CLIENT_SECRET_ENV}) and drop --client-secret.`,
    });
  }
  if (flags.clientSecretFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.clientSecretFile, 'utf8');
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      throw new ConfigurationError('INVALID_ARGUMENT', `--client-secret-file: cannot read ${flags.clientSecretFile}${typeof code === 'string' ? ` (${code})` : ''}.`, {
        field: '--client-secret-file',
        cause,
        remedy: 'Pass a file holding only the client secret, readable by this user (chmod 600).',
      });
    }
    const secret = text.replace(/\r?\n$/, '');
    if (secret.trim() === '' || /[\r\n]/.test(secret)) {
      throw new ConfigurationError('INVALID_ARGUMENT', `--client-secret-file ${flags.clientSecretFile} must hold the client secret on one line.`, {
        field: '--client-secret-file',
        remedy: 'Write only the secret shown when the integration record was saved, on a single line.',
      });
    }
    return secret;
  }
  if (flags.clientSecret !== undefined) {
    process.stderr.write(`warning: --client-secret is visible to other users in the process list; use env ${CLIENT_SECRET_ENV} or --client-secret-file.\n`);
    return flags.clientSecret;
  }
  const fromEnv = process.env[CLIENT_SECRET_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

export function isJson(command: Command): boolean {
  return command.optsWithGlobals<{ json?: boolean }>().json === true;
}

/** Exit code for a step that failed (the error is recorded in the tenant, not thrown). */
export function exitCodeForStepError(error: StepError | undefined): ExitCode {
  const code = error?.code ?? '';
  if (code === 'TOKEN_REQUEST_FAILED' || code.startsWith('AUTHORIZATION_') || code === 'STATE_MISMATCH') return ExitCode.AUTH;
  if (code === 'NETSUITE_ERROR') return ExitCode.NETSUITE;
  if (code === 'NETWORK_ERROR' || code === 'TIMEOUT') return ExitCode.NETWORK;
  if (code === 'NETSUITE_UNAVAILABLE') return ExitCode.UNAVAILABLE;
  if (code === 'ONBOARDING_FAILED') return ExitCode.CHECK_FAILED;
  if (code === 'INVALID_ARGUMENT' || code === 'INVALID_ACCOUNT_ID' || code === 'INSECURE_URL') return ExitCode.USAGE;
  return ExitCode.FAILURE;
}

export function parsePositiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${flag} must be a positive whole number, got "${value}".`, { field: flag, remedy: `Pass e.g. ${flag} 100.` });
  }
  return n;
}

/**
 * A whole number within [min, max]. Bounds keep values usable: a timer above Node's limit (2^31-1 ms, ~24.8 days)
 * fires at once, which turned a huge --poll-seconds into a busy loop of install checks.
 */
export function parseBoundedInt(value: string, flag: string, min: number, max: number, unit: string): number {
  const n = /^\s*[0-9]+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${flag} must be a whole number of ${unit} from ${min} to ${max}, got "${String(value).slice(0, 40)}".`, {
      field: flag,
      remedy: `Pass e.g. ${flag} ${Math.min(max, Math.max(min, 15))}.`,
    });
  }
  return n;
}

export function requireTenant(flags: { tenant?: string }): string {
  if (!flags.tenant) {
    throw new ConfigurationError('INVALID_ARGUMENT', '--tenant is required.', { field: '--tenant', remedy: 'Pass --tenant <name>; `suitebridge tenants list` shows them.' });
  }
  return flags.tenant;
}

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** `suitebridge demo | head` closes stdout early; stop quietly instead of crashing on EPIPE. */
export function quietOnClosedStdout(): void {
  if (process.stdout.listenerCount('error') > 0) return;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    // Cut short: the outcome was never reported, so it does not count as success.
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 1);
    throw err;
  });
}
