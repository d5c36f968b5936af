/**
 * The service's security headers are computed once from helmet instead of @fastify/helmet per request (a proxy
 * profile showed helmet rebuilt on every call): the answers carry exactly the headers @fastify/helmet would set.
 */
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import pino from 'pino';
import { MemoryTokenStore } from '../../client/src/store';
import { buildServiceHttp } from '../../service/src/httpServer';
import { SuiteBridgeService } from '../../service/src/service';

const securityHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(name)));

describe('security headers', () => {
  it('are the ones @fastify/helmet sets, on a success and on a 404', async () => {
    const reference = Fastify({ logger: false });
    await reference.register(helmet);
    reference.get('/healthz', async () => ({ ok: true }));
    const expected = securityHeaders((await reference.inject({ method: 'GET', url: '/healthz' })).headers);
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options']));

    const service = new SuiteBridgeService({ store: new MemoryTokenStore(), redis: 'redis://127.0.0.1:1', accountSemaphore: false, logger: pino({ level: 'silent' }) });
    const app = buildServiceHttp(service);
    try {
      for (const url of ['/healthz', '/nothing-here']) {
        expect(securityHeaders((await app.inject({ method: 'GET', url })).headers)).toEqual(expected);
      }
    } finally {
      await app.close();
      await reference.close();
    }
  });
});
