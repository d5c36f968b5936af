/**
 * Named points in the onboarding where a test can kill the process (SUITEBRIDGE_TEST_CRASH_AT=<name>).
 * Test-only: used by test/e2e/onboarding-crash.test.ts to prove every step resumes after kill -9.
 */
export const CHECKPOINTS = [
  'authorize:pending-saved',
  'authorize:exchange-recorded',
  'authorize:tokens-received',
  'authorize:done',
  'bundle:checked',
  'bundle:done',
  'certificate:key-saved',
  'certificate:role-assigned',
  'certificate:uploaded',
  'certificate:id-saved',
  'certificate:token-minted',
  'certificate:done',
  'finalize:config-seeded',
  'finalize:metadata-saved',
  'finalize:revoked',
  'finalize:done',
] as const;
export type Checkpoint = (typeof CHECKPOINTS)[number];

export const CRASH_ENV = 'SUITEBRIDGE_TEST_CRASH_AT';

/** Default hook: SIGKILL ourselves at the checkpoint named in the environment (nothing otherwise). */
export function envCrashHook(env: NodeJS.ProcessEnv = process.env): (checkpoint: Checkpoint) => void {
  const target = env[CRASH_ENV];
  if (!target) return () => undefined;
  return (checkpoint) => {
    if (checkpoint === target) process.kill(process.pid, 'SIGKILL');
  };
}
