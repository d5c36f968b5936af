import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SuiteQLTimeoutError, runBoundedSelect } from '../data/boundedQuery';
import { SuiteQLError } from '../data/suiteql';
import { mediaType, queryOf, rawBody } from '../http';
import { sendProblem } from '../resource/problem';
import { withRestCaller } from '../resource/restGuard';
import type { EmulatorServices } from '../services';

export const SUITEQL_PATH = '/services/rest/query/v1/suiteql';
export const MAX_PAGE = 1000;
export const MAX_RESULTS = 100_000;

class BadRequest extends Error {
  constructor(readonly code: string, message: string, readonly path?: string) {
    super(message);
  }
}

function pageParameters(q: Record<string, string>): { limit: number; offset: number } {
  const limit = q.limit === undefined ? MAX_PAGE : Number(q.limit);
  const offset = q.offset === undefined ? 0 : Number(q.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new BadRequest('INVALID_PARAMETER', `The limit parameter must be an integer from 1 to ${MAX_PAGE}.`, 'limit');
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequest('INVALID_PARAMETER', 'The offset parameter must be a non-negative integer.', 'offset');
  if (offset >= MAX_RESULTS) throw new BadRequest('INVALID_PARAMETER', `SuiteQL through REST returns at most ${MAX_RESULTS} results; offset must be below ${MAX_RESULTS}.`, 'offset');
  return { limit, offset };
}

/** The body `{"q": "...", "params": [...]}`; `params` (bind values for `?`) is optional. */
function queryBody(request: FastifyRequest): { q: string; params: unknown[] } {
  if (mediaType(request) !== 'application/json') throw new BadRequest('INVALID_CONTENT', 'The request body must be JSON ({"q": "SELECT ..."}) with Content-Type: application/json.');
  let body: unknown;
  try {
    body = JSON.parse(rawBody(request));
  } catch {
    throw new BadRequest('INVALID_CONTENT', 'The request body is not valid JSON.');
  }
  const { q, params } = (body ?? {}) as { q?: unknown; params?: unknown };
  if (typeof q !== 'string' || q.trim() === '') throw new BadRequest('INVALID_CONTENT', 'The request body must contain "q" with a SuiteQL query.', 'q');
  if (params === undefined) return { q, params: [] };
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  if (!Array.isArray(params) || !params.every(scalar)) {
    throw new BadRequest('INVALID_CONTENT', '"params" must be an array of strings, numbers, booleans or nulls, one per "?" in the query.', 'params');
  }
  // NetSuite writes booleans as 'T'/'F'.
  return { q, params: params.map((v) => (typeof v === 'boolean' ? (v ? 'T' : 'F') : v)) };
}

/** NetSuite returns SuiteQL values as strings and omits nulls (UNCERTAIN; see docs/emulator.md). */
function toItem(row: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = { links: [] };
  for (const [k, v] of Object.entries(row)) if (v !== null && v !== undefined) item[k] = typeof v === 'string' ? v : String(v);
  return item;
}

function pageLink(base: string, rel: string, limit: number, offset: number): { rel: string; href: string } {
  return { rel, href: `${base}${SUITEQL_PATH}?limit=${limit}&offset=${offset}` };
}

export function registerSuiteQLRoute(app: FastifyInstance, s: EmulatorServices): void {
  // Stopping the emulator ends running queries instead of waiting for their time budget.
  const stopping = new AbortController();
  app.addHook('preClose', async () => stopping.abort());
  app.post(SUITEQL_PATH, async (request, reply) => withRestCaller(s, request, reply, 'suiteql', async (caller): Promise<FastifyReply> => {
    try {
      if (s.config.suiteqlRequiresTransient && !/\btransient\b/i.test(String(request.headers.prefer ?? ''))) {
        throw new BadRequest('INVALID_HEADER', 'SuiteQL requests need the header "Prefer: transient".', 'Prefer');
      }
      const { limit, offset } = pageParameters(queryOf(request));
      const { q, params } = queryBody(request);
      // Bounded: at most MAX_RESULTS rows are counted and the query has a time budget (an unbounded recursive WITH
      // must not freeze the emulator).
      const { rows, totalResults } = await runBoundedSelect(s.directory.db(caller.accountId), {
        sql: q, params, limit, offset, maxRows: MAX_RESULTS, timeoutMs: s.config.limits.suiteqlTimeoutMs,
      }, stopping.signal);
      const items = rows.slice(0, Math.max(0, totalResults - offset)).map(toItem);
      const hasMore = offset + items.length < totalResults;
      const base = `${request.protocol}://${request.headers.host ?? ''}`;
      const lastOffset = totalResults === 0 ? 0 : Math.floor((totalResults - 1) / limit) * limit;
      const links = [pageLink(base, 'first', limit, 0)];
      if (offset > 0) links.push(pageLink(base, 'prev', limit, Math.max(0, offset - limit)));
      if (hasMore) links.push(pageLink(base, 'next', limit, offset + limit));
      links.push(pageLink(base, 'last', limit, lastOffset), pageLink(base, 'self', limit, offset));
      return reply.type('application/vnd.oracle.resource+json; type=collection; charset=utf-8')
        .send(JSON.stringify({ links, count: items.length, hasMore, items, offset, totalResults }));
    } catch (err) {
      if (err instanceof BadRequest) return sendProblem(reply, 400, err.code, err.message, err.path);
      if (err instanceof SuiteQLError) return sendProblem(reply, 400, 'INVALID_PARAMETER', err.message, 'q');
      if (err instanceof SuiteQLTimeoutError) {
        // UNCERTAIN code: NetSuite's answer to a runaway SuiteQL query is undocumented; SSS_SEARCH_TIMEOUT is its search timeout.
        return sendProblem(reply, 400, 'SSS_SEARCH_TIMEOUT', `The search has timed out (limit ${err.timeoutMs} ms). Narrow the query; a recursive WITH needs a stop condition.`, 'q');
      }
      throw err;
    }
  }, { restWebServicesPermissions: true }));
}
