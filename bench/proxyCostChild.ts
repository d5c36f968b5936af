/**
 * The processes of the proxy cost bench, apart from the measuring client so that neither's garbage collection is
 * counted against the other: `server` answers every request at once; `service` runs the SuiteBridge service's /v1 API
 * over a stand-in orchestrator whose one tenant points at that server with a fixed token. Each prints one JSON line.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { OnboardingOrchestrator } from '../client/src/onboarding/orchestrator';
import type { TenantSummary } from '../client/src/onboarding/view';
import { MemoryTokenStore } from '../client/src/store';
import { ApiKeyStore } from '../service/src/api/apiKeys';
import { buildServiceHttp } from '../service/src/httpServer';
import { SuiteBridgeService } from '../service/src/service';

export const TOKEN = 'fixed-token';

async function answerAtOnce(): Promise<{ baseUrl: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Just what the API reads of the orchestrator, for tenants on a loopback base URL with a fixed token. */
function standInOrchestrator(baseUrl: string, tenants: number): OnboardingOrchestrator {
  const summaries: TenantSummary[] = Array.from({ length: tenants }, (_, i) => ({ tenant: `t${String(i).padStart(5, '0')}`, accountId: '1234567', status: 'completed', updatedAt: '2026-11-01T00:00:00.000Z' }));
  const record = { completedAt: '2026-11-01T00:00:00.000Z', certificate: { certificateId: 'cert' }, settings: { accountId: '1234567', baseUrl, dangerouslyAllowInsecureHttp: true } };
  return {
    on: () => () => undefined,
    list: async () => summaries,
    credentials: async () => record,
    accessToken: async () => TOKEN,
    invalidateAccessToken: async () => undefined,
  } as unknown as OnboardingOrchestrator;
}

async function service(baseUrl: string): Promise<{ apiUrl: string; key: string }> {
  const store = new MemoryTokenStore();
  const s = new SuiteBridgeService({ store, redis: 'redis://127.0.0.1:1', accountSemaphore: false, orchestrator: () => standInOrchestrator(baseUrl, 10), logger: pino({ level: 'silent' }) });
  const keys = new ApiKeyStore(store);
  const { key } = await keys.create({ name: 'bench', scopes: ['proxy', 'tenants:read'], rateLimitPerMinute: 1_000_000_000 });
  const app = buildServiceHttp(s, { api: { keys } });
  return { apiUrl: await app.listen({ port: 0, host: '127.0.0.1' }), key };
}

if (require.main === module) {
  const [role, baseUrl] = process.argv.slice(2);
  const started = role === 'server' ? answerAtOnce() : service(baseUrl ?? '');
  started.then((info) => process.stdout.write(`${JSON.stringify(info)}\n`), (err: unknown) => {
    process.stderr.write(`proxy bench ${role ?? '?'} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
