import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { ConfigurationError } from '../errors';
import { OnboardingOrchestrator } from '../onboarding';
import { SqliteTokenStore } from '../store';
import { MemoryTokenStore } from '../store/memory';
import type { TokenStore } from '../store/types';
import { generateLoopbackCertificate } from '../tls/loopbackCertificate';
import { buildConsoleApp } from './app';
import type { ConsoleBackend } from './backend';
import type { ConsoleContext } from './context';
import { LoginThrottle } from './loginThrottle';
import { OnboardingLinks, type IssuedOnboardingLink } from './onboardingLinks';
import { resolveOperatorCredential } from './operatorCredential';
import { OrchestratorBackend, type ConsoleTenantDefaults } from './orchestratorBackend';
import { validateConsoleOptions, type ConsoleOptions } from './options';
import { SessionStore } from './session';

export type { ConsoleOptions, ConsoleOnboardingOptions, ConsoleOperatorOptions, ConsoleFleetDeps } from './options';
export type { ConsoleFleet, FleetRow, FleetPage, FleetQuery, FleetTenantDetail, RepairView, CertificateSlot, DeliveryView } from './fleet';
export type { ConsoleBackend } from './backend';
export { buildConsoleApp } from './app';
export { OrchestratorBackend } from './orchestratorBackend';
export { escapeHtml, html } from './html';
export { hashOperatorPassword, verifyOperatorPassword } from './operatorCredential';
export { createOnboardingLink, OnboardingLinks, type IssuedOnboardingLink } from './onboardingLinks';

export interface RunningConsole {
  /** The https URL browsers use, e.g. https://127.0.0.1:3030 */
  url: string;
  /** The redirect URI the public integration record must list: `<url>/callback`. */
  redirectUri: string;
  /** SHA-256 of the throwaway certificate (colon hex) when the console made one; compare it with the browser's. */
  certificateFingerprint?: string;
  /** How it serves: its own throwaway certificate, the given one, or plain http behind a TLS proxy. */
  tls: 'throwaway' | 'certificate' | 'proxy';
  /** Issues a link that opens only this account's onboarding (shown once; only its hash is stored). */
  createOnboardingLink(accountId: string, options?: { ttlHours?: number }): Promise<IssuedOnboardingLink>;
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
  if (o.singleRecord) defaults.singleRecord = true;
  if (o.refreshTokenValidityHours !== undefined) defaults.refreshTokenValidityHours = o.refreshTokenValidityHours;
  return defaults;
}

function openStore(path: string, secretKey: Buffer | undefined): TokenStore {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  return new SqliteTokenStore({ path, ...(secretKey ? { secretKey } : {}) });
}

/**
 * Where POST /connect may redirect to (CSP form-action): NetSuite's login hosts, or the emulator, whose hosts are
 * `<account>.app.localhost:<port>` virtual hosts (or its own origin in single-origin mode).
 */
function authorizeOrigins(options: ConsoleOptions): string[] {
  const baseUrl = options.onboarding?.baseUrl;
  if (!baseUrl) return ['https://*.app.netsuite.com', 'https://system.netsuite.com'];
  const base = new URL(baseUrl);
  const origins = [base.origin];
  if (['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname) || base.hostname.endsWith('.localhost')) {
    origins.push(`${base.protocol}//*.localhost${base.port ? `:${base.port}` : ''}`);
  }
  return origins;
}

/** Starts the onboarding web console: https on loopback by default. */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  validateConsoleOptions(options);
  const operator = await resolveOperatorCredential(options.operator);
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? { now: () => Date.now() };
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const ownedStore = !options.backend && !options.orchestrator && !options.store && options.storePath ? openStore(options.storePath, options.storeSecretKey) : undefined;
  const throwaway = !options.https && !options.behindTlsProxy ? await generateLoopbackCertificate(new Date(clock.now())) : undefined;
  const tls = options.https ?? (throwaway ? { key: throwaway.key, cert: throwaway.cert } : undefined);

  // The public URL and redirect URI depend on the bound port (port 0 in tests): filled in after listen.
  const ctx: ConsoleContext = {
    backend: undefined as unknown as ConsoleBackend,
    sessions: new SessionStore(clock),
    clock,
    publicUrl: '',
    redirectUri: '',
    operator,
    loginThrottle: new LoginThrottle(clock),
    links: new OnboardingLinks(options.store ?? ownedStore ?? new MemoryTokenStore(), clock),
    secureCookies: true,
  };
  const allowedHosts: string[] = [];
  const allowedOrigins: string[] = [];
  const app = buildConsoleApp(ctx, {
    allowedHosts,
    allowedOrigins,
    formActionOrigins: authorizeOrigins(options),
    ...(tls ? { https: tls } : {}),
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
        remedy: 'Stop the other process, or pick another port with --port and add https://127.0.0.1:<port>/callback to the public integration record.',
      });
    }
    throw err;
  }
  const port = (app.server.address() as AddressInfo).port;
  const publicUrl = options.publicUrl ? new URL(options.publicUrl).origin : `https://${hostInUrl}:${port}`;
  allowedHosts.push(new URL(publicUrl).host);
  allowedOrigins.push(publicUrl);
  if (!options.publicUrl) {
    // The throwaway certificate names 127.0.0.1 and localhost; both reach the console.
    for (const name of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      if (!allowedHosts.includes(name)) {
        allowedHosts.push(name);
        allowedOrigins.push(`https://${name}`);
      }
    }
  }
  ctx.publicUrl = publicUrl;
  ctx.redirectUri = `${publicUrl}/callback`;
  if (options.backend) {
    ctx.backend = options.backend;
  } else {
    const orchestrator =
      options.orchestrator ??
      new OnboardingOrchestrator({ store: (options.store ?? ownedStore)!, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
    ctx.backend = new OrchestratorBackend(orchestrator, tenantDefaults(options, ctx.redirectUri), clock);
  }

  if (typeof options.fleet === 'function') {
    const store = options.store ?? ownedStore;
    if (!store) {
      await app.close();
      await ctx.backend.close?.();
      throw new ConfigurationError('INVALID_ARGUMENT', 'The console\'s fleet needs the token store the tenants are kept in.', {
        field: 'fleet',
        remedy: 'Pass `store` (or `storePath`) with `fleet`, or pass a fleet object instead of a function.',
      });
    }
    ctx.fleet = options.fleet({ store, clock, ...(options.fetch ? { fetch: options.fetch } : {}) });
  } else if (options.fleet) {
    ctx.fleet = options.fleet;
  }

  let stopped: Promise<void> | undefined;
  return {
    url: publicUrl,
    redirectUri: ctx.redirectUri,
    tls: throwaway ? 'throwaway' : options.behindTlsProxy ? 'proxy' : 'certificate',
    ...(throwaway ? { certificateFingerprint: throwaway.sha256Fingerprint } : {}),
    createOnboardingLink: (accountId, o = {}) =>
      ctx.links.issue({ accountId, consoleUrl: ctx.publicUrl, ...(o.ttlHours !== undefined ? { ttlHours: o.ttlHours } : {}) }),
    stop: () =>
      (stopped ??= (async () => {
        await app.close();
        await ctx.backend.close?.();
        await ownedStore?.close();
      })()),
  };
}
