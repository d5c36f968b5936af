/**
 * The NetSuite proxy on /v1 against the emulator (issue 12): RESTlets, SuiteQL (NetSuite's page, or every page fetched
 * by the service) and REST records; the M2M token added by SuiteBridge (one token request per tenant under
 * concurrency), the account limit applied (0 over-limit answers reach callers), over-limit answers retried, writes
 * retried only when safe, idempotency keys forwarded, a 401 answered with a fresh token.
 */
import { RECORD_PREFIX } from '../../client/src/onboarding/repository';
import { startApiHarness, type ApiHarness } from './support/apiHarness';

const HEALTH = 'customscript_sbr_rl_health/customdeploy_sbr_rl_health';
const CONFIG = 'customscript_sbr_rl_config/customdeploy_sbr_rl_config';

describe('the NetSuite proxy', () => {
  let h: ApiHarness;
  let key: string;
  const call = (method: string, path: string, o: { body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${h.url}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    });
  const faults = (f: Record<string, number>) => fetch(`${h.fleet.emulator.url}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });
  const sentTo = (fragment: string) => h.sent.filter((r) => r.url.includes(fragment));

  beforeAll(async () => {
    h = await startApiHarness([['acme', '1234567'], ['globex', '7654321'], ['sandbox', '1234567_SB1']]);
    key = (await h.keys.create({ name: 'backend', scopes: ['proxy', 'tenants:read', 'tenants:manage'] })).key;
  }, 120_000);
  afterAll(async () => h?.stop());

  it('4 concurrent callers, 5 requests each in flight, account limit 5: every call 200, no over-limit answer, one token request', async () => {
    await faults({ latencyMs: 40 });
    await fetch(`${h.fleet.emulator.url}/__emulator/concurrency/reset`, { method: 'POST' });
    const tokensBefore = await h.tokenRequests('7654321');
    const callers = Array.from({ length: 4 }, () =>
      Promise.all(Array.from({ length: 5 }, async () => {
        const res = await call('GET', `/tenants/globex/restlets/${HEALTH}`);
        return { status: res.status, body: (await res.json()) as { roleScriptId?: string } };
      })));
    const results = (await Promise.all(callers)).flat();
    await faults({ latencyMs: 0 });
    expect(results).toHaveLength(20);
    expect(results.every((r) => r.status === 200 && r.body.roleScriptId === 'customrole_sbr_integration')).toBe(true);
    const [stats] = (await (await fetch(`${h.fleet.emulator.url}/__emulator/concurrency?account=7654321`)).json()) as { overLimit: number; peakInFlight: number; admitted: number }[];
    expect(stats).toMatchObject({ overLimit: 0, admitted: 20 });
    expect(stats!.peakInFlight).toBeLessThanOrEqual(5);
    expect((await h.tokenRequests('7654321')) - tokensBefore).toBe(1);
  }, 60_000);

  it('the limiter is sized from the limit onboarding learned for the account (here 2, reserved for the integration)', async () => {
    const recordKey = `${RECORD_PREFIX}sandbox`;
    const entry = (await h.store.get(recordKey))!;
    const record = JSON.parse(entry.value) as { concurrency?: unknown };
    expect(record.concurrency).toMatchObject({ limit: expect.any(Number) });
    record.concurrency = { limit: 2, source: 'integration', at: new Date().toISOString() };
    expect(await h.store.compareAndSwap(recordKey, entry.version, JSON.stringify(record))).toBe(true);
    await faults({ latencyMs: 40 });
    await fetch(`${h.fleet.emulator.url}/__emulator/concurrency/reset`, { method: 'POST' });
    const statuses = await Promise.all(Array.from({ length: 8 }, async () => (await call('GET', `/tenants/sandbox/restlets/${HEALTH}`)).status));
    await faults({ latencyMs: 0 });
    expect(statuses).toEqual(Array(8).fill(200));
    const [stats] = (await (await fetch(`${h.fleet.emulator.url}/__emulator/concurrency?account=1234567_SB1`)).json()) as { overLimit: number; peakInFlight: number }[];
    expect(stats).toMatchObject({ overLimit: 0, peakInFlight: 2 });
  }, 60_000);

  it('forwards only allowed headers; the bearer token is SuiteBridge\'s, never the caller\'s API key', async () => {
    const before = h.sent.length;
    const res = await call('GET', `/tenants/acme/restlets/${HEALTH}?verbose=1`, {
      headers: { cookie: 'JSESSIONID=x', 'x-forwarded-host': 'evil.example.com', 'x-custom': 'y', 'accept-language': 'de' },
    });
    expect(res.status).toBe(200);
    const out = h.sent.slice(before).filter((r) => r.url.includes('restlet.nl'));
    expect(out).toHaveLength(1);
    expect(new URL(out[0]!.url).searchParams.get('verbose')).toBe('1');
    expect(Object.keys(out[0]!.headers).sort()).toEqual(['accept', 'accept-language', 'authorization']);
    expect(out[0]!.headers.authorization).toMatch(/^Bearer ey/);
    expect(out[0]!.headers.authorization).not.toContain(key);
  });

  it('SuiteQL: NetSuite\'s page as it answered, or all rows paged by the service, capped by maxRows', async () => {
    const q = { q: 'SELECT id FROM customer ORDER BY id' };
    const page = await call('POST', '/tenants/acme/suiteql?limit=3&offset=0', { body: q });
    expect(page.status).toBe(200);
    const pageBody = (await page.json()) as { items: unknown[]; hasMore: boolean };
    expect(pageBody.items).toHaveLength(3);
    expect(pageBody.hasMore).toBe(true);
    const all = await call('POST', '/tenants/acme/suiteql?all=true&pageSize=3', { body: q });
    const allBody = (await all.json()) as { count: number; truncated: boolean; items: { id: string }[] };
    expect({ count: allBody.count, truncated: allBody.truncated, ids: allBody.items.map((r) => r.id) }).toEqual({ count: 10, truncated: false, ids: Array.from({ length: 10 }, (_, i) => String(1001 + i)) });
    const capped = await call('POST', '/tenants/acme/suiteql?all=true&pageSize=3&maxRows=4', { body: q });
    expect(await capped.json()).toMatchObject({ count: 4, truncated: true });
    const exact = await call('POST', '/tenants/acme/suiteql?all=true&pageSize=5&maxRows=10', { body: q });
    expect(await exact.json()).toMatchObject({ count: 10, truncated: false });
    const bad = await call('POST', '/tenants/acme/suiteql', { body: { query: 'x' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('records: NetSuite\'s answer passed through with its status', async () => {
    const ok = await call('GET', '/tenants/acme/records/customer/1001');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: '1001' });
    const missing = await call('GET', '/tenants/acme/records/customer/999999');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { 'o:errorDetails': unknown[] })['o:errorDetails'].length).toBeGreaterThan(0);
  });

  it('a write without Idempotency-Key: an over-limit answer is retried (it never ran), a dropped connection is not', async () => {
    await faults({ concurrencyRejects: 1 });
    const retried = await call('PUT', `/tenants/acme/restlets/${CONFIG}`, { body: { entries: { 'api.test': 'one' } } });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('x-suitebridge-attempts')).toBe('2');

    await faults({ dropConnections: 1 });
    const before = sentTo('restlet.nl').length;
    const dropped = await call('PUT', `/tenants/acme/restlets/${CONFIG}`, { body: { entries: { 'api.test': 'two' } } });
    expect(dropped.status).toBe(502);
    expect(dropped.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await dropped.json()).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(sentTo('restlet.nl').length - before).toBe(1);

    await faults({ dropConnections: 1 });
    const keyed = await call('PUT', `/tenants/acme/restlets/${CONFIG}`, { body: { entries: { 'api.test': 'three' } }, headers: { 'idempotency-key': 'c0ffee-0001' } });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get('x-suitebridge-attempts')).toBe('2');
    expect(sentTo('restlet.nl').at(-1)!.headers['idempotency-key']).toBe('c0ffee-0001');
    const config = await call('GET', '/tenants/acme/config?key=api.test');
    expect(await config.json()).toEqual({ entries: { 'api.test': 'three' } });
  });

  it('a record write with Idempotency-Key goes to NetSuite as X-NetSuite-Idempotency-Key with Prefer: respond-async', async () => {
    await call('POST', '/tenants/acme/records/customer', { body: { companyName: 'Async Co' }, headers: { 'idempotency-key': 'b1d2-77', prefer: 'transient' } });
    const out = sentTo('/record/v1/customer').at(-1)!;
    expect(out.method).toBe('POST');
    expect(out.headers).toMatchObject({ 'x-netsuite-idempotency-key': 'b1d2-77', prefer: 'respond-async' });
    expect(out.headers['idempotency-key']).toBeUndefined();
  });

  it('GET /v1/tenants: status filter and cursor paging, by tenant name', async () => {
    const at = new Date().toISOString();
    for (const [tenant, status] of [['acme', 'healthy'], ['globex', 'needs_certificate'], ['sandbox', 'healthy']] as const) {
      await h.service.statuses.update(tenant, () => ({ tenant, status, reason: 'test', since: at, lastCheckAt: at, nextCheckAt: at, failures: 0 }));
    }
    const page = async (query: string) => (await (await call('GET', `/tenants${query}`)).json()) as { items: { tenant: string; status: string }[]; nextCursor?: string };
    const first = await page('?limit=2');
    expect(first.items.map((t) => t.tenant)).toEqual(['acme', 'globex']);
    const second = await page(`?limit=2&cursor=${first.nextCursor}`);
    expect([second.items.map((t) => t.tenant), second.nextCursor]).toEqual([['sandbox'], undefined]);
    const healthy = await page('?status=healthy&limit=1');
    expect(healthy.items.map((t) => [t.tenant, t.status])).toEqual([['acme', 'healthy']]);
    expect((await page(`?status=healthy&limit=1&cursor=${healthy.nextCursor}`)).items.map((t) => t.tenant)).toEqual(['sandbox']);
    expect((await page('?status=needs_certificate')).items.map((t) => t.tenant)).toEqual(['globex']);
    const bad = await call('GET', '/tenants?cursor=!!');
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([400, 'INVALID_ARGUMENT']);
  });

  it('proxied calls count in /metrics: NetSuite calls by kind and status, over-limit answers', async () => {
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}]/g, (c) => `\\${c}`)} (\\d+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    // 20 + 8 + 1 RESTlet GETs and the config writes and reads above, at least.
    expect(value('suitebridge_netsuite_calls_total{kind="restlet",status="200"}')).toBeGreaterThanOrEqual(29);
    expect(value('suitebridge_netsuite_calls_total{kind="suiteql",status="200"}')).toBeGreaterThanOrEqual(4);
    expect(value('suitebridge_over_limit_total{kind="restlet"}')).toBe(1);
  });

  it('a 401 from NetSuite: the token is replaced and the call made again, once', async () => {
    const tokensBefore = await h.tokenRequests('1234567');
    h.fake401(1);
    const res = await call('GET', `/tenants/acme/restlets/${HEALTH}`);
    expect(res.status).toBe(200);
    expect((await h.tokenRequests('1234567')) - tokensBefore).toBe(1);
  });

  it('5 concurrent calls all answered 401 with the same token: one new token, every call 200', async () => {
    const tokensBefore = await h.tokenRequests('1234567');
    h.rejectLastToken('1234567');
    await faults({ latencyMs: 20 });
    const statuses = await Promise.all(Array.from({ length: 5 }, async () => (await call('GET', `/tenants/acme/restlets/${HEALTH}`)).status));
    await faults({ latencyMs: 0 });
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect((await h.tokenRequests('1234567')) - tokensBefore).toBe(1);
  });

  it('within tenantCacheMs the record and token are reused (no store read per call); after it, read again', async () => {
    await call('GET', `/tenants/acme/restlets/${HEALTH}`);
    const credentials = jest.spyOn(h.service.orchestrator, 'credentials');
    const accessToken = jest.spyOn(h.service.orchestrator, 'accessToken');
    try {
      for (let i = 0; i < 5; i++) expect((await call('GET', `/tenants/acme/restlets/${HEALTH}`)).status).toBe(200);
      expect([credentials.mock.calls.length, accessToken.mock.calls.length]).toEqual([0, 0]);
      h.clock.ms += 5_000;
      expect((await call('GET', `/tenants/acme/restlets/${HEALTH}`)).status).toBe(200);
      expect([credentials.mock.calls.length, accessToken.mock.calls.length]).toEqual([1, 1]);
    } finally {
      credentials.mockRestore();
      accessToken.mockRestore();
    }
  });
});
