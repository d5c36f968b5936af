import { ConfigurationError, ErrorCode } from '../errors';

// A pure function, apart from the Redis semaphore module so that using it (onboarding, accountLimit) loads no ioredis.
/**
 * The slots this integration may use: the account limit minus the share kept free for the customer's other
 * integrations (rounded in their favour), at least 1. `keepFreeShare` 0.2 of a limit of 5 leaves 4.
 * Pass the integration-specific limit with share 0 when the administrator reserved one for this integration.
 */
export function usableConcurrency(accountLimit: number, keepFreeShare = 0): number {
  if (!Number.isInteger(accountLimit) || accountLimit < 1) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `accountLimit must be a positive integer, got ${String(accountLimit)}.`, {
      field: 'accountLimit',
      remedy: 'Use the account concurrency limit from Setup > Integration > Integration Governance (5 for the Standard tier).',
    });
  }
  if (typeof keepFreeShare !== 'number' || !(keepFreeShare >= 0 && keepFreeShare < 1)) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `keepFreeShare must be a fraction from 0 up to (not including) 1, got ${String(keepFreeShare)}.`, {
      field: 'keepFreeShare',
      remedy: 'For example 0.2 keeps a fifth of the account limit free for the customer\'s other integrations.',
    });
  }
  const keptFree = Math.ceil(accountLimit * keepFreeShare - 1e-9);
  return Math.max(1, accountLimit - keptFree);
}
