import { resolveEndpoints } from '../../client/src/account';
import { NetSuiteApiError, SuiteBridgeError } from '../../client/src/errors';
import { SuiteQLClient } from '../../client/src/resources/suiteql';
import { countingTokens, json, scriptedFetch, testHttp, text, type RecordedCall, type Reply } from './_resourceFakes';

const endpoints = resolveEndpoints('1234567');
const SUITEQL = 'https://1234567.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql';

/** Answers like NetSuite for a table of `total` rows: items carry links, hasMore, offset, totalResults. */
function suiteqlTable(total: number) {
  return (call: RecordedCall): Response => {
    const url = new URL(call.url);
    const limit = Number(url.searchParams.get('limit'));
    const offset = Number(url.searchParams.get('offset'));
    const ids = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i + 1);
    return json(200, {
      links: [],
      count: ids.length,
      hasMore: offset + ids.length < total,
      items: ids.map((id) => ({ links: [], id: String(id) })),
      offset,
      totalResults: total,
    });
  };
}

function client(replies: Reply[]) {
  const { fetch, calls } = scriptedFetch(replies);
  const auth = countingTokens();
  const { http, waits } = testHttp(fetch);
  return { suiteql: new SuiteQLClient({ endpoints, http, auth }), calls, auth, waits };
}

/** Counts the rows the query's pages yield until they end or it throws; err is what it threw, if anything. */
async function countRowsUntilError(query: () => AsyncIterable<unknown[]>): Promise<{ rows: number; err: unknown }> {
  let rows = 0;
  const err = await (async () => {
    for await (const p of query()) rows += p.length;
  })().catch((e: unknown) => e);
  return { rows, err };
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('SuiteQLClient', () => {
  it('POSTs {q} with Prefer: transient and pages by limit/offset until hasMore is false', async () => {
    const page = suiteqlTable(2500);
    const { suiteql, calls } = client([page, page, page]);
    const pages = await collect(suiteql.query<{ id: string }>('SELECT id FROM customer ORDER BY id'));
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    expect(pages[2]![499]).toEqual({ id: '2500' });
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['?limit=1000&offset=0', '?limit=1000&offset=1000', '?limit=1000&offset=2000']);
    for (const call of calls) {
      expect(`${new URL(call.url).origin}${new URL(call.url).pathname}`).toBe(SUITEQL);
      expect(call).toMatchObject({ method: 'POST', body: '{"q":"SELECT id FROM customer ORDER BY id"}' });
      expect(call.headers).toMatchObject({ prefer: 'transient', 'content-type': 'application/json', authorization: 'Bearer token-1' });
    }
  });

  it('strips the per-row links array', async () => {
    const { suiteql } = client([json(200, { items: [{ links: [{ rel: 'self' }], id: '1', name: 'A' }], hasMore: false })]);
    expect(await suiteql.all('SELECT id, name FROM customer')).toEqual([{ id: '1', name: 'A' }]);
  });

  it('honours a smaller page size and sends params when given', async () => {
    const page = suiteqlTable(5);
    const { suiteql, calls } = client([page, page, page]);
    const rows = await suiteql.all('SELECT id FROM customer WHERE id > ?', { pageSize: 2, params: [0] });
    expect(rows).toHaveLength(5);
    expect(calls.map((c) => new URL(c.url).searchParams.get('offset'))).toEqual(['0', '2', '4']);
    expect(JSON.parse(calls[0]!.body!)).toEqual({ q: 'SELECT id FROM customer WHERE id > ?', params: [0] });
  });

  it('yields nothing for an empty result', async () => {
    const { suiteql } = client([suiteqlTable(0)]);
    expect(await collect(suiteql.query('SELECT id FROM customer WHERE 1 = 0'))).toEqual([]);
  });

  it('stops when a page is empty even if hasMore says otherwise', async () => {
    const { suiteql, calls } = client([json(200, { items: [], hasMore: true })]);
    expect(await suiteql.all('SELECT 1 FROM dual')).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it.each([0, 1001, 2.5, -1])('rejects page size %p with INVALID_ARGUMENT before any request', async (pageSize) => {
    const { suiteql, calls } = client([]);
    expect(() => suiteql.query('SELECT 1', { pageSize })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT', field: 'pageSize' }));
    expect(calls).toHaveLength(0);
  });

  it('rejects an empty query', () => {
    const { suiteql } = client([]);
    expect(() => suiteql.query('  ')).toThrow(/empty/);
  });

  it('iterates up to 100,000 rows, then throws SUITEQL_LIMIT_EXCEEDED naming the fix', async () => {
    const page = suiteqlTable(150_000);
    const { suiteql, calls } = client(Array.from({ length: 101 }, () => page));
    const { rows, err } = await countRowsUntilError(() => suiteql.query('SELECT id FROM transaction'));
    expect(rows).toBe(100_000);
    expect(calls).toHaveLength(100);
    expect(err).toBeInstanceOf(SuiteBridgeError);
    expect((err as Error).message).toContain('150,000');
    expect(err).toMatchObject({ code: 'SUITEQL_LIMIT_EXCEEDED' });
    expect((err as SuiteBridgeError).remedy).toMatch(/Narrow the query.*SuiteAnalytics Connect/);
  });

  it('treats a read that reaches 100,000 rows as capped even when NetSuite says hasMore: false', async () => {
    // What a capped server answers: totalResults clipped to 100,000 and no next page.
    const page = suiteqlTable(100_000);
    const { suiteql, calls } = client(Array.from({ length: 100 }, () => page));
    const { rows, err } = await countRowsUntilError(() => suiteql.query('SELECT id FROM transaction'));
    expect(rows).toBe(100_000);
    expect(calls).toHaveLength(100);
    expect(err).toMatchObject({ code: 'SUITEQL_LIMIT_EXCEEDED', message: expect.stringContaining('at least 100,000') });
  });

  it('reads 99,999 rows without error', async () => {
    const page = suiteqlTable(99_999);
    const { suiteql } = client(Array.from({ length: 100 }, () => page));
    expect(await suiteql.all('SELECT id FROM transaction')).toHaveLength(99_999);
  });

  it('keeps the last page within the cap when the page size does not divide 100,000', async () => {
    const page = suiteqlTable(150_000);
    const { suiteql, calls } = client(Array.from({ length: 200 }, () => page));
    const { rows } = await countRowsUntilError(() => suiteql.query('SELECT id FROM transaction', { pageSize: 700 }));
    expect(rows).toBe(100_000);
    expect(new URL(calls.at(-1)!.url).search).toBe('?limit=700&offset=99400');
  });

  it('all() fails on the first page when totalResults is over the cap', async () => {
    const { suiteql, calls } = client([suiteqlTable(250_000)]);
    const err = (await suiteql.all('SELECT id FROM transaction').catch((e: unknown) => e)) as SuiteBridgeError;
    expect(err.code).toBe('SUITEQL_LIMIT_EXCEEDED');
    expect(err.message).toContain('250,000');
    expect(calls).toHaveLength(1);
  });

  it('retries a query page on 429 (a query is safe to resend although it is a POST)', async () => {
    const page = suiteqlTable(3);
    const { suiteql, calls, waits } = client([text(429, 'Too Many Requests'), page]);
    expect(await suiteql.all('SELECT id FROM customer')).toHaveLength(3);
    expect(calls).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it('maps a SuiteQL problem JSON error', async () => {
    const { suiteql } = client([
      json(400, { title: 'Bad Request', status: 400, 'o:errorDetails': [{ detail: 'Invalid search query. Unknown identifier nope.', 'o:errorCode': 'INVALID_PARAMETER' }] }),
    ]);
    const err = (await suiteql.all('SELECT nope FROM customer').catch((e: unknown) => e)) as NetSuiteApiError;
    expect(err).toBeInstanceOf(NetSuiteApiError);
    expect(err).toMatchObject({ status: 400, netsuiteCode: 'INVALID_PARAMETER', kind: 'rest' });
    expect(err.message).toContain('Unknown identifier nope');
  });

  it('refreshes the token once on 401 mid-iteration', async () => {
    const page = suiteqlTable(1500);
    const unauthorized = json(401, { title: 'Unauthorized', status: 401, 'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }] });
    const { suiteql, auth, calls } = client([page, unauthorized, page]);
    expect(await suiteql.all('SELECT id FROM customer')).toHaveLength(1500);
    expect(auth.invalidated).toBe(1);
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('reports a body that is not a SuiteQL page', async () => {
    const { suiteql } = client([text(200, '<html>login</html>')]);
    await expect(suiteql.all('SELECT 1')).rejects.toMatchObject({ code: 'NETSUITE_ERROR', message: expect.stringContaining('not JSON') });
    const other = client([json(200, { rows: [] })]);
    await expect(other.suiteql.all('SELECT 1')).rejects.toThrow(/no "items" array/);
  });
});
