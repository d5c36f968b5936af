import type { ResolvedConfig } from './config/types';
import type { SqliteAccountDirectory } from './data/directory';
import { accountOrigins, type AccountOrigins } from './hosts';

/** What `--seed-out` writes and `GET /__emulator/seed` returns (docs/architecture.md). Contains test secrets on purpose. */
export interface SeedInfo {
  /** The bare origin: admin API, and the `baseUrl` a client maps to the per-account hosts. */
  baseUrl: string;
  bundleId: string;
  /** `hosts`: the account's app, suitetalk and restlets origins (`http://<hostId>.<kind>.localhost:<port>`). */
  accounts: { accountId: string; environment: string; concurrencyLimit: number; hosts: AccountOrigins }[];
  integrations: {
    name: string; accountId: string; clientId: string; clientSecret: string | null; publicClient: boolean;
    redirectUris: string[]; scopes: string[]; grants: string[]; allowClientCredentialsForPublicClient: boolean;
    refreshTokenValidityHours: number; maxRotationHours: number; consentPolicy: string;
  }[];
  users: {
    accountId: string; entityId: number; name: string; email: string; password: string;
    roles: { internalId: number; scriptId: string; name: string }[];
  }[];
}

export function buildSeedInfo(baseUrl: string, config: ResolvedConfig, directory: SqliteAccountDirectory): SeedInfo {
  return {
    baseUrl,
    bundleId: config.bundleId,
    accounts: config.accounts.map((a) => ({
      accountId: a.accountId, environment: a.environment, concurrencyLimit: a.concurrencyLimit, hosts: accountOrigins(baseUrl, a.accountId, config.hostRouting),
    })),
    integrations: config.integrations.map((i) => ({
      name: i.name, accountId: i.accountId, clientId: i.clientId, clientSecret: i.clientSecret ?? null,
      publicClient: i.publicClient, redirectUris: i.redirectUris, scopes: i.scopes, grants: i.grants,
      allowClientCredentialsForPublicClient: i.allowClientCredentialsForPublicClient,
      refreshTokenValidityHours: i.refreshTokenValidityHours, maxRotationHours: i.maxRotationHours, consentPolicy: i.consentPolicy,
    })),
    users: config.accounts.flatMap((a) => a.employees.map((e) => ({
      accountId: a.accountId, entityId: e.entityId, name: e.name, email: e.email, password: e.password ?? '',
      roles: directory.rolesOf(a.accountId, e.entityId).map((r) => ({ internalId: r.internalId, scriptId: r.scriptId, name: r.name })),
    }))),
  };
}
