import { startEmulator, type RunningEmulator } from '../../emulator/src';
import { startConsole as startWebConsole, type ConsoleOptions, type RunningConsole } from '../../client/src/console';
import { OnboardingOrchestrator } from '../../client/src/onboarding';
import { SqliteTokenStore } from '../../client/src/store';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface RunningConsoleHandle {
  console: RunningConsole;
  /** The emulator's port: its pages live on `<account>.app.localhost:<port>` virtual hosts. */
  emulatorPort: string;
  admin: { email: string; password: string };
  operatorPassword: string;
  /** The console's store and orchestrator (tests seed tenants and statuses into them). */
  store: SqliteTokenStore;
  orchestrator: OnboardingOrchestrator;
  emulatorUrl: string;
  /** Client IDs of the public consent record and the confidential M2M record. */
  clients: { consent: string; m2m: string };
  /** Every credential the run holds right now (tokens, PKCE verifier, private key, passwords). */
  secrets(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Emulator with two integration records (public consent record with the console's https redirect URI, confidential
 * M2M record), and the console on `port` over https with its throwaway certificate and an encrypted store.
 */
export async function startConsole(o: { port: number; dataDir: string; account: string; fleet?: ConsoleOptions['fleet'] }): Promise<RunningConsoleHandle> {
  const redirectUri = `https://127.0.0.1:${o.port}/callback`;
  const operatorPassword = randomBytes(18).toString('base64url');
  let emulator: RunningEmulator | undefined;
  let store: SqliteTokenStore | undefined;
  try {
    emulator = await startEmulator({
      port: 0,
      quiet: true,
      dataDir: join(o.dataDir, 'emulator'),
      config: {
        integrations: [
          { name: 'SuiteBridge consent (public)', accountId: o.account, publicClient: true, grants: ['authorization_code'], redirectUris: [redirectUri], refreshTokenValidityHours: 1 },
          { name: 'SuiteBridge M2M (confidential)', accountId: o.account, publicClient: false, grants: ['client_credentials'] },
        ],
      },
    });
    const integrations = emulator.seed.integrations.filter((i) => i.accountId === o.account);
    const consent = integrations.find((i) => i.publicClient);
    const m2m = integrations.find((i) => !i.publicClient && i.grants.includes('client_credentials'));
    const admin = emulator.seed.users.find((u) => u.accountId === o.account && u.roles.some((r) => r.internalId === 3));
    if (!consent || !m2m || !admin) throw new Error('emulator seed lacks the public record, the M2M record or an administrator');
    store = new SqliteTokenStore({ path: join(o.dataDir, 'tokens.db'), secretKey: randomBytes(32) });
    const orchestrator = new OnboardingOrchestrator({ store });
    const web = await startWebConsole({
      port: o.port,
      orchestrator,
      store,
      operator: { password: operatorPassword },
      onboarding: { authClientId: consent.clientId, ccClientId: m2m.clientId, baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true },
      ...(o.fleet ? { fleet: o.fleet } : {}),
    });
    const running = emulator;
    const openStore = store;
    return {
      console: web,
      emulatorPort: new URL(emulator.url).port,
      admin: { email: admin.email, password: admin.password },
      operatorPassword,
      store,
      orchestrator,
      emulatorUrl: emulator.url,
      clients: { consent: consent.clientId, m2m: m2m.clientId },
      async secrets() {
        const found: string[] = [admin.password, operatorPassword];
        const record = await orchestrator.credentials(o.account).catch(() => undefined);
        if (record) {
          const auth = record.authorization;
          for (const value of [auth.tokens?.accessToken, auth.tokens?.refreshToken, auth.pending?.codeVerifier, record.settings.authClient.clientSecret]) {
            if (value) found.push(value);
          }
          const key = record.certificate?.privateKeyPem;
          if (key) found.push(key, ...pemBodyLines(key));
          if (record.completedAt) found.push(await orchestrator.accessToken(o.account));
        }
        return found.filter((s) => s.length >= 16);
      },
      async stop() {
        await web.stop();
        await running.stop();
        await openStore.close();
      },
    };
  } catch (err) {
    await emulator?.stop();
    await store?.close();
    throw err;
  }
}

/** The base64 lines of a PEM: a page leaking part of the key would contain at least one. */
function pemBodyLines(pem: string): string[] {
  return pem.split('\n').filter((line) => line.length >= 40 && !line.startsWith('-----'));
}
