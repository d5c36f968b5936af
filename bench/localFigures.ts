/**
 * Figures measured against a local server in the bench process instead of the emulator:
 *  - the client's own overhead against a server that answers at once (the emulator's RESTlet time dilutes it);
 *  - the 1,000-tenant refresh burst: every tenant minted together, then called before and across the refresh point.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { resolveEndpoints } from '../client/src/account';
import { ClientCredentialsClient } from '../client/src/clientCredentials';
import { NetSuiteHttp } from '../client/src/http/netsuiteHttp';
import { defaultFetch } from '../client/src/http/transport';
import { staticTokenProvider } from '../client/src/resources/accessTokenProviders';
import { RestletClient } from '../client/src/resources/restlet';
import { TokenManager } from '../client/src/tokens/manager';
import { compareRounds, middle, percentile, type Comparison } from './stats';

const SCOPES = ['restlets'];
const HOUR = 3_600_000;

/** Answers RESTlet GETs with `{}` at once; client-credentials tokens after `tokenDelayMs`, recording when each was sent. */
class LocalServer {
  readonly issuedAt = new Map<string, number>();
  tokenRequests = 0;
  private n = 0;
  private readonly server: Server;
  constructor(private readonly tokenDelayMs: number) {
    this.server = createServer((req, res) => {
      if (req.method === 'GET') {
        res.setHeader('content-type', 'application/json');
        res.end('{}');
        return;
      }
      req.resume();
      req.on('end', () => {
        this.tokenRequests++;
        const token = `tok-${++this.n}`;
        setTimeout(() => {
          this.issuedAt.set(token, performance.now());
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ access_token: token, expires_in: '3600', token_type: 'bearer' }));
        }, this.tokenDelayMs);
      });
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((ok) => this.server.close(() => ok()));
  }
}

/** RestletClient GET vs raw fetch, interleaved, against a server that answers at once. */
export async function overheadAtOnce(rounds = 6, iterations = 1500): Promise<{ comparison: Comparison; perCallUs: number }> {
  const server = new LocalServer(0);
  const baseUrl = await server.listen();
  try {
    const transport = { baseUrl, dangerouslyAllowInsecureHttp: true };
    const endpoints = resolveEndpoints('1234567', transport);
    const restlet = new RestletClient({ endpoints, http: new NetSuiteHttp({ accountId: '1234567' }), auth: staticTokenProvider('fixed-token') });
    const url = endpoints.restletUrl('customscript_x', 'customdeploy_x');
    const headers = { authorization: 'Bearer fixed-token', accept: 'application/json' };
    const viaClient = () => restlet.get('customscript_x', 'customdeploy_x');
    const viaRaw = async () => (await defaultFetch(url, { headers })).json();
    const measure = async (count: number, client: number[], raw: number[]) => {
      for (let i = 0; i < count; i++) {
        const pair = i % 2 === 0 ? [[viaClient, client], [viaRaw, raw]] as const : [[viaRaw, raw], [viaClient, client]] as const;
        for (const [call, samples] of pair) {
          const start = performance.now();
          await call();
          samples.push(performance.now() - start);
        }
      }
    };
    await measure(300, [], []);
    const all: Array<{ client: number[]; raw: number[] }> = [];
    for (let r = 0; r < rounds; r++) {
      const samples = { client: [] as number[], raw: [] as number[] };
      await measure(iterations, samples.client, samples.raw);
      all.push(samples);
    }
    const comparison = compareRounds(all);
    return { comparison, perCallUs: (comparison.client.median - comparison.raw.median) * 1000 };
  } finally {
    await server.close();
  }
}

export interface BurstResult {
  tenants: number;
  p50Before: number;
  p50Across: number;
  waited: number;
  calls: number;
  tokenRequests: number;
}

/**
 * 1,000 tenants minted together; then every tenant is called `callsPerTenant` times while the clock passes a
 * stretch well before the refresh point, and again while it crosses the refresh window (every tenant's point passes).
 * A call "waited on a token request" when the token it got was issued after the call started.
 */
export async function refreshBurst(backgroundRefresh: boolean, tenants = 1000, callsPerTenant = 3): Promise<BurstResult> {
  // Tokens and resources on separate servers, as NetSuite's token and RESTlet hosts differ (separate connection pools).
  const server = new LocalServer(20);
  const resources = new LocalServer(0);
  const baseUrl = await server.listen();
  const resourceUrl = await resources.listen();
  let offset = 0;
  const clock = { now: () => Date.now() + offset };
  try {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const manager = new TokenManager({ clock, backgroundRefresh, cacheIdleSeconds: 2 * 3600 });
    const resource = `${resourceUrl}/resource`;
    const sources = Array.from({ length: tenants }, (_, i) => ({
      kind: 'client_credentials' as const,
      client: new ClientCredentialsClient({
        accountId: '1234567', clientId: 'c'.repeat(64), certificateId: `cert-${i}`, privateKey: pem, scopes: SCOPES,
        tokenUrl: `${baseUrl}/token/${i}`, dangerouslyAllowInsecureHttp: true, clock,
      }),
    }));
    const keys = sources.map((_, i) => ({ tenant: `t${i}`, grant: 'client_credentials' as const, scopes: SCOPES }));
    const call = async (i: number): Promise<{ ms: number; waited: boolean }> => {
      const start = performance.now();
      const token = await manager.getAccessToken(keys[i]!, sources[i]!);
      const res = await defaultFetch(resource, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return { ms: performance.now() - start, waited: (server.issuedAt.get(token) ?? 0) > start };
    };
    // The clock moves through the wave: from `from` to `to` ms after minting, one step per batch.
    const wave = async (fromMs: number, toMs: number) => {
      const results: Array<{ ms: number; waited: boolean }> = [];
      const batches = callsPerTenant * Math.ceil(tenants / 50);
      let batch = 0;
      for (let c = 0; c < callsPerTenant; c++) {
        // 50 tenants at a time: a steady stream of calls rather than one thundering herd.
        for (let from = 0; from < tenants; from += 50) {
          offset = fromMs + ((toMs - fromMs) * batch++) / batches;
          results.push(...(await Promise.all(Array.from({ length: Math.min(50, tenants - from) }, (_, k) => call(from + k)))));
        }
      }
      return results;
    };
    await Promise.all(keys.map((key, i) => manager.getAccessToken(key, sources[i]!)));
    const requestsAfterMint = server.tokenRequests;
    // Before: 30 to 31.5 minutes in. Across: from 7 minutes before expiry (no refresh point reached: 6 min margin+skew,
    // up to 1 min jitter) to 5.5 minutes before it (every refresh point passed), as real time would pass.
    const before = await wave(30 * 60_000, 31.5 * 60_000);
    const across = await wave(HOUR - 420_000, HOUR - 330_000);
    await manager.settled();
    const sorted = (r: Array<{ ms: number }>) => r.map((x) => x.ms).sort((a, b) => a - b);
    return {
      tenants,
      p50Before: percentile(sorted(before), 50),
      p50Across: percentile(sorted(across), 50),
      waited: across.filter((r) => r.waited).length,
      calls: across.length,
      tokenRequests: server.tokenRequests - requestsAfterMint,
    };
  } finally {
    await server.close();
    await resources.close();
  }
}

export { middle };
