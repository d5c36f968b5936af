import { SuiteBridgeError } from '../errors';

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
