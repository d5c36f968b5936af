import { ConfigurationError, SuiteBridgeError } from '../errors';
import { toNetSuiteApiError } from './apiErrors';
import { authorizedRequest, isSuccess } from './authorizedRequest';
import type { ResourceClientOptions } from './types';

/** REST SuiteQL returns at most 100,000 rows per query (CONFIRMED, Oracle). */
export const SUITEQL_MAX_RESULTS = 100_000;
export const SUITEQL_MAX_PAGE_SIZE = 1000;

export interface SuiteQLOptions {
  /** Rows per request, 1..1000. Default 1000. */
  pageSize?: number;
  /** Bind values for `?` placeholders, sent as `params` next to `q`. */
  params?: unknown[];
  signal?: AbortSignal;
}

interface SuiteQLPage {
  items: Record<string, unknown>[];
  hasMore: boolean;
  totalResults: number | undefined;
}

/** SuiteQL over REST web services: POST {q} with `Prefer: transient`, paged by limit/offset. */
export class SuiteQLClient {
  constructor(private readonly o: ResourceClientOptions) {}

  /**
   * Yields one array per page. Throws SUITEQL_LIMIT_EXCEEDED once 100,000 rows were read: REST SuiteQL stops there,
   * and a result of exactly 100,000 rows cannot be told apart from a truncated one.
   */
  query<T = Record<string, unknown>>(sql: string, o: SuiteQLOptions = {}): AsyncIterable<T[]> {
    return this.iterate<T>(sql, o, false);
  }

  /** Every row. Fails after the first page when NetSuite reports 100,000 results or more. */
  async all<T = Record<string, unknown>>(sql: string, o: SuiteQLOptions = {}): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.iterate<T>(sql, o, true)) rows.push(...page);
    return rows;
  }

  private iterate<T>(sql: string, o: SuiteQLOptions, failFast: boolean): AsyncIterable<T[]> {
    const pageSize = checkPageSize(o.pageSize ?? SUITEQL_MAX_PAGE_SIZE);
    checkSql(sql);
    return { [Symbol.asyncIterator]: () => this.pages<T>(sql, pageSize, o, failFast) };
  }

  private async *pages<T>(sql: string, pageSize: number, o: SuiteQLOptions, failFast: boolean): AsyncGenerator<T[]> {
    for (let offset = 0; ; offset += pageSize) {
      // Always the same limit: offsets stay multiples of it (reported as required; UNCERTAIN).
      const page = await this.fetchPage(sql, pageSize, offset, o);
      page.items = page.items.slice(0, SUITEQL_MAX_RESULTS - offset);
      if (failFast && offset === 0 && page.totalResults !== undefined && page.totalResults >= SUITEQL_MAX_RESULTS) {
        throw limitExceeded(page.totalResults);
      }
      if (page.items.length > 0) yield page.items as T[];
      // NetSuite stops at 100,000 rows (and may then report hasMore: false), so a read that reaches the cap
      // cannot tell a complete result from a truncated one: fail rather than return a silent subset.
      if (offset + page.items.length >= SUITEQL_MAX_RESULTS) throw limitExceeded(page.totalResults);
      if (!page.hasMore || page.items.length === 0) return;
    }
  }

  private async fetchPage(sql: string, limit: number, offset: number, o: SuiteQLOptions): Promise<SuiteQLPage> {
    const url = new URL(this.o.endpoints.suiteqlUrl);
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('offset', String(offset));
    const body = JSON.stringify(o.params === undefined ? { q: sql } : { q: sql, params: o.params });
    const result = await authorizedRequest(this.o, (authorization) => ({
      method: 'POST',
      url: url.toString(),
      headers: { authorization, accept: 'application/json', 'content-type': 'application/json', prefer: 'transient' },
      body,
      // A query changes nothing, so it is safe to resend.
      retryNonIdempotent: true,
      ...(o.signal ? { signal: o.signal } : {}),
    }));
    if (!isSuccess(result.status)) throw toNetSuiteApiError(result, 'rest', `SuiteQL query (offset ${offset})`);
    return parsePage(result.body);
  }
}

function parsePage(body: string): SuiteQLPage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SuiteBridgeError('NETSUITE_ERROR', 'SuiteQL answered with a body that is not JSON', {
      remedy: 'Check that the URL points at the suitetalk.api host of the account.',
    });
  }
  const page = json as { items?: unknown; hasMore?: unknown; totalResults?: unknown };
  if (!Array.isArray(page.items)) {
    throw new SuiteBridgeError('NETSUITE_ERROR', 'SuiteQL response has no "items" array', {
      remedy: 'Check that the URL points at /services/rest/query/v1/suiteql on the suitetalk.api host.',
    });
  }
  return {
    items: page.items.map(withoutLinks),
    hasMore: page.hasMore === true,
    totalResults: typeof page.totalResults === 'number' ? page.totalResults : undefined,
  };
}

/** Each SuiteQL row carries a `links` array that is not a column. */
function withoutLinks(item: unknown): Record<string, unknown> {
  if (typeof item !== 'object' || item === null) return {};
  const { links: _links, ...row } = item as Record<string, unknown>;
  return row;
}

function limitExceeded(totalResults: number | undefined): SuiteBridgeError {
  const total = totalResults === undefined || totalResults <= SUITEQL_MAX_RESULTS ? 'at least 100,000' : totalResults.toLocaleString('en-US');
  return new SuiteBridgeError('SUITEQL_LIMIT_EXCEEDED', `SuiteQL query matches ${total} rows; REST SuiteQL returns at most 100,000, so the result would be incomplete`, {
    remedy: 'Narrow the query (a WHERE on a date or ID range, run in slices), or use SuiteAnalytics Connect for bulk reads.',
  });
}

function checkPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > SUITEQL_MAX_PAGE_SIZE) {
    throw new ConfigurationError('INVALID_ARGUMENT', `pageSize must be an integer from 1 to 1000, got ${String(pageSize)}`, {
      field: 'pageSize',
      remedy: 'NetSuite caps SuiteQL pages at 1000 rows; use 1000 or less.',
    });
  }
  return pageSize;
}

function checkSql(sql: string): void {
  if (typeof sql !== 'string' || sql.trim() === '') {
    throw new ConfigurationError('INVALID_ARGUMENT', 'SuiteQL query is empty', { field: 'sql', remedy: 'Pass a SELECT statement.' });
  }
}
