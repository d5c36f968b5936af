/**
 * The /v1 proxy's own cost (issue 12), against a local server in the bench process: a RESTlet GET through the
 * service's /v1 proxy (API key check, rate limit, token, account limiter, header allowlist) vs a direct call with the
 * same token, interleaved in the same run, against a server that answers at once (goal: ≤ 1 ms added at p50, ≤ 3 ms
 * at p99). The tenant comes from a stand-in for the orchestrator (fixed token, no NetSuite onboarding): what is
 * measured is the service's HTTP layer and the proxy, not token minting. The tenant list by status is measured in
 * bench/statusListing.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { resolveEndpoints } from '../client/src/account';
import { defaultFetch } from '../client/src/http/transport';
import type { OnboardingOrchestrator } from '../client/src/onboarding/orchestrator';
import type { TenantSummary } from '../client/src/onboarding/view';
import { MemoryTokenStore } from '../client/src/store';
import { ApiKeyStore } from '../service/src/api/apiKeys';
import { buildServiceHttp } from '../service/src/httpServer';
import { SuiteBridgeService } from '../service/src/service';
import { compareRounds } from './stats';
import { renderTable } from './table';

const TOKEN = 'fixed-token';

function answerAtOnce(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
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

export async function proxyCostSection(o: { rounds?: number; iterations?: number; tenants?: number } = {}): Promise<string> {
  const rounds = o.rounds ?? 6;
  const iterations = o.iterations ?? 800;
  const tenants = o.tenants ?? 10;
  const server = answerAtOnce();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new MemoryTokenStore();
  const service = new SuiteBridgeService({ store, redis: 'redis://127.0.0.1:1', accountSemaphore: false, orchestrator: () => standInOrchestrator(baseUrl, tenants), logger: pino({ level: 'silent' }) });
  const keys = new ApiKeyStore(store);
  const { key } = await keys.create({ name: 'bench', scopes: ['proxy', 'tenants:read'], rateLimitPerMinute: 1_000_000_000 });
  const app = buildServiceHttp(service, { api: { keys } });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const direct = resolveEndpoints('1234567', { baseUrl, dangerouslyAllowInsecureHttp: true }).restletUrl('customscript_x', 'customdeploy_x');
    const proxied = `${apiUrl}/v1/tenants/t00001/restlets/customscript_x/customdeploy_x`;
    const viaDirect = async () => (await defaultFetch(direct, { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' } })).json();
    const viaProxy = async () => {
      const res = await defaultFetch(proxied, { headers: { authorization: `Bearer ${key}`, accept: 'application/json' } });
      if (res.status !== 200) throw new Error(`proxy answered ${res.status}: ${await res.text()}`);
      return res.json();
    };
    const measure = async (count: number, client: number[], raw: number[]) => {
      for (let i = 0; i < count; i++) {
        const pair = i % 2 === 0 ? [[viaProxy, client], [viaDirect, raw]] as const : [[viaDirect, raw], [viaProxy, client]] as const;
        for (const [call, samples] of pair) {
          const start = performance.now();
          await call();
          samples.push(performance.now() - start);
        }
      }
    };
    await measure(200, [], []);
    const all: Array<{ client: number[]; raw: number[] }> = [];
    for (let r = 0; r < rounds; r++) {
      const samples = { client: [] as number[], raw: [] as number[] };
      await measure(iterations, samples.client, samples.raw);
      all.push(samples);
    }
    const { client, raw } = compareRounds(all);
    const addedP50 = client.median - raw.median;
    const addedP99 = client.p99 - raw.p99;

    const ms = (n: number) => `${n.toFixed(2)} ms`;
    return `Proxy cost (service /v1 vs direct, same token, local server answering at once; ${rounds}×${iterations} pairs)\n` +
      renderTable(['Measure', 'Direct', 'Through /v1', 'Added', 'Goal', 'Met'], [
        ['RESTlet GET p50', ms(raw.median), ms(client.median), ms(addedP50), '≤ 1 ms', addedP50 <= 1 ? 'yes' : 'no'],
        ['RESTlet GET p99', ms(raw.p99), ms(client.p99), ms(addedP99), '≤ 3 ms', addedP99 <= 3 ? 'yes' : 'no'],
      ]) + '\n\n';
  } finally {
    await app.close();
    server.closeAllConnections();
    await new Promise<void>((ok) => server.close(() => ok()));
  }
}

if (require.main === module) {
  proxyCostSection().then((text) => process.stdout.write(text), (err: unknown) => {
    process.stderr.write(`proxy bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
