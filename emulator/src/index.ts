import { writeFileSync } from 'node:fs';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { printBanner, curlHints } from './banner';
import { OffsetClock, systemClock, type Clock } from './clock';
import { resolveConfig } from './config/defaults';
import { loadConfig } from './config/load';
import type { EmulatorConfig } from './config/types';
import { SqliteAccountDirectory } from './data/directory';
import { SystemStore } from './data/systemStore';
import { FaultState } from './faults/faultState';
import { accountOrigins, type AccountOrigins } from './hosts';
import { loadSigningKey } from './oauth/signingKey';
import { TokenIssuer } from './oauth/tokenIssuer';
import { ConcurrencyGate } from './resource/concurrency';
import { RequestLog } from './requestLog';
import { createRestletSeam } from './restletSeam';
import { buildSeedInfo, type SeedInfo } from './seed';
import { buildApp } from './server';
import type { EmulatorServices } from './services';

export type { EmulatorConfig } from './config/types';
export { EmulatorConfigError } from './config/validate';
export type { SeedInfo } from './seed';
export type { AccountDirectory } from './data/directoryTypes';
export type { EmulatorServices } from './services';
export type { AccountOrigins, HostKind } from './hosts';
export type { ServedRequest } from './requestLog';

export interface EmulatorOptions {
  /** 0 = random (default here); the CLI defaults to 4010. */
  port?: number;
  host?: string;
  config?: EmulatorConfig | string;
  dataDir?: string;
  /** SDF project directory (default <repo>/src). */
  projectDir?: string;
  seedOut?: string;
  /** Suppress the banner and hints (tests). */
  quiet?: boolean;
  clock?: Clock;
}

export interface RunningEmulator {
  /** The bare origin (`http://127.0.0.1:<port>`): the admin API, and the `baseUrl` clients map to per-account hosts. */
  url: string;
  seed: SeedInfo;
  /**
   * Where an account answers: `http://<hostId>.app|suitetalk|restlets.localhost:<port>` (all three the bare origin
   * with `hostRouting: "single-origin"`). Throws for an account this emulator does not have.
   */
  hosts(accountId: string): AccountOrigins;
  stop(): Promise<void>;
}

function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'suitebridge') return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

/** Starts the emulator on 127.0.0.1. Resolves once listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return (await startEmulatorWithServices(options)).running;
}

/** Internal (tests, in-process tools): the running emulator plus its services, e.g. the account directory. */
export async function startEmulatorWithServices(options: EmulatorOptions = {}): Promise<{ running: RunningEmulator; services: EmulatorServices }> {
  const rawConfig = loadConfig(options.config);
  const store = new SystemStore(options.dataDir);
  const config = resolveConfig(rawConfig, (key) => store.secret(key));
  const clock = new OffsetClock(options.clock ?? systemClock, config.clockOffsetSeconds);
  const directory = new SqliteAccountDirectory(config.accounts, options.dataDir, () => clock.now());
  store.saveIntegrations(config.integrations);
  const signingKey = await loadSigningKey(store);
  const faults = new FaultState(config.faults);
  let baseUrl = '';
  const services: EmulatorServices = {
    config, clock, store, directory, signingKey, faults,
    issuer: new TokenIssuer(signingKey, store, clock),
    concurrency: new ConcurrencyGate((a) => directory.account(a)?.concurrencyLimit ?? 0, faults),
    requests: new RequestLog(),
    restlets: createRestletSeam({
      projectDir: options.projectDir ?? join(repoRoot(), 'src'), directory, clock,
      // Script log lines (N/log) go to stderr when the emulator is run interactively.
      ...(options.quiet ? {} : { log: (line: string) => process.stderr.write(`${line}\n`) }),
    }),
    baseUrl: () => baseUrl,
    seed: () => buildSeedInfo(baseUrl, config, directory),
  };
  const app = buildApp(services);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 0, host });
  } catch (err) {
    store.close();
    directory.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`Port ${options.port} on ${host} is in use. Stop the other process or pick another port with --port.`);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const seed = services.seed();
  if (options.seedOut) writeFileSync(options.seedOut, JSON.stringify(seed, null, 2) + '\n', { mode: 0o600 });
  if (!options.quiet) {
    printBanner();
    const publicRecord = config.integrations.find((i) => i.publicClient);
    const hintAccount = publicRecord?.accountId ?? config.accounts[0]?.accountId;
    const origins = hintAccount ? accountOrigins(baseUrl, hintAccount, config.hostRouting) : undefined;
    process.stderr.write(curlHints(baseUrl, origins, publicRecord?.clientId, publicRecord?.accountId));
  }
  let stopped = false;
  const running: RunningEmulator = {
    url: baseUrl,
    seed,
    hosts(accountId) {
      const known = directory.accountIds().find((a) => a.toUpperCase() === accountId.toUpperCase());
      if (!known) throw new Error(`The emulator has no account ${accountId} (known: ${directory.accountIds().join(', ')}).`);
      return accountOrigins(baseUrl, known, config.hostRouting);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      directory.close();
      store.close();
    },
  };
  return { running, services };
}
