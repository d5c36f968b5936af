/**
 * /metrics after known traffic through the NetSuite proxy (issue 11): M2M token cache hits, client retries by kind
 * and reason, and the concurrency slot wait histogram, fed by the client library's observer hooks.
 */
import { startApiHarness, type ApiHarness } from './support/apiHarness';

const HEALTH = 'customscript_sbr_rl_health/customdeploy_sbr_rl_health';

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[3] ?? '').split(',').filter(Boolean);
    if (have.length === wanted.length && wanted.every((w) => have.includes(w))) return Number(m[4]);
  }
  return 0;
}

describe('client metrics on /metrics', () => {
  let h: ApiHarness;
  let key: string;
  const call = (tenant: string) => fetch(`${h.url}/v1/tenants/${tenant}/restlets/${HEALTH}`, { headers: { authorization: `Bearer ${key}` } });
  const scrape = async () => (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
  const faults = (f: Record<string, number>) => fetch(`${h.fleet.emulator.url}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });

  beforeAll(async () => {
    h = await startApiHarness([['acme', '1234567'], ['globex', '7654321']], { proxy: { accountConcurrency: 1 } });
    key = (await h.keys.create({ name: 'metrics', scopes: ['proxy'] })).key;
  }, 120_000);
  afterAll(async () => h?.stop());

  it('5 calls with one token: 1 token request and 4 cache hits', async () => {
    const atNetSuite = await h.tokenRequests('1234567');
    for (let i = 0; i < 5; i++) expect((await call('acme')).status).toBe(200);
    const text = await scrape();
    expect(metricValue(text, 'suitebridge_token_requests_total', { grant: 'client_credentials', outcome: 'ok' })).toBe(1);
    expect(metricValue(text, 'suitebridge_token_cache_hits_total', { grant: 'client_credentials' })).toBe(4);
    expect((await h.tokenRequests('1234567')) - atNetSuite).toBe(1);
  });

  it('a 503 from the token endpoint then a token: one retry of kind token; an over-limit RESTlet answer: one retry of kind restlet', async () => {
    const before = await scrape();
    await faults({ tokenEndpoint503: 1 });
    expect((await call('globex')).status).toBe(200);
    await faults({ concurrencyRejects: 1 });
    expect((await call('acme')).status).toBe(200);
    const after = await scrape();
    const delta = (labels: Record<string, string>) => metricValue(after, 'suitebridge_client_retries_total', labels) - metricValue(before, 'suitebridge_client_retries_total', labels);
    expect(delta({ kind: 'token', reason: 'http_503' })).toBe(1);
    expect(delta({ kind: 'restlet', reason: 'concurrency_limit' })).toBe(1);
    const total = (text: string) => text.split('\n').filter((l) => l.startsWith('suitebridge_client_retries_total{')).reduce((n, l) => n + Number(l.split(' ')[1]), 0);
    expect(total(after) - total(before)).toBe(2);
  });

  it('account limit 1 and two concurrent calls: two observations in the wait histogram, exactly one of them a wait', async () => {
    const before = await scrape();
    const statuses = await Promise.all([call('acme'), call('acme')]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200]);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => metricValue(after, name, labels) - metricValue(before, name, labels);
    expect(delta('suitebridge_semaphore_wait_seconds_count')).toBe(2);
    expect(delta('suitebridge_semaphore_wait_seconds_bucket', { le: '0' })).toBe(1);
    expect(delta('suitebridge_semaphore_wait_seconds_sum')).toBeGreaterThan(0);
  });
});
