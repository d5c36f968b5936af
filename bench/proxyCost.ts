/**
 * The /v1 proxy's own cost (issue 12): a RESTlet GET through the service's /v1 proxy (API key check, rate limit,
 * token, account limiter, header allowlist) vs a direct call with the same token, interleaved in the same run, against
 * a server that answers at once (goal: ≤ 1 ms added at p50, ≤ 3 ms at p99). The service, the server and the measuring
 * client run in separate processes, as they would deployed, so one's garbage collection is not counted as another's.
 * The tenant comes from a stand-in for the orchestrator (fixed token, no NetSuite onboarding): what is measured is the
 * service's HTTP layer and the proxy, not token minting. The tenant list by status is measured in bench/statusListing.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { resolveEndpoints } from '../client/src/account';
import { defaultFetch } from '../client/src/http/transport';
import { TOKEN } from './proxyCostChild';
import { compareRounds } from './stats';
import { renderTable } from './table';

/** Starts bench/proxyCostChild.js in its own process and reads its one JSON line. */
function startChild<T>(args: string[], children: ChildProcess[]): Promise<T> {
  const child = spawn(process.execPath, [join(__dirname, 'proxyCostChild.js'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`proxy bench ${args[0]} exited early (${String(code)})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
  });
}

export async function proxyCostSection(o: { rounds?: number; iterations?: number } = {}): Promise<string> {
  const rounds = o.rounds ?? 6;
  const iterations = o.iterations ?? 800;
  const children: ChildProcess[] = [];
  const { baseUrl } = await startChild<{ baseUrl: string }>(['server'], children);
  const { apiUrl, key } = await startChild<{ apiUrl: string; key: string }>(['service', baseUrl], children);
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
    return `Proxy cost (service /v1 vs direct, same token, a server answering at once; service, server and client each in its own process; ${rounds}×${iterations} pairs)\n` +
      renderTable(['Measure', 'Direct', 'Through /v1', 'Added', 'Goal', 'Met'], [
        ['RESTlet GET p50', ms(raw.median), ms(client.median), ms(addedP50), '≤ 1 ms', addedP50 <= 1 ? 'yes' : 'no'],
        ['RESTlet GET p99', ms(raw.p99), ms(client.p99), ms(addedP99), '≤ 3 ms', addedP99 <= 3 ? 'yes' : 'no'],
      ]) + '\n\n';
  } finally {
    for (const child of children) {
      child.removeAllListeners('exit');
      child.kill();
    }
  }
}

if (require.main === module) {
  proxyCostSection().then((text) => process.stdout.write(text), (err: unknown) => {
    process.stderr.write(`proxy bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
