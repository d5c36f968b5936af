/** Documented exit codes of the `suitebridge` CLI (docs/operator.md, "Exit codes"). */
export const ExitCode = {
  OK: 0,
  /** Anything unexpected. */
  FAILURE: 1,
  /** Bad flags or arguments; the message names the flag. */
  USAGE: 2,
  /** The token endpoint refused: invalid_grant, invalid_client, consent denied. */
  AUTH: 3,
  /** A RESTlet or REST web services call failed with a NetSuite error. */
  NETSUITE: 4,
  /** Network failure, timeout or an answer cut off mid-way, after retries: try again. */
  NETWORK: 5,
  /** A check (install check, health, onboarding step) ran and reported a failure. */
  CHECK_FAILED: 6,
  /** NetSuite unavailable, try again: the token endpoint answered 429 or 5xx after retries (nothing is wrong with the credentials). */
  UNAVAILABLE: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
