import { ConfigurationError } from '../../errors';

export function notFound(tenant: string): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', `No tenant named "${tenant}" in this store.`, {
    field: 'tenant',
    remedy: 'List tenants with `suitebridge tenants list` (same --store), or onboard it with `suitebridge onboard`.',
  });
}
