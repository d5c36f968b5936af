import type { EmulatorConfig } from '../../../emulator/src/index';

type Integration = NonNullable<EmulatorConfig['integrations']>[number];

/**
 * Integration records for tests that need more than the default seed (a public auth-code record and a confidential
 * client-credentials record per account). Names match the default seed so the harness finds them.
 */
export const publicAuthCodeRecord = (accountId = '1234567'): Integration =>
  ({ name: 'SuiteBridge (public)', accountId, publicClient: true, grants: ['authorization_code'] });

/** A confidential record with both grants: Oracle allows it (only public clients are refused client credentials). */
export const confidentialBothGrantsRecord = (accountId = '1234567'): Integration =>
  ({ name: 'SuiteBridge (confidential)', accountId, publicClient: false, grants: ['authorization_code', 'client_credentials'] });

/** The default accounts with a public auth-code record and a confidential record that has both grants. */
export function bothGrantsConfig(extra: EmulatorConfig = {}): EmulatorConfig {
  return { integrations: [publicAuthCodeRecord(), confidentialBothGrantsRecord()], ...extra };
}
