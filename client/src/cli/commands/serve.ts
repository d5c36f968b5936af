import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigurationError } from '../../errors';
import type { KeyValueStore } from '../../onboarding/repository';
import { isJson, openStore, parsePositiveInt, requireTenant, storeOption, withOrchestrator } from '../../onboarding/cli/common';
import { requireInstalled, SERVICE_PACKAGES } from '../optionalPackages';
import { printResult } from '../output';
import type * as ServiceModule from '../../../../service/src/index';
import { addServeHttpOptions, serveHttpOptions, type ServeHttpFlags } from '../../../../service/src/serveOptions';

/**
 * Loaded on use: BullMQ, fastify and prom-client are not needed by the other commands (and are optional peers of
 * the published package). The store's driver is checked with them, so one error names everything to install.
 */
function loadService(what: string, flags: { postgres?: string }): typeof ServiceModule {
  requireInstalled(what, [...SERVICE_PACKAGES, (flags.postgres ?? process.env[POSTGRES_ENV]) ? 'pg' : 'better-sqlite3']);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../../service/src/index') as typeof ServiceModule;
}

export const WEBHOOK_SECRET_ENV = 'SUITEBRIDGE_WEBHOOK_SECRET';
export const REDIS_ENV = 'SUITEBRIDGE_REDIS_URL';
export const POSTGRES_ENV = 'SUITEBRIDGE_POSTGRES_URL';

export interface ServeFlags extends ServeHttpFlags {
  store?: string;
  postgres?: string;
  redis?: string;
  port: string;
  host: string;
  sweepEveryMinutes: string;
  rotateBeforeDays: string;
  webhook?: string[];
  webhookSecretFile?: string;
  /** false with --no-standby-certificate. */
  standbyCertificate?: boolean;
}

/** PostgreSQL when --postgres (or SUITEBRIDGE_POSTGRES_URL) is given, else the SQLite store of the other commands. */
function openServiceStore(flags: { store?: string; postgres?: string }): KeyValueStore & { close(): Promise<void> | void } {
  const postgres = flags.postgres ?? process.env[POSTGRES_ENV];
  if (postgres) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgresTokenStore } = require('../../store/postgres') as typeof import('../../store/postgres');
    return new PostgresTokenStore({ postgres });
  }
  return openStore(flags);
}

function webhookSecret(flags: ServeFlags): string {
  const secret = flags.webhookSecretFile ? readFileSync(flags.webhookSecretFile, 'utf8').trim() : process.env[WEBHOOK_SECRET_ENV];
  if (!secret) {
    throw new ConfigurationError('INVALID_ARGUMENT', '--webhook needs a signing secret.', {
      field: '--webhook-secret-file',
      remedy: `Set ${WEBHOOK_SECRET_ENV}=whsec_<base64 of 32 random bytes> or pass --webhook-secret-file <path>; give the same secret to the receiver to verify signatures.`,
    });
  }
  return secret;
}

export interface RunningServe {
  url: string;
  service: ServiceModule.SuiteBridgeService;
  stop(): Promise<void>;
}

/** Starts the jobs and the HTTP endpoints; `stop()` finishes running jobs, then closes everything. */
export async function startServe(flags: ServeFlags): Promise<RunningServe> {
  const redis = flags.redis ?? process.env[REDIS_ENV];
  if (!redis) {
    throw new ConfigurationError('INVALID_ARGUMENT', 'suitebridge serve needs Redis for its job queue.', {
      field: '--redis',
      remedy: `Pass --redis redis://127.0.0.1:6379 or set ${REDIS_ENV}.`,
    });
  }
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port) || port > 65535) throw new ConfigurationError('INVALID_ARGUMENT', `--port must be 0–65535, got "${flags.port}".`, { field: '--port' });
  const sweepEveryMs = parsePositiveInt(flags.sweepEveryMinutes, '--sweep-every-minutes') * 60_000;
  const rotateBeforeDays = parsePositiveInt(flags.rotateBeforeDays, '--rotate-before-days');
  const webhooks = (flags.webhook ?? []).map((url) => ({ url, secret: webhookSecret(flags) }));
  const httpOptions = serveHttpOptions(flags);
  const { SuiteBridgeService, buildServiceHttp } = loadService('suitebridge serve', flags);
  const store = openServiceStore(flags);
  const accountConcurrency = httpOptions.api.proxy?.accountConcurrency;
  const keepFreeShare = httpOptions.api.proxy?.keepFreeShare;
  const service = new SuiteBridgeService({
    store, redis, sweepEveryMs, rotateBeforeDays, webhooks, standbyCertificate: flags.standbyCertificate !== false,
    ...(accountConcurrency !== undefined ? { accountConcurrency } : {}),
    ...(keepFreeShare !== undefined ? { keepFreeShare } : {}),
  });
  await service.start();
  // The /v1 API and NetSuite proxy; keys from `suitebridge api-keys create` (service/src/api).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ApiKeyStore } = require('../../../../service/src/api/apiKeys') as typeof import('../../../../service/src/api/apiKeys');
  const http = buildServiceHttp(service, { api: { ...httpOptions.api, keys: new ApiKeyStore(store) }, ...(httpOptions.tls ? { tls: httpOptions.tls } : {}) });
  const address = await http.listen({ port, host: flags.host });
  return {
    url: address,
    service,
    async stop() {
      await http.close();
      await service.stop();
      await store.close();
    },
  };
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerServeCommands(program: Command): void {
  addServeHttpOptions(storeOption(
    program
      .command('serve')
      .description('Run the SuiteBridge service: health sweeps, certificate rotation, webhooks; /healthz /readyz /metrics (see docs/operator.md, "The SuiteBridge service")')
      .option('--redis <url>', `Redis for the job queue [env ${REDIS_ENV}]`)
      .option('--postgres <url>', `shared PostgreSQL store instead of SQLite (several replicas) [env ${POSTGRES_ENV}]`)
      .option('--port <n>', 'HTTP port for /healthz, /readyz, /metrics', '8787')
      .option('--host <address>', 'HTTP interface (keep it private)', '127.0.0.1')
      .option('--sweep-every-minutes <n>', 'health sweep interval', '60')
      .option('--rotate-before-days <n>', 'rotate certificates this long before expiry', '30')
      .option('--webhook <url>', `webhook endpoint (repeatable); signed with ${WEBHOOK_SECRET_ENV} or --webhook-secret-file`, collect)
      .option('--webhook-secret-file <path>', 'file holding the whsec_ signing secret')
      .option('--no-standby-certificate', 'keep no standby certificate per tenant (repair of a failing certificate then always needs the customer\'s consent)')
      .addHelpText('after', '\nHTTPS, NetSuite proxy and API options: docs/operator.md, "Run it".'),
  )).action(async (flags: ServeFlags) => {
    const running = await startServe(flags);
    process.stderr.write(`suitebridge serve: listening on ${running.url} (/healthz /readyz /metrics); JSON logs on stdout. Ctrl+C stops after running jobs finish.\n`);
    await untilSignal();
    await running.stop();
  });

  const tenants = program.commands.find((c) => c.name() === 'tenants') ?? program.command('tenants').description('Tenants in the token store');
  storeOption(
    tenants
      .command('repair')
      .argument('<tenant>', 'tenant name')
      .description('Check a tenant and repair it in place: a new certificate, or a consent link for the customer (run again once they have consented)')
      .option('--postgres <url>', `shared PostgreSQL store [env ${POSTGRES_ENV}]`),
  ).action(async (tenant: string, flags: { store?: string; postgres?: string }, cmd: Command) => {
    const { repairTenant, StatusStore, ServiceEvents } = loadService('suitebridge tenants repair', flags);
    const store = openServiceStore(flags);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { OnboardingOrchestrator } = require('../../onboarding/orchestrator') as typeof import('../../onboarding/orchestrator');
      const result = await repairTenant(
        { store, orchestrator: new OnboardingOrchestrator({ store }), statuses: new StatusStore(store), events: new ServiceEvents(), now: Date.now, intervalMs: 3_600_000 },
        requireTenant({ tenant }),
      );
      printResult(isJson(cmd), result, () => {
        const line = `${tenant}: ${result.state?.status ?? 'unknown'} — ${result.state?.reason ?? ''}`;
        switch (result.outcome) {
          case 'healthy':
            return `${line}\nRepaired: healthy.${result.revokedOldCertificate ? ` Revoked the replaced certificate ${result.revokedOldCertificate}.` : ''}${result.note ? `\n${result.note}` : ''}`;
          case 'consent_needed':
            return `${line}\n${result.why}\nSend this link to the customer's administrator, then run \`suitebridge tenants repair ${tenant}\` again:\n${result.authorizationUrl}`;
          case 'bundle_needed':
            return `${line}\n${result.why}\nInstall: ${result.installUrl}\nThen run \`suitebridge tenants repair ${tenant}\` again.`;
          default:
            return `${line}\nNot repaired: ${result.why}`;
        }
      });
      if (result.outcome === 'not_repairable') process.exitCode = 1;
    } finally {
      await store.close();
    }
  });

  const cert = program.commands.find((c) => c.name() === 'cert') ?? program.command('cert').description('Certificates for the client credentials (M2M) grant');
  storeOption(
    cert
      .command('list')
      .requiredOption('--tenant <name>', 'tenant whose integration record to list (counts toward the 5 active certificates per record)')
      .description('List the certificates NetSuite holds for a tenant\'s M2M integration record'),
  ).action(async (flags: { store?: string; tenant: string }, cmd: Command) => {
    const rows = await withOrchestrator(flags, async (o) => {
      const record = await o.credentials(requireTenant(flags));
      const current = record.certificate?.certificateId;
      const standby = record.standby?.current?.certificateId;
      const list = await (await o.connect(flags.tenant)).certificates.list();
      return list.map((c) => ({ ...c, inUse: c.certificateId === current, ...(c.certificateId === standby ? { standby: true } : {}) }));
    });
    printResult(isJson(cmd), rows, () =>
      rows.length === 0 ? 'No certificates.' : rows.map((c) => `${c.certificateId}  ${c.revoked ? 'revoked' : 'active '}  valid until ${c.validUntil}${c.inUse ? '  (in use by this tenant)' : ''}${c.standby ? '  (this tenant\'s standby)' : ''}`).join('\n'),
    );
  });
  storeOption(
    cert
      .command('revoke')
      .argument('<certificateId>', 'certificate ID as NetSuite shows it')
      .requiredOption('--tenant <name>', 'tenant whose integration record holds it')
      .option('--force', 'also when it is the certificate the tenant uses now (the tenant then needs a repair)')
      .description('Revoke a certificate at NetSuite (frees a slot of the 5 active per record)'),
  ).action(async (certificateId: string, flags: { store?: string; tenant: string; force?: boolean }, cmd: Command) => {
    await withOrchestrator(flags, async (o) => {
      const current = (await o.credentials(requireTenant(flags))).certificate?.certificateId;
      if (certificateId === current && !flags.force) {
        throw new ConfigurationError('INVALID_ARGUMENT', `${certificateId} is the certificate tenant "${flags.tenant}" uses now; revoking it disconnects the tenant.`, {
          field: 'certificateId',
          remedy: `Rotate first (\`suitebridge cert rotate --tenant ${flags.tenant}\`), or pass --force and then \`suitebridge tenants repair ${flags.tenant}\`.`,
        });
      }
      await (await o.connect(flags.tenant)).certificates.revoke(certificateId);
    });
    printResult(isJson(cmd), { certificateId, revoked: true }, () => `Revoked certificate ${certificateId}.`);
  });
}
