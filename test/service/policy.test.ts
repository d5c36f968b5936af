/** Rotation timing with per-tenant jitter, expiry notices, webhook endpoint checks, log redaction. */
import { Writable } from 'node:stream';
import { createServiceLogger } from '../../service/src/logger';
import { DAY_MS, dueExpiryNotice, jitterMs, rotationDueAt } from '../../service/src/rotationPolicy';
import { checkEndpoints } from '../../service/src/webhooks';

describe('rotation policy', () => {
  it('jitter is stable per tenant, inside the window, and spreads 1,000 tenants over it', () => {
    const window = 7 * DAY_MS;
    expect(jitterMs('acme', window)).toBe(jitterMs('acme', window));
    const values = Array.from({ length: 1000 }, (_, i) => jitterMs(`tenant-${i}`, window));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(window);
    // No minute holds more than a handful of the 1,000 (7 days = 10,080 minutes).
    const perMinute = new Map<number, number>();
    for (const v of values) perMinute.set(Math.floor(v / 60_000), (perMinute.get(Math.floor(v / 60_000)) ?? 0) + 1);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(3);
    expect(jitterMs('acme', 0)).toBe(0);
  });

  it('rotation is due the lead time before expiry, earlier by the tenant\'s jitter', () => {
    const notAfter = '2030-01-31T00:00:00.000Z';
    const due = rotationDueAt(notAfter, 'acme', 30 * DAY_MS, 7 * DAY_MS);
    expect(Date.parse(notAfter) - due).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(Date.parse(notAfter) - due).toBeLessThan(37 * DAY_MS);
  });

  it('expiry notices: the most urgent threshold crossed, once per threshold', () => {
    const notAfter = '2030-03-01T00:00:00.000Z';
    const at = (daysLeft: number) => Date.parse(notAfter) - daysLeft * DAY_MS;
    expect(dueExpiryNotice(notAfter, at(90), [60, 30, 14], [])).toBeUndefined();
    expect(dueExpiryNotice(notAfter, at(59.5), [60, 30, 14], [])).toEqual({ threshold: 60, daysLeft: 59, covered: [60] });
    expect(dueExpiryNotice(notAfter, at(45), [60, 30, 14], [60])).toBeUndefined();
    // A service that was down through the 30-day mark sends the 14-day notice only.
    expect(dueExpiryNotice(notAfter, at(10), [60, 30, 14], [60])).toEqual({ threshold: 14, daysLeft: 10, covered: [60, 30, 14] });
    expect(dueExpiryNotice(notAfter, at(-1), [60, 30, 14], [])).toBeUndefined();
  });
});

describe('webhook endpoints', () => {
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  it('accepts https and loopback http with a Standard Webhooks secret', () => {
    expect(() => checkEndpoints([{ url: 'https://hooks.example.com/x', secret }, { url: 'http://127.0.0.1:9000/x', secret }])).not.toThrow();
  });
  it('refuses plain http elsewhere, a non-URL and a bad secret, naming the fix', () => {
    expect(() => checkEndpoints([{ url: 'http://hooks.example.com/x', secret }])).toThrow(/not https/);
    expect(() => checkEndpoints([{ url: 'nope', secret }])).toThrow(/not a URL/);
    expect(() => checkEndpoints([{ url: 'https://hooks.example.com/x', secret: 'whsec_!!' }])).toThrow(/not a Standard Webhooks secret/);
  });
});

describe('service logs', () => {
  it('are JSON lines with tokens, keys and secret fields redacted', () => {
    let text = '';
    const destination = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
    const logger = createServiceLogger({ destination: destination as never });
    logger.info({ tenant: 'acme', clientSecret: 'abc', detail: 'Bearer abcdefghijklmnop', nested: { jwt: 'eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' } }, 'token eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl used');
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(line).toMatchObject({ tenant: 'acme', clientSecret: '[REDACTED]', detail: 'Bearer [REDACTED]', nested: { jwt: '[REDACTED JWT]' }, msg: 'token [REDACTED JWT] used' });
  });
});
