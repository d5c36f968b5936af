/**
 * Requests that used to break the emulator (issue 9 §7): record types that name Object.prototype members, and
 * SuiteQL that never ends. The emulator answers NetSuite's errors and keeps serving everyone else.
 */
import { adminAccessToken, hostFetch, startHarness, type Harness } from './support/emulator';

jest.setTimeout(30_000);

const RUNAWAY_COUNT = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT COUNT(*) AS c FROM n';
const ENDLESS_ROWS = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n';

function suiteql(h: Harness, token: string, q: string, query = ''): Promise<Response> {
  return hostFetch(new URL(`/services/rest/query/v1/suiteql${query}`, h.hosts.suitetalk), {
    method: 'POST', headers: { authorization: `Bearer ${token}`, prefer: 'transient', 'content-type': 'application/json' }, body: JSON.stringify({ q }),
  });
}

describe('records route: prototype names are unknown record types', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => { h = await startHarness({ accounts: [{ accountId: '1234567', customers: 1 }] }); token = await adminAccessToken(h); });
  afterAll(async () => { await h.emu.stop(); });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('GET /services/rest/record/v1/%s/1 → 400 INVALID_RCRD_TYPE problem JSON', async (type) => {
    const res = await hostFetch(new URL(`/services/rest/record/v1/${type}/1`, h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body['o:errorDetails'][0]['o:errorCode']).toBe('INVALID_RCRD_TYPE');
  });
});

describe('SuiteQL is bounded in rows and time', () => {
  test('an endless recursive WITH that streams rows stops at the 100,000-result cap', async () => {
    // A generous time budget: the row cap, not the clock, must end this one.
    const h = await startHarness({ accounts: [{ accountId: '1234567', customers: 0 }], limits: { suiteqlTimeoutMs: 600_000 } });
    try {
      const res = await suiteql(h, await adminAccessToken(h), ENDLESS_ROWS, '?limit=2&offset=4');
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ count: 2, hasMore: true, offset: 4, totalResults: 100_000 });
      expect(body.items.map((i: { x: string }) => i.x)).toEqual(['5', '6']);
    } finally {
      await h.emu.stop();
    }
  });
  test('a query that never yields a row → 400 SSS_SEARCH_TIMEOUT after limits.suiteqlTimeoutMs', async () => {
    const h = await startHarness({ accounts: [{ accountId: '1234567', customers: 0 }], limits: { suiteqlTimeoutMs: 200 } });
    try {
      const res = await suiteql(h, await adminAccessToken(h), RUNAWAY_COUNT);
      expect(res.status).toBe(400);
      const detail = (await res.json())['o:errorDetails'][0];
      expect(detail['o:errorCode']).toBe('SSS_SEARCH_TIMEOUT');
      expect(detail.detail).toMatch(/recursive WITH needs a stop condition/);
    } finally {
      await h.emu.stop();
    }
  });
  test('while it runs, the emulator keeps answering (discovery and a second query), and stopping it ends the query', async () => {
    const h = await startHarness({ accounts: [{ accountId: '1234567', customers: 3 }], limits: { suiteqlTimeoutMs: 600_000 } });
    const token = await adminAccessToken(h);
    let settled = false;
    const runaway = suiteql(h, token, RUNAWAY_COUNT).then((r) => { settled = true; return r; }, () => { settled = true; return undefined; });
    const discovery = await hostFetch(new URL('/.well-known/openid-configuration', h.hosts.suitetalk));
    expect(discovery.status).toBe(200);
    const other = await suiteql(h, token, 'SELECT COUNT(*) AS n FROM customer');
    expect((await other.json()).items[0].n).toBe('3');
    expect(settled).toBe(false);
    await h.emu.stop();
    await runaway;
    expect(settled).toBe(true);
  });
});
