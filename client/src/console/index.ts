import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { ConfigurationError } from '../errors';
import { OnboardingOrchestrator } from '../onboarding';
import { SqliteTokenStore } from '../store';
import type { TokenStore } from '../store/types';
import { buildConsoleApp } from './app';
import type { ConsoleBackend } from './backend';
import type { ConsoleContext } from './context';
import { OrchestratorBackend, type ConsoleTenantDefaults } from './orchestratorBackend';
import { validateConsoleOptions, type ConsoleOptions } from './options';
import { SessionStore } from './session';

export type { ConsoleOptions, ConsoleOnboardingOptions } from './options';
export type { ConsoleBackend } from './backend';
export { buildConsoleApp } from './app';
export { OrchestratorBackend } from './orchestratorBackend';
export { escapeHtml, html } from './html';

export interface RunningConsole {
  /** e.g. http://127.0.0.1:3030 */
  url: string;
  /** The redirect URI the integration record must list: `<url>/callback`. */
  redirectUri: string;
  stop(): Promise<void>;
}

function tenantDefaults(options: ConsoleOptions, redirectUri: string): ConsoleTenantDefaults {
  const o = options.onboarding;
  const defaults: ConsoleTenantDefaults = {
    authClient: { clientId: o.authClientId, ...(o.authClientSecret ? { clientSecret: o.authClientSecret } : {}) },
    redirectUri,
  };
  if (o.ccClientId) defaults.ccClient = { clientId: o.ccClientId, ...(o.ccClientSecret ? { clientSecret: o.ccClientSecret } : {}) };
  if (o.scopes) defaults.scopes = o.scopes;
  if (o.bundleId) defaults.bundleId = o.bundleId;
  if (o.bundleInstallUrl) defaults.bundleInstallUrl = o.bundleInstallUrl;
  if (o.integrationEntity !== undefined) defaults.integrationEntity = o.integrationEntity;
  if (o.keyType) defaults.keyType = o.keyType;
  if (o.baseUrl) defaults.baseUrl = o.baseUrl;
  if (o.dangerouslyAllowInsecureHttp) defaults.dangerouslyAllowInsecureHttp = true;
  return defaults;
}

function openStore(path: string, secretKey: Buffer | undefined): TokenStore {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return new SqliteTokenStore({ path, ...(secretKey ? { secretKey } : {}) });
}

/** Where POST /connect may redirect to (CSP form-action): NetSuite's login hosts, or the emulator. */
function authorizeOrigins(options: ConsoleOptions): string[] {
  const baseUrl = options.onboarding?.baseUrl;
  return baseUrl ? [new URL(baseUrl).origin] : ['https://*.app.netsuite.com'];
}

/** Starts the onboarding web console on loopback. */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  validateConsoleOptions(options);
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? { now: () => Date.now() };
  const scheme = options.https ? 'https' : 'http';
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const ownedStore = !options.backend && !options.orchestrator && !options.store && options.storePath ? openStore(options.storePath, options.storeSecretKey) : undefined;

  // The redirect URI depends on the bound port (port 0 in tests), so the backend is attached after listen.
  const ctx: ConsoleContext = {
    backend: undefined as unknown as ConsoleBackend,
    sessions: new SessionStore(clock),
    clock,
    redirectUri: '',
    ...(options.onboarding?.accountId ? { accountId: options.onboarding.accountId } : {}),
  };
  const allowedHosts: string[] = [];
  const allowedOrigins: string[] = [];
  const app = buildConsoleApp(ctx, {
    allowedHosts,
    allowedOrigins,
    formActionOrigins: authorizeOrigins(options),
    secureCookies: options.https !== undefined,
    ...(options.https ? { https: options.https } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  try {
    await app.listen({ port: options.port ?? 3030, host });
  } catch (err) {
    await ownedStore?.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigurationError('INVALID_ARGUMENT', `Port ${options.port ?? 3030} on ${host} is in use.`, {
        field: 'port',
        cause: err,
        remedy: 'Stop the other process, or pick another port with --port and add http://127.0.0.1:<port>/callback to the integration record.',
      });
    }
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const url = `${scheme}://${hostInUrl}:${port}`;
  for (const name of [`${hostInUrl}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`]) {
    if (!allowedHosts.includes(name)) allowedHosts.push(name);
    allowedOrigins.push(`${scheme}://${name}`);
  }
  ctx.redirectUri = `${url}/callback`;
  if (options.backend) {
    ctx.backend = options.backend;
  } else {
    const orchestrator =
      options.orchestrator ??
      new OnboardingOrchestrator({ store: (options.store ?? ownedStore)!, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
    ctx.backend = new OrchestratorBackend(orchestrator, tenantDefaults(options, ctx.redirectUri), clock);
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    redirectUri: ctx.redirectUri,
    stop: () =>
      (stopped ??= (async () => {
        await app.close();
        await ctx.backend.close?.();
        await ownedStore?.close();
      })()),
  };
}
