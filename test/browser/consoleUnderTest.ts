import { startEmulator, type RunningEmulator } from '../../emulator/src';
import { startConsole as startWebConsole, type RunningConsole } from '../../client/src/console';
import { OnboardingOrchestrator } from '../../client/src/onboarding';
import { SqliteTokenStore } from '../../client/src/store';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface RunningConsoleHandle {
  console: RunningConsole;
  emulatorUrl: string;
  admin: { email: string; password: string };
  /** Every credential the run holds right now (tokens, PKCE verifier, private key, password, client secret). */
  secrets(): Promise<string[]>;
  stop(): Promise<void>;
}

/** Emulator with the console's redirect URI registered, and the console on `port` with an encrypted store. */
export async function startConsole(o: { port: number; dataDir: string; account: string }): Promise<RunningConsoleHandle> {
  const redirectUri = `http://127.0.0.1:${o.port}/callback`;
  let emulator: RunningEmulator | undefined;
  let store: SqliteTokenStore | undefined;
  try {
    emulator = await startEmulator({
      port: 0,
      quiet: true,
      dataDir: join(o.dataDir, 'emulator'),
      config: {
        integrations: [
          {
            name: 'SuiteBridge (public)',
            accountId: o.account,
            publicClient: true,
            grants: ['authorization_code', 'client_credentials'],
            allowClientCredentialsForPublicClient: true,
            redirectUris: [redirectUri],
          },
        ],
      },
    });
    const integration = emulator.seed.integrations.find((i) => i.accountId === o.account && i.publicClient);
    const admin = emulator.seed.users.find((u) => u.accountId === o.account && u.roles.some((r) => r.internalId === 3));
    if (!integration || !admin) throw new Error('emulator seed has no public integration or administrator');
    store = new SqliteTokenStore({ path: join(o.dataDir, 'tokens.db'), secretKey: randomBytes(32) });
    const orchestrator = new OnboardingOrchestrator({ store });
    const web = await startWebConsole({
      port: o.port,
      orchestrator,
      onboarding: { accountId: o.account, authClientId: integration.clientId, baseUrl: emulator.url, dangerouslyAllowInsecureHttp: true },
    });
    const running = emulator;
    const openStore = store;
    return {
      console: web,
      emulatorUrl: emulator.url,
      admin: { email: admin.email, password: admin.password },
      async secrets() {
        const found: string[] = [admin.password];
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
