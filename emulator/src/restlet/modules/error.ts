/** N/error (0 units). */
import { SuiteScriptError } from '../errors';

const Type = Object.freeze({
  SSS_MISSING_REQD_ARGUMENT: 'SSS_MISSING_REQD_ARGUMENT',
  SSS_INVALID_TYPE_ARG: 'SSS_INVALID_TYPE_ARG',
  INSUFFICIENT_PERMISSION: 'INSUFFICIENT_PERMISSION',
  RCRD_DSNT_EXIST: 'RCRD_DSNT_EXIST',
  SSS_USAGE_LIMIT_EXCEEDED: 'SSS_USAGE_LIMIT_EXCEEDED',
});

export function createErrorModule(): Record<string, unknown> {
  return {
    Type,
    SuiteScriptError,
    create(options: unknown): SuiteScriptError {
      const o = (options ?? {}) as Record<string, unknown>;
      if (typeof o['name'] !== 'string' || o['name'] === '') {
        throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', 'error.create: Missing a required argument: name');
      }
      const message = typeof o['message'] === 'string' ? o['message'] : String(o['message'] ?? '');
      return new SuiteScriptError(o['name'], message, { notifyOff: o['notifyOff'] === true });
    },
  };
}
