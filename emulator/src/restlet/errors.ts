/** Errors of the RESTlet host: the SuiteScript error scripts see, and host-side failures. */
import { randomUUID } from 'node:crypto';

/** What N/error creates and what the emulated N modules throw; mirrors NetSuite's `error.SuiteScriptError`. */
export class SuiteScriptError extends Error {
  readonly type = 'error.SuiteScriptError';
  readonly id: string;
  readonly notifyOff: boolean;
  readonly userFacing = true;
  override readonly cause: unknown;

  constructor(name: string, message: string, options: { notifyOff?: boolean; cause?: unknown } = {}) {
    super(message);
    this.name = name;
    this.id = randomUUID();
    this.notifyOff = options.notifyOff ?? false;
    this.cause = options.cause;
  }

  toJSON(): Record<string, unknown> {
    return { type: this.type, name: this.name, message: this.message, id: this.id, notifyOff: this.notifyOff };
  }
}

/** Thrown when a metered call would exceed the script's usage limit; the host ends the script. */
export class UsageLimitExceededError extends SuiteScriptError {
  constructor(limit: number) {
    super('SSS_USAGE_LIMIT_EXCEEDED', `Script Execution Usage Limit Exceeded (limit ${limit} units).`);
  }
}

export function permissionViolation(what: string): SuiteScriptError {
  return new SuiteScriptError(
    'INSUFFICIENT_PERMISSION',
    `Permission Violation: You need a higher level of the '${what}' permission to access this page. ` +
      'Please contact your account administrator.',
  );
}

/** The SDF project on disk is unreadable or inconsistent. */
export class SdfProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdfProjectError';
  }
}

/** A bundle install, update or uninstall was refused or aborted; the message is shown to the installer. */
export class BundleInstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleInstallError';
  }
}
