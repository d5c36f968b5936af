import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigurationError } from '../../errors';
import { ExitCode } from '../../cli/exitCodes';
import { SqliteTokenStore } from '../../store';
import { OnboardingOrchestrator } from '../orchestrator';
import type { StepError } from '../types';

export const STORE_ENV = 'SUITEBRIDGE_STORE';
export const DEFAULT_STORE_PATH = '.suitebridge/tokens.db';

export function storeOption(command: Command): Command {
  return command.option('--store <path>', `encrypted token store (SQLite; key from SUITEBRIDGE_SECRET_KEY or <path>.key) [env ${STORE_ENV}, default ${DEFAULT_STORE_PATH}]`);
}

export function storePathOf(flags: { store?: string }): string {
  return resolve(flags.store ?? process.env[STORE_ENV] ?? DEFAULT_STORE_PATH);
}

export function openStore(flags: { store?: string }): SqliteTokenStore {
  const path = storePathOf(flags);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return new SqliteTokenStore({ path });
}

/** Runs `work` with an orchestrator on the CLI's store and closes the store afterwards. */
export async function withOrchestrator<T>(flags: { store?: string }, work: (o: OnboardingOrchestrator) => Promise<T>): Promise<T> {
  const store = openStore(flags);
  try {
    return await work(new OnboardingOrchestrator({ store }));
  } finally {
    await store.close();
  }
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
