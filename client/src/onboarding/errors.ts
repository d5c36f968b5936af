import { AuthorizationError, SuiteBridgeError } from '../errors';

/** A step found a condition the customer must fix; `remedy` says how. */
export class OnboardingError extends SuiteBridgeError {
  constructor(message: string, remedy: string, options: { cause?: unknown } = {}) {
    super('ONBOARDING_FAILED', message, { remedy, ...options });
  }
}

/** The temporary (auth-code) access is gone: expired, revoked or lost; step 1 has to run again. */
export class ReauthorizationNeeded extends SuiteBridgeError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('AUTHORIZATION_FAILED', message, {
      remedy: 'Authorize again: open the new authorization URL (the onboarding resumes after it).',
      ...options,
    });
  }
}

/**
 * The administrator consented in another NetSuite account than the one being onboarded (the callback's `company`).
 * Its code is never exchanged: tokens of the wrong account must not end up in this tenant.
 */
export class AccountMismatchError extends AuthorizationError {
  constructor(
    readonly expectedAccount: string,
    readonly consentedAccount: string,
  ) {
    super(
      'AUTHORIZATION_FAILED',
      `The administrator consented in NetSuite account ${consentedAccount}, but this onboarding is for account ${expectedAccount}.`,
      {
        remedy:
          `Sign in to account ${expectedAccount} (sign out of ${consentedAccount} first, or switch account in NetSuite) and open the new authorization URL; ` +
          `if ${consentedAccount} is the account you meant, run the onboarding with --account ${consentedAccount} instead.`,
      },
    );
  }
}
