/**
 * `npm run bench`: two figures from one run against the emulator, printed as a table.
 *  1. Token requests caused by N concurrent RESTlet calls on a cold cache across several tenants (goal: 1 per tenant).
 *  2. Median and p99 latency of the client's RESTlet GET vs a raw fetch with a fixed bearer token,
 *     interleaved in the same run (goal: at most 10% overhead). The emulator's latency is heavy-tailed and the
 *     machine may be busy, so the run is split into rounds and the overhead is the median of the per-round ratios.
 *  3. Scale-out (bench/scaleout.ts): 1, 4 and 8 processes on the memory, SQLite, Redis and PostgreSQL stores and the
 *     oauth4webapi peers, counted at the emulator: token requests per tenant, refused refreshes, over-limit answers,
 *     errors to callers, wall time / ideal (200 calls of 50 ms per tenant, account limit 5).
 *  4. The /v1 proxy's cost (bench/proxyCost.ts) and the tenant list by status on the in-memory store and PostgreSQL
 *     (bench/statusListing.ts), both against local servers.
 * Options: --calls 1000 --tenants 3 --rounds 10 --iterations 800 (pairs per round) --warmup 200
 *          --overhead 0 (skip figure 2) --scaleout 0 (skip figure 3) --listing 0 (skip the tenant list)
 * Parts alone, without the emulator: `node build/bench/run.js proxy` (proxy cost) or `… listing` (tenant list).
 */
import { performance } from 'node:perf_hooks';
import { startEmulatorProcess, type EmulatorProcess } from './emulatorProcess';
import { ClientCredentialsClient } from '../client/src/clientCredentials';
import { NetSuiteHttp } from '../client/src/http/netsuiteHttp';
import { defaultFetch } from '../client/src/http/transport';
import { RestletClient } from '../client/src/resources/restlet';
import { TokenManager } from '../client/src/tokens/manager';
import type { TokenKey } from '../client/src/tokens/types';
import { prepareTenant, type BenchTenant } from './emulatorTenant';
import { compareRounds, middle, type Comparison } from './stats';
import { renderTable } from './table';
import { runScaleout, SCALEOUT_HEADERS } from './scaleout';
import { overheadAtOnce, refreshBurst } from './localFigures';

const SCRIPT = 'customscript_sbr_rl_health';
const DEPLOY = 'customdeploy_sbr_rl_health';
const SCOPES = ['restlets', 'rest_webservices'];
const ACCOUNT_IDS = ['1234567', '1234567_SB1', '7654321', '7654321_SB1', '2345678', '3456789'];
const OVERHEAD_GOAL = 0.1;

interface BenchOptions {
  calls: number;
  tenants: number;
  rounds: number;
  iterations: number;
  warmup: number;
  overhead: number;
  scaleout: number;
  listing: number;
}

function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { calls: 1000, tenants: 3, rounds: 10, iterations: 800, warmup: 200, overhead: 1, scaleout: 1, listing: 1 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i]?.replace(/^--/, '') as keyof BenchOptions | undefined;
    const value = Number(argv[i + 1]);
    const switchOption = name === 'overhead' || name === 'scaleout' || name === 'listing';
    if (!name || !(name in options) || !Number.isInteger(value) || value < (switchOption ? 0 : 1)) {
      throw new Error(`bad option ${argv[i] ?? ''} ${argv[i + 1] ?? ''}; use --calls N --tenants N --rounds N --iterations N --warmup N`);
    }
    options[name] = value;
  }
  if (options.tenants > ACCOUNT_IDS.length - 1) throw new Error(`--tenants is at most ${ACCOUNT_IDS.length - 1}`);
  return options;
}

function clientCredentials(emu: EmulatorProcess, t: BenchTenant, fetchImpl: typeof fetch = defaultFetch): ClientCredentialsClient {
  return new ClientCredentialsClient({
    baseUrl: emu.url, dangerouslyAllowInsecureHttp: true, fetch: fetchImpl,
    accountId: t.accountId, clientId: t.clientId, certificateId: t.certificateId, privateKey: t.privateKeyPem, scopes: SCOPES,
  });
}

function restletFor(manager: TokenManager, t: BenchTenant, client: ClientCredentialsClient): RestletClient {
  const key: TokenKey = { tenant: t.accountId, grant: 'client_credentials', scopes: SCOPES };
  const auth = manager.provider(key, { kind: 'client_credentials', client });
  return new RestletClient({ endpoints: t.endpoints, http: new NetSuiteHttp({ accountId: t.accountId }), auth });
}

/** Fires every call at once on a cold cache and counts what reaches each tenant's token endpoint. */
async function coldCacheTokenRequests(emu: EmulatorProcess, tenants: BenchTenant[], calls: number): Promise<number[]> {
  const manager = new TokenManager();
  const counts = tenants.map(() => 0);
  const restlets = tenants.map((t, i) => {
    const counting: typeof fetch = (input, init) => {
      if (String(input) === t.endpoints.tokenUrl) counts[i]!++;
      return defaultFetch(input, init);
    };
    return restletFor(manager, t, clientCredentials(emu, t, counting));
  });
  const results = await Promise.allSettled(Array.from({ length: calls }, (_, i) => restlets[i % restlets.length]!.get(SCRIPT, DEPLOY)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`${failed.length} of ${calls} RESTlet calls failed: ${String((failed[0] as PromiseRejectedResult).reason)}`);
  return counts;
}

/** Sequential RESTlet GETs, client and raw fetch alternating (order flipped every iteration). */
async function latencyOverhead(emu: EmulatorProcess, t: BenchTenant, o: BenchOptions): Promise<Comparison> {
  const manager = new TokenManager();
  const restlet = restletFor(manager, t, clientCredentials(emu, t));
  const token = await manager.getAccessToken(
    { tenant: t.accountId, grant: 'client_credentials', scopes: SCOPES },
    { kind: 'client_credentials', client: clientCredentials(emu, t) },
  );
  const url = t.endpoints.restletUrl(SCRIPT, DEPLOY);
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  const viaClient = () => restlet.get(SCRIPT, DEPLOY);
  // The raw side uses the same transport (the emulator's hosts are *.localhost), only without the client around it.
  const viaRaw = async () => {
    const res = await defaultFetch(url, { headers });
    if (!res.ok) throw new Error(`raw fetch got HTTP ${res.status}`);
    return res.json() as Promise<unknown>;
  };
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
  await measure(o.warmup, [], []);
  const rounds: Array<{ client: number[]; raw: number[] }> = [];
  for (let round = 0; round < o.rounds; round++) {
    const samples = { client: [] as number[], raw: [] as number[] };
    await measure(o.iterations, samples.client, samples.raw);
    rounds.push(samples);
  }
  return compareRounds(rounds);
}

const ms = (v: number) => `${v.toFixed(3)} ms`;
const pct = (ratio: number) => {
  const text = ((ratio - 1) * 100).toFixed(1);
  return text === '-0.0' || text === '0.0' ? '0.0%' : `${ratio > 1 ? '+' : ''}${text}%`;
};
const met = (ok: boolean) => (ok ? 'yes' : 'NO');

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const accounts = ACCOUNT_IDS.slice(0, o.tenants);
  // One more account for the refresh race of the scale-out figures (an authorization-code tenant).
  const authAccount = ACCOUNT_IDS[o.tenants]!;
  const emu = await startEmulatorProcess({ accounts: [...accounts, authAccount].map((accountId) => ({ accountId, customers: 10, concurrencyLimit: 5 })) });
  try {
    const tenants: BenchTenant[] = [];
    for (const accountId of accounts) tenants.push(await prepareTenant(emu, accountId));
    const counts = await coldCacheTokenRequests(emu, tenants, o.calls);
    process.stdout.write(`SuiteBridge benchmark: emulator ${emu.url} (separate process), Node ${process.version}\n\n`);
    if (o.overhead) await printOverhead(emu, tenants, o, counts);
    if (o.overhead) await printLocalFigures();
    if (o.overhead) process.stdout.write(await (require('./proxyCost') as typeof import('./proxyCost')).proxyCostSection());
    if (o.listing) process.stdout.write(await (require('./statusListing') as typeof import('./statusListing')).statusListingSection());
    if (o.scaleout) {
      const { rows, notes } = await runScaleout(emu, tenants, authAccount, { processes: [1, 4, 8], calls: 200, latencyMs: 50, accountLimit: 5 });
      process.stdout.write(`Scale-out: ${tenants.length} tenants, 200 RESTlet calls of 50 ms (server time, the emulator's own included) per tenant ` +
        'spread over the processes, account limit 5 (ideal 2.0 s), after a start-up in which every process gets its tokens (and the ' +
        'refresh race runs) in a cold burst of 5 calls per tenant; counts (start-up included) taken at the emulator. ' +
        'Goal on Redis/PostgreSQL: 1 token request per tenant, 0 refused, 0 over-limit, 0 errors, <= 1.15x.\n');
      process.stdout.write(renderTable(SCALEOUT_HEADERS, rows) + '\n');
      for (const note of notes) process.stdout.write(`note: ${note}\n`);
    }
  } finally {
    await emu.stop();
  }
  process.stdout.write((require('./installSize') as typeof import('./installSize')).installSizeSection());
}

/** Overhead against a server that answers at once, and the 1,000-tenant refresh burst (both against local servers). */
async function printLocalFigures(): Promise<void> {
  const { comparison, perCallUs } = await overheadAtOnce();
  const ratio = middle(comparison.medianRatios);
  const burst = await refreshBurst(true);
  const waiting = await refreshBurst(false);
  const burstRow = (label: string, b: typeof burst) => [
    label,
    `${ms(b.p50Before)} -> ${ms(b.p50Across)} (${(b.p50Across / b.p50Before).toFixed(2)}x); ${b.waited} of ${b.calls} calls waited on a token request; ${b.tokenRequests} token requests`,
  ];
  process.stdout.write(renderTable(['Measure (local servers, same run)', 'Result'], [
    ['RESTlet GET median, client vs raw fetch, server answering at once', `${ms(comparison.client.median)} vs ${ms(comparison.raw.median)}: ${pct(ratio)}, ${perCallUs.toFixed(0)} us per call`],
    burstRow(`${burst.tenants} tenants across their refresh point, call p50 before -> across (background refresh)`, burst),
    burstRow(`the same with backgroundRefresh: false (callers wait, the former behaviour)`, waiting),
  ]) + '\n');
}

async function printOverhead(emu: EmulatorProcess, tenants: BenchTenant[], o: BenchOptions, counts: number[]): Promise<void> {
  const { client, raw, medianRatios, p99Ratios } = await latencyOverhead(emu, tenants[0]!, o);
  const medianRatio = middle(medianRatios);
  // A round's p99 is one of its 8 slowest samples, too noisy to compare alone; pool the interleaved samples instead.
  const p99Ratio = client.p99 / raw.p99;
  const range = (ratios: number[]) => `rounds ${pct(Math.min(...ratios))}..${pct(Math.max(...ratios))}`;
  const total = counts.reduce((a, b) => a + b, 0);
  process.stdout.write(renderTable(['Measure', 'Result', 'Goal', 'Met'], [
    [`Token requests, ${o.calls} concurrent RESTlet calls, cold cache, ${o.tenants} tenants`, `${total} (${counts.join(' / ')})`, '1 per tenant', met(counts.every((c) => c === 1))],
    [`RESTlet GET median, client vs raw fetch (${o.rounds} rounds x ${o.iterations}, interleaved)`, `${ms(client.median)} vs ${ms(raw.median)}: ${pct(medianRatio)} (${range(medianRatios)})`, '<= +10%', met(medianRatio <= 1 + OVERHEAD_GOAL)],
    [`RESTlet GET p99, client vs raw fetch (pooled ${client.samples} + ${raw.samples} samples)`, `${ms(client.p99)} vs ${ms(raw.p99)}: ${pct(p99Ratio)} (${range(p99Ratios)})`, '<= +10%', met(p99Ratio <= 1 + OVERHEAD_GOAL)],
  ]) + '\n');
}

/** `run.js proxy` / `run.js listing`: one local part alone (no emulator, no scale-out). */
async function onePart(part: string): Promise<void> {
  if (part === 'proxy') process.stdout.write(await (require('./proxyCost') as typeof import('./proxyCost')).proxyCostSection());
  else if (part === 'listing') process.stdout.write(await (require('./statusListing') as typeof import('./statusListing')).statusListingSection());
  else throw new Error(`unknown part "${part}"; use proxy or listing, or options only for the whole bench`);
}

const part = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : undefined;
(part ? onePart(part) : main()).catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
