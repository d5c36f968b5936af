import type { Command } from 'commander';
import { isJson, openStore, parsePositiveInt, storeOption } from '../../../client/src/onboarding/cli/common';
import type { KeyValueStore } from '../../../client/src/onboarding/repository';
import { printResult } from '../../../client/src/cli/output';
import { ConfigurationError } from '../../../client/src/errors';
import { ApiKeyStore, API_KEY_SCOPES } from './apiKeys';

const POSTGRES_ENV = 'SUITEBRIDGE_POSTGRES_URL';
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The service's store: PostgreSQL with --postgres (or its env), else the CLI's SQLite store (as `serve` opens it). */
function openKeyStore(flags: { store?: string; postgres?: string }): KeyValueStore & { close(): Promise<void> | void } {
  const postgres = flags.postgres ?? process.env[POSTGRES_ENV];
  if (postgres) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgresTokenStore } = require('../../../client/src/store/postgres') as typeof import('../../../client/src/store/postgres');
    return new PostgresTokenStore({ postgres });
  }
  return openStore(flags);
}

async function withKeys<T>(flags: { store?: string; postgres?: string }, work: (keys: ApiKeyStore) => Promise<T>): Promise<T> {
  const store = openKeyStore(flags);
  try {
    return await work(new ApiKeyStore(store));
  } finally {
    await store.close();
  }
}

/** `suitebridge api-keys create|list|revoke`: keys for systems that call the service's /v1 API. */
export function registerApiKeyCommands(program: Command): void {
  const group = program.command('api-keys').description('API keys for systems calling the service\'s /v1 API and NetSuite proxy (docs/operator.md, "HTTP API and proxy")');
  const withStore = (c: Command) => storeOption(c.option('--postgres <url>', `the service's PostgreSQL store [env ${POSTGRES_ENV}]`));

  withStore(
    group
      .command('create')
      .requiredOption('--name <name>', 'the calling system, e.g. billing-backend')
      .option('--scope <scope>', `${API_KEY_SCOPES.join(' | ')} (repeatable)`, collect)
      .option('--tenant <name>', 'limit the key to this tenant (repeatable; default: every tenant)', collect)
      .option('--rate-limit-per-minute <n>', 'requests per minute for this key (default: the service\'s, 600)')
      .description('Create a key; it is printed once and only its SHA-256 is stored'),
  ).action(async (flags: { name: string; scope?: string[]; tenant?: string[]; rateLimitPerMinute?: string; store?: string; postgres?: string }, cmd: Command) => {
    if (!flags.scope?.length) {
      throw new ConfigurationError('INVALID_ARGUMENT', 'api-keys create needs at least one --scope.', { field: '--scope', remedy: `Pass --scope with one of ${API_KEY_SCOPES.join(', ')} (repeatable).` });
    }
    const rate = flags.rateLimitPerMinute === undefined ? undefined : parsePositiveInt(flags.rateLimitPerMinute, '--rate-limit-per-minute');
    const created = await withKeys(flags, (keys) => keys.create({ name: flags.name, scopes: flags.scope ?? [], ...(flags.tenant ? { tenants: flags.tenant } : {}), ...(rate ? { rateLimitPerMinute: rate } : {}) }));
    printResult(isJson(cmd), created, () => `${created.key}\nAPI key ${created.record.id} (${created.record.scopes.join(', ')}${created.record.tenants ? `; tenants ${created.record.tenants.join(', ')}` : ''}). Shown once: store it in the calling system's secret store.`);
  });

  withStore(group.command('list').description('Keys with their scopes and tenants (never the keys)')).action(async (flags: { store?: string; postgres?: string }, cmd: Command) => {
    const list = await withKeys(flags, (keys) => keys.list());
    printResult(isJson(cmd), list, () =>
      list.length === 0 ? 'No API keys.' : list.map((k) => `${k.id}  ${k.revokedAt ? 'revoked' : 'active '}  ${k.name}  ${k.scopes.join(',')}${k.tenants ? `  tenants=${k.tenants.join(',')}` : ''}`).join('\n'));
  });

  withStore(group.command('revoke').argument('<id>', 'the key id (`api-keys list`)').description('Revoke a key at once')).action(async (id: string, flags: { store?: string; postgres?: string }, cmd: Command) => {
    const revoked = await withKeys(flags, (keys) => keys.revoke(id));
    if (!revoked) throw new ConfigurationError('INVALID_ARGUMENT', `No API key ${id}.`, { field: 'id', remedy: 'List keys with `suitebridge api-keys list`.' });
    printResult(isJson(cmd), { id, revoked: true }, () => `Revoked API key ${id}.`);
  });
}
