import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';

type HelmetFactory = () => (req: unknown, res: { setHeader(name: string, value: string): void; removeHeader(name: string): void }, next: (err?: unknown) => void) => void;

/**
 * Helmet's default security headers, worked out once. @fastify/helmet calls helmet(config) again on every request,
 * building each middleware and the CSP string anew (in a profile of the proxy: ~3% of its CPU, plus the garbage); with
 * the default configuration and no CSP nonces the headers never change, so they are computed at start and set by one
 * synchronous hook. Helmet is the one @fastify/helmet depends on (resolved from there), so the values stay its own.
 */
export function helmetDefaultHeaders(): { set: Array<[string, string]>; removed: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helmet = require(require.resolve('helmet', { paths: [dirname(require.resolve('@fastify/helmet'))] })) as HelmetFactory;
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  helmet()({}, { setHeader: (name, value) => set.push([name, value]), removeHeader: (name) => removed.push(name) }, (err) => {
    if (err) throw err;
  });
  return { set, removed };
}

/** Sets helmet's default headers on every answer of `app` (and its plugins). */
export function securityHeaders(app: FastifyInstance): void {
  const { set, removed } = helmetDefaultHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of set) reply.raw.setHeader(name, value);
    for (const name of removed) reply.raw.removeHeader(name);
    done();
  });
}
