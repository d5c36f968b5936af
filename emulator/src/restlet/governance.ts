/** Usage-unit metering with NetSuite's costs (reference sdf-suitescript.md §3.6). */
import { UsageLimitExceededError } from './errors';

export const USAGE_LIMITS = { RESTLET: 5000, BUNDLE_INSTALLATION: 10000 } as const;

export type RecordCostClass = 'transaction' | 'standard' | 'custom';

export const UNIT_COSTS = {
  recordLoad: { transaction: 10, standard: 5, custom: 2 },
  recordSave: { transaction: 20, standard: 10, custom: 4 },
  // Record.delete is not annotated in Oracle's stubs; historically it costs what save costs (UNCERTAIN).
  recordDelete: { transaction: 20, standard: 10, custom: 4 },
  runSuiteQL: 10,
  lookupFields: 1,
  searchResultPage: 10,
  searchLoad: 5,
  suiteAppIs: 5,
  suiteAppList: 10,
} as const;

export class GovernanceMeter {
  private used = 0;
  /** Set once a call went over the limit; the host ends the script even if the script caught the error. */
  exceeded = false;

  constructor(readonly limit: number) {}

  consume(units: number): void {
    if (this.exceeded || this.used + units > this.limit) {
      this.exceeded = true;
      throw new UsageLimitExceededError(this.limit);
    }
    this.used += units;
  }

  get unitsUsed(): number {
    return this.used;
  }

  get remaining(): number {
    return this.limit - this.used;
  }
}
