import * as error from 'N/error';
import * as log from 'N/log';

export type SbrErrorCode =
  | 'SBR_INVALID_BODY'
  | 'SBR_UNKNOWN_FIELD'
  | 'SBR_INVALID_ENTITY'
  | 'SBR_INVALID_BUNDLE_ID'
  | 'SBR_INVALID_KEY'
  | 'SBR_INVALID_VALUE'
  | 'SBR_INVALID_ENTRIES'
  | 'SBR_TOO_MANY_ENTRIES'
  | 'SBR_FORBIDDEN'
  | 'SBR_ENTITY_NOT_FOUND'
  | 'SBR_EMPLOYEE_SAVE_FAILED'
  | 'SBR_APP_ROLE_MISSING'
  | 'SBR_APP_ROLE_INACTIVE'
  | 'SBR_FEATURE_DISABLED'
  | 'SBR_INTERNAL';

export function sbrError(code: SbrErrorCode, message: string): error.SuiteScriptError {
  return error.create({ name: code, message, notifyOff: true });
}

export function isSbrError(e: unknown): boolean {
  const name = typeof e === 'object' && e !== null ? (e as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.startsWith('SBR_');
}

/** Name and message only: stacks and causes stay out of logs that callers might be shown. */
export function describeError(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    return `${String(name ?? 'Error')}: ${String(message ?? '')}`;
  }
  return String(e);
}

/**
 * Wraps an entry point. Our own SBR_* errors reach the caller unchanged; anything else is logged and
 * replaced by a generic SBR_INTERNAL error, so no stack trace or internal detail leaves the script.
 */
export function guarded<A extends unknown[], R>(scriptName: string, entry: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return entry(...args);
    } catch (e) {
      if (isSbrError(e)) throw e;
      log.error({ title: `${scriptName}: unexpected error`, details: describeError(e) });
      throw sbrError('SBR_INTERNAL', `${scriptName} failed unexpectedly; see the script's execution log in NetSuite.`);
    }
  };
}
