/**
 * Tenants onboarded for real against an in-process emulator (the demo's unattended flow: the administrator's
 * browser is the form driver). The orchestrator's clock is the emulator's, so moving the emulator clock moves both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulatorWithServices, type EmulatorServices, type RunningEmulator } from '../../../emulator/src';
import { driveAuthorization, installBundleViaPage } from '../../../client/src/onboarding/formDriver';
import { OnboardingOrchestrator } from '../../../client/src/onboarding/orchestrator';
import type { KeyValueStore } from '../../../client/src/onboarding/repository';
import type { TenantView } from '../../../client/src/onboarding/view';
import { defaultFetch } from '../../../client/src/http/transport';

export const ACCOUNTS = ['1234567', '1234567_SB1', '7654321'] as const;

export interface Fleet {
  emulator: RunningEmulator;
  services: EmulatorServices;
  now: () => number;
  /** POST to the emulator admin API; returns the parsed JSON answer. */
  admin(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  newOrchestrator(store: KeyValueStore): OnboardingOrchestrator;
  onboard(orchestrator: OnboardingOrchestrator, tenant: string, accountId: string): Promise<TenantView>;
  /** Drives the customer's consent (and bundle page) until the tenant is completed again. */
  customerCompletes(orchestrator: OnboardingOrchestrator, tenant: string): Promise<TenantView>;
  stop(): Promise<void>;
}

export async function startFleet(o: { activeCertificatesPerIntegration?: number } = {}): Promise<Fleet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sbr-service-emulator-'));
  const { running, services } = await startEmulatorWithServices({
    port: 0,
    quiet: true,
    dataDir,
    config: {
      accounts: ACCOUNTS.map((accountId) => ({ accountId, customers: 10 })),
      ...(o.activeCertificatesPerIntegration ? { limits: { activeCertificatesPerIntegration: o.activeCertificatesPerIntegration } } : {}),
    },
  });
  const seed = running.seed as unknown as {
    bundleId?: string;
    integrations: { accountId: string; clientId: string; publicClient: boolean; grants: string[]; redirectUris: string[] }[];
    users: { accountId: string; email: string; password: string; roles: { internalId: number }[] }[];
  };
  const now = () => services.clock.now();
  const adminOf = (accountId: string) => {
    const admin = seed.users.find((u) => u.accountId === accountId && u.roles.some((r) => r.internalId === 3));
    if (!admin) throw new Error(`no administrator in ${accountId}`);
    return { email: admin.email, password: admin.password, role: 3 };
  };

  async function drive(orchestrator: OnboardingOrchestrator, tenant: string, view: TenantView): Promise<TenantView> {
    const creds = adminOf((await orchestrator.credentials(tenant)).settings.accountId);
    for (let round = 0; round < 10 && view.status !== 'completed' && view.status !== 'failed'; round++) {
      if (view.status === 'waiting_for_authorization') {
        const url = await orchestrator.authorizationUrl(tenant);
        const landed = await driveAuthorization(url, (await orchestrator.credentials(tenant)).settings.redirectUri, creds, { fetch: defaultFetch });
        view = await orchestrator.submitCallback(landed, tenant);
      } else if (view.status === 'waiting_for_bundle') {
        await installBundleViaPage(view.settings.installUrl, creds, { fetch: defaultFetch });
        view = await orchestrator.recheckBundle(tenant);
      } else {
        view = await orchestrator.advance(tenant);
      }
    }
    if (view.status !== 'completed') throw new Error(`tenant ${tenant} stopped ${view.status}: ${JSON.stringify(Object.values(view.steps).map((s) => s.error).filter(Boolean))}`);
    return view;
  }

  return {
    emulator: running,
    services,
    now,
    async admin(method, path, body) {
      const response = await defaultFetch(`${running.url}/__emulator${path}`, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    newOrchestrator(store) {
      return new OnboardingOrchestrator({ store, clock: { now }, certificateActivation: { attempts: 1, delayMs: 0 } });
    },
    async onboard(orchestrator, tenant, accountId) {
      const consent = seed.integrations.find((i) => i.accountId === accountId && i.publicClient && i.grants.includes('authorization_code'));
      const m2m = seed.integrations.find((i) => i.accountId === accountId && !i.publicClient && i.grants.includes('client_credentials'));
      if (!consent || !m2m) throw new Error(`no integration records in ${accountId}`);
      await orchestrator.begin({
        tenant,
        accountId,
        authClient: { clientId: consent.clientId },
        ccClient: { clientId: m2m.clientId },
        redirectUri: consent.redirectUris[0] as string,
        bundleId: seed.bundleId ?? '512345',
        baseUrl: running.url,
        dangerouslyAllowInsecureHttp: true,
      });
      return drive(orchestrator, tenant, await orchestrator.advance(tenant));
    },
    async customerCompletes(orchestrator, tenant) {
      return drive(orchestrator, tenant, await orchestrator.advance(tenant));
    },
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
