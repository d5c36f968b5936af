/**
 * Redelivering a recorded webhook delivery (issue 12): the same event and webhook-id again with a new timestamp and
 * signature, verified by a local receiver with `standardwebhooks`; through the service method and
 * `POST /v1/events/deliveries/{id}/redeliver` (scope, problem details for an unknown id, tenant-limited keys).
 */
import { randomBytes } from 'node:crypto';
import Ajv2020 from 'ajv/dist/2020';
import pino from 'pino';
import { MemoryTokenStore } from '../../client/src/store';
import { openApiDocument } from '../../service/src/api';
import { ApiKeyStore } from '../../service/src/api/apiKeys';
import { buildServiceHttp } from '../../service/src/httpServer';
import { SuiteBridgeService } from '../../service/src/service';
import { DeliveryLog, WebhookDispatcher, WebhookRedeliveryError, type DeliveryRecord } from '../../service/src/webhooks';
import { startRedis } from '../support/redis';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhookReceiver';

const STATUS_CHANGE = { tenant: 'acme', accountId: '1234567', oldStatus: 'healthy', newStatus: 'needs_certificate', reason: 'revoked (CertificateRevoked)', since: '2026-01-01T00:00:00.000Z' } as const;

describe('webhook redelivery', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let receiver: WebhookReceiver;
  let service: SuiteBridgeService;
  const store = new MemoryTokenStore();

  beforeAll(async () => {
    [redis, receiver] = await Promise.all([startRedis(), startWebhookReceiver()]);
    service = new SuiteBridgeService({
      store,
      redis: redis.redis.url,
      queueName: `redeliver-${randomBytes(4).toString('hex')}`,
      webhooks: [{ url: receiver.url, secret: receiver.secret }],
      // One queued attempt, so the failure below stays a failure until someone redelivers.
      webhookAttempts: 1,
      logger: pino({ level: 'silent' }),
    });
    await service.start();
    await service.whenIdle();
  }, 60_000);
  afterAll(async () => {
    await service?.stop();
    await Promise.all([redis?.destroy(), receiver?.close()]);
  });

  const deliveryOf = async (messageType: string, tenant: string): Promise<DeliveryRecord> => {
    const found = (await service.deliveries.list()).filter((d) => d.type === messageType && d.tenant === tenant);
    expect(found).toHaveLength(1);
    return found[0] as DeliveryRecord;
  };

  it('a failed delivery sent again reaches the receiver with the same webhook-id, verified; the attempt is recorded', async () => {
    receiver.failNext(1, 503);
    service.events.emit('tenant.status_changed', STATUS_CHANGE);
    await service.whenIdle();
    const failed = await deliveryOf('tenant.status_changed', 'acme');
    expect(failed).toMatchObject({ delivered: false, endpoint: 0, attempts: [{ attempt: 1, ok: false, status: 503 }] });
    expect(failed.id).toBe(`${failed.messageId}-0`);
    expect(receiver.verified).toHaveLength(0);

    const first = await service.redeliver(failed.id);
    expect(first.attempt).toMatchObject({ attempt: 2, ok: true, status: 204, redelivery: true });
    expect(first.delivery).toMatchObject({ id: failed.id, delivered: true, attempts: [{ ok: false }, { ok: true, redelivery: true }] });
    expect(receiver.rejected).toEqual([]);
    expect(receiver.verified).toEqual([expect.objectContaining({ id: failed.messageId, event: expect.objectContaining({ type: 'tenant.status_changed', data: STATUS_CHANGE }) })]);
    // What the queue first tried to send and what was redelivered is the same event (same timestamp field too).
    expect(receiver.verified[0]?.event).toEqual(failed.event);

    const second = await service.redeliver(failed.id);
    expect(second.attempt).toMatchObject({ attempt: 3, ok: true });
    expect(receiver.verified.map((r) => r.id)).toEqual([failed.messageId, failed.messageId]);
    expect((await service.deliveries.get(failed.id))?.attempts).toHaveLength(3);
  }, 30_000);

  it('each redelivery is signed anew at its own time: new webhook-timestamp and signature, still verified', async () => {
    let clock = Date.now();
    const log = new DeliveryLog(store);
    const dispatcher = new WebhookDispatcher([{ url: receiver.url, secret: receiver.secret }], log, { now: () => clock });
    const { id } = await deliveryOf('tenant.status_changed', 'acme');
    const before = receiver.verified.length;
    await dispatcher.redeliver(id);
    clock += 7_000;
    await dispatcher.redeliver(id);
    const [a, b] = receiver.verified.slice(before);
    expect(a?.id).toBe(b?.id);
    expect(Number(b?.timestamp) - Number(a?.timestamp)).toBe(7);
    expect(b?.signature).not.toBe(a?.signature);
    expect(receiver.rejected).toEqual([]);
  });

  it('unknown ids and endpoints no longer configured are typed errors; a moved endpoint is found by its URL', async () => {
    const dispatcher = new WebhookDispatcher([{ url: receiver.url, secret: receiver.secret }], new DeliveryLog(store));
    await expect(dispatcher.redeliver('msg_nothere-0')).rejects.toMatchObject({ reason: 'unknown_delivery', code: 'INVALID_ARGUMENT' });
    await expect(dispatcher.redeliver('../../etc')).rejects.toBeInstanceOf(WebhookRedeliveryError);
    const { id } = await deliveryOf('tenant.status_changed', 'acme');
    const elsewhere = new WebhookDispatcher([{ url: 'http://127.0.0.1:9/other', secret: receiver.secret }], new DeliveryLog(store));
    await expect(elsewhere.redeliver(id)).rejects.toMatchObject({ reason: 'endpoint_removed', message: expect.stringContaining('no longer a configured webhook endpoint') });
    // Another endpoint added in front of it: found by its URL, and recorded on the same delivery.
    const before = receiver.verified.length;
    const reordered = new WebhookDispatcher([{ url: 'http://127.0.0.1:9/other', secret: receiver.secret }, { url: receiver.url, secret: receiver.secret }], new DeliveryLog(store));
    const { delivery } = await reordered.redeliver(id);
    expect(delivery.id).toBe(id);
    expect(receiver.verified.length).toBe(before + 1);
  });

  it('POST /v1/events/deliveries/{id}/redeliver: tenants:manage, 404 problem details for unknown ids and other tenants', async () => {
    const keys = new ApiKeyStore(store);
    const http = buildServiceHttp(service, { api: { keys } });
    try {
      const manage = (await keys.create({ name: 'ops', scopes: ['tenants:manage', 'tenants:read'] })).key;
      const reader = (await keys.create({ name: 'reader', scopes: ['tenants:read'] })).key;
      const otherTenant = (await keys.create({ name: 'globex-only', scopes: ['tenants:manage'], tenants: ['globex'] })).key;
      const post = (url: string, key: string) => http.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` } });
      const listed = (await http.inject({ method: 'GET', url: '/v1/events/deliveries', headers: { authorization: `Bearer ${reader}` } })).json() as { items: (DeliveryRecord & { event?: unknown })[] };
      const item = listed.items.find((d) => d.tenant === 'acme' && d.type === 'tenant.status_changed');
      expect(item).toMatchObject({ id: expect.stringMatching(/^msg_[0-9a-f]+-0$/), endpoint: 0 });
      expect(item).not.toHaveProperty('event');
      const before = receiver.verified.length;

      const ok = await post(`/v1/events/deliveries/${item!.id}/redeliver`, manage);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ delivery: { id: item!.id, delivered: true }, attempt: { ok: true, status: 204, redelivery: true } });
      const ajv = new Ajv2020({ strict: false, validateFormats: false });
      ajv.addSchema(openApiDocument(), 'openapi');
      const conforms = ajv.compile({ $ref: 'openapi#/components/schemas/Redelivery' });
      expect(conforms(ok.json()) ? [] : conforms.errors).toEqual([]);
      expect(conforms({ delivery: {}, attempt: {} })).toBe(false);
      expect(receiver.verified.slice(before).map((r) => r.id)).toEqual([item!.messageId]);

      expect((await post(`/v1/events/deliveries/${item!.id}/redeliver`, reader)).statusCode).toBe(403);
      for (const [url, key] of [['/v1/events/deliveries/msg_0000-0/redeliver', manage], [`/v1/events/deliveries/${item!.id}/redeliver`, otherTenant]] as const) {
        const refused = await post(url, key);
        expect(refused.statusCode).toBe(404);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.json()).toMatchObject({ status: 404, code: 'NOT_FOUND', remedy: expect.stringContaining('GET /v1/events/deliveries') });
      }
      expect(receiver.verified.length).toBe(before + 1);
    } finally {
      await http.close();
    }
  });
});
