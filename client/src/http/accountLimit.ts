import type { GovernanceLimits } from '../resources/governance';
import { usableConcurrency } from './usableConcurrency';

/** What onboarding learned about the account's concurrency limit (stored with the tenant). */
export interface LearnedAccountLimit {
  /** The limit SuiteBridge may size its limiter from before keeping a share free. */
  limit: number;
  /**
   * integration: the administrator reserved this limit for our integration (nothing to keep free);
   * unallocated: what no integration has reserved, shared with the customer's other integrations;
   * account: the account limit (no unallocated figure in the answer).
   */
  source: 'integration' | 'unallocated' | 'account';
  at: string;
}

/**
 * The limit to use from a governanceLimits answer: the integration-specific limit when one is reserved for this
 * integration, otherwise the unallocated limit (0 means every slot is reserved for others: 1 is the least we can
 * run with), otherwise the account limit.
 */
export function accountLimitFrom(limits: GovernanceLimits, at: string): LearnedAccountLimit {
  if (limits.integrationConcurrencyLimit !== undefined) return { limit: limits.integrationConcurrencyLimit, source: 'integration', at };
  if (limits.unallocatedConcurrencyLimit !== undefined) return { limit: Math.max(1, limits.unallocatedConcurrencyLimit), source: 'unallocated', at };
  return { limit: limits.accountConcurrencyLimit, source: 'account', at };
}

/**
 * Slots for the limiter or the Redis semaphore: a reserved integration limit is ours entirely; a shared
 * (unallocated or account) limit keeps `keepFreeShare` free for the customer's other integrations.
 */
export function usableLimit(learned: Pick<LearnedAccountLimit, 'limit' | 'source'>, keepFreeShare: number): number {
  return usableConcurrency(learned.limit, learned.source === 'integration' ? 0 : keepFreeShare);
}
