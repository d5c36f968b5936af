/**
 * API keys and access to /v1 (issue 12): keys stored hashed, scopes, tenant limits, revocation, per-key rate limits,
 * security headers, RFC 9457 problem details, and no key in any log line.
 */
import Redis from 'ioredis';
import pino from 'pino';
import { MemoryTokenStore } from '../../client/src/store';
import { ApiKeyStore, API_KEY_PREFIX } from '../../service/src/api/apiKeys';
import { buildServiceHttp } from '../../service/src/httpServer';
import { SuiteBridgeService } from '../../service/src/service';
import { startRedis } from '../support/redis';
import { apiKeySecret } from './support/apiKeySecret';

function setup(o: { rateLimitPerMinute?: number } = {}) {
  const store = new MemoryTokenStore();
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  // Never started: these routes need no job queue.
  const service = new SuiteBridgeService({ store, redis: 'redis://127.0.0.1:1', accountSemaphore: false, logger });
  const keys = new ApiKeyStore(store, () => Date.parse('2026-11-29T00:00:00Z'));
  const app = buildServiceHttp(service, { api: { keys, ...o } });
  return { store, keys, app, lines };
}

describe('API keys', () => {
  it('are returned once and stored as a SHA-256 only; verify accepts the key, refuses a changed or revoked one', async () => {
    const { store, keys } = setup();
    const { key, record } = await keys.create({ name: 'billing', scopes: ['proxy', 'tenants:read'], tenants: ['acme'] });
    expect(key).toMatch(/^sbk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const stored = (await store.get(API_KEY_PREFIX + record.id))?.value ?? '';
    expect(stored).not.toContain(apiKeySecret(key));
    expect(JSON.parse(stored)).toMatchObject({ id: record.id, scopes: ['proxy', 'tenants:read'], tenants: ['acme'], sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await keys.verify(key)).toMatchObject({ id: record.id, name: 'billing' });
    expect(await keys.verify(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(await keys.verify('sbk_nothing')).toBeUndefined();
    expect(await keys.list()).toEqual([expect.not.objectContaining({ sha256: expect.anything() })]);
    expect(await keys.revoke(record.id)).toBe(true);
    expect(await keys.verify(key)).toBeUndefined();
    expect(await keys.revoke('0000000000000000')).toBe(false);
  });

  it('refuse unknown scopes and empty names with a typed error', async () => {
    const { keys } = setup();
    await expect(keys.create({ name: 'x', scopes: ['admin'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'scopes' });
    await expect(keys.create({ name: '', scopes: ['proxy'] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', field: 'name' });
  });
});

describe('/v1 access', () => {
  it('no key, a malformed key, a revoked key: 401 problem details; helmet headers on every answer', async () => {
    const { app, keys } = setup();
    const { key, record } = await keys.create({ name: 'reader', scopes: ['tenants:read'] });
    for (const authorization of [undefined, 'Basic abc', `Bearer ${key}x`]) {
      const res = await app.inject({ method: 'GET', url: '/v1/tenants', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ type: 'urn:suitebridge:error:UNAUTHENTICATED', status: 401, code: 'UNAUTHENTICATED', title: 'Unauthenticated', remedy: expect.any(String) });
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toBeDefined();
    }
    expect((await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    await keys.revoke(record.id);
    expect((await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
    await app.close();
  });

  it('a key without the scope: 403 naming the scope; an unknown route: 404 problem; the OpenAPI document needs no key', async () => {
    const { app, keys } = setup();
    const { key } = await keys.create({ name: 'proxy-only', scopes: ['proxy'] });
    const res = await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN', detail: expect.stringContaining('tenants:read') });
    const missing = await app.inject({ method: 'GET', url: '/v1/nothing', headers: { authorization: `Bearer ${key}` } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    const doc = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(doc.json()).toMatchObject({ openapi: '3.1.0' });
    await app.close();
  });

  it('rate limits per key: a key over its own limit gets 429 with Retry-After; another key is not affected', async () => {
    const { app, keys } = setup({ rateLimitPerMinute: 100 });
    const slow = await keys.create({ name: 'slow', scopes: ['tenants:read'], rateLimitPerMinute: 2 });
    const other = await keys.create({ name: 'other', scopes: ['tenants:read'] });
    const call = (key: string) => app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${key}` } });
    expect((await call(slow.key)).statusCode).toBe(200);
    expect((await call(slow.key)).statusCode).toBe(200);
    const refused = await call(slow.key);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect((await call(other.key)).statusCode).toBe(200);
    await app.close();
  });

  it('with a shared Redis, a key\'s limit counts across replicas', async () => {
    const redis = await startRedis();
    const clients = [new Redis(redis.redis.url), new Redis(redis.redis.url)];
    try {
      const store = new MemoryTokenStore();
      const keys = new ApiKeyStore(store);
      const replicas = clients.map((client) => buildServiceHttp(new SuiteBridgeService({ store, redis: 'redis://127.0.0.1:1', accountSemaphore: false, logger: pino({ level: 'silent' }) }), { api: { keys, rateLimitRedis: client } }));
      const { key } = await keys.create({ name: 'shared', scopes: ['tenants:read'], rateLimitPerMinute: 3 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await replicas[i % 2]!.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${key}` } })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      await Promise.all(replicas.map((r) => r.close()));
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
      await redis.destroy();
    }
  }, 30_000);

  it('log lines name the key id, never the key', async () => {
    const { app, keys, lines } = setup();
    const { key, record } = await keys.create({ name: 'reader', scopes: ['tenants:read'] });
    await app.inject({ method: 'GET', url: '/v1/tenants?status=healthy', headers: { authorization: `Bearer ${key}` } });
    await app.inject({ method: 'GET', url: '/v1/tenants', headers: { authorization: `Bearer ${key}x` } });
    const log = lines.join('');
    expect(log).toContain(record.id);
    expect(log).toContain('"path":"/v1/tenants"');
    expect(log).not.toContain(apiKeySecret(key));
    await app.close();
  });
});
