import type { TenantView } from '../../client/src/console/backend';
import { expiryLevel } from '../../client/src/console/format';
import { FakeBackend } from './consoleFakeBackend';
import { ConsoleHarness } from './consoleHarness';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-22T10:00:00.000Z');

function tenantWithExpiry(daysLeft: number, name = 'acme'): TenantView {
  return {
    tenant: name,
    accountId: '1234567',
    environment: 'PRODUCTION',
    companyName: 'Acme Inc.',
    integrationUser: 'Employee 8',
    appRole: 'customrole_sbr_integration (internal ID 1001)',
    onboardedAt: '2026-11-01T09:00:00.000Z',
    certificate: { certificateId: 'CERT-ABC', algorithm: 'ES256', validUntil: new Date(NOW + daysLeft * DAY + 60_000).toISOString() },
    lastTokenAt: '2026-11-22T09:45:00.000Z',
    auditLog: [{ at: '2026-11-01T09:00:00.000Z', message: 'Step 3 · certificate-uploaded: CERT-ABC' }],
  };
}

describe('expiryLevel', () => {
  it.each([
    [400, 'ok'],
    [61, 'ok'],
    [60, '60d'],
    [31, '60d'],
    [30, '30d'],
    [15, '30d'],
    [14, '14d'],
    [0, '14d'],
  ])('%i days left → %s', (days, level) => {
    expect(expiryLevel(new Date(NOW + days * DAY + 60_000), NOW)).toEqual({ daysLeft: days, level });
  });

  it('an expiry in the past is expired', () => {
    expect(expiryLevel(new Date(NOW - 1), NOW).level).toBe('expired');
    expect(expiryLevel('not a date', NOW).level).toBe('expired');
  });
});

describe('tenant pages', () => {
  let backend: FakeBackend;
  let h: ConsoleHarness;

  beforeEach(async () => {
    backend = new FakeBackend();
    h = await new ConsoleHarness(backend).start();
    h.now = NOW;
    expect((await h.signIn()).statusCode).toBe(303);
  });
  afterEach(async () => {
    await h.close();
  });

  it('shows certificate expiry, last token and the two actions', async () => {
    backend.tenants.set('acme', tenantWithExpiry(200));
    const res = await h.get('/tenants/acme');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Acme Inc.');
    expect(res.body).toContain('<code>CERT-ABC</code> · ES256');
    expect(res.body).toContain('data-expiry-level="ok"');
    expect(res.body).not.toContain('data-expiry-warning');
    expect(res.body).toContain('2026-11-22 09:45 UTC');
    expect(res.body).toContain('action="/tenants/acme/test"');
    expect(res.body).toContain('action="/tenants/acme/rotate"');
    expect(res.body).toContain('>Rotate certificate</button>');
    expect(res.body).toContain('>Test connection</button>');
  });

  it.each([
    [59, '60d', 'notice-info'],
    [29, '30d', 'notice-warn'],
    [13, '14d', 'notice-error'],
    [-3, 'expired', 'notice-error'],
  ])('warns %i days before expiry (%s)', async (days, level, cls) => {
    backend.tenants.set('acme', tenantWithExpiry(days));
    const res = await h.get('/tenants/acme');
    expect(res.body).toContain(`class="notice ${cls}" role="alert" data-expiry-warning="${level}"`);
    expect(res.body).toContain(level === 'expired' ? 'has expired' : `expires in ${days} days`);
  });

  it('Rotate certificate and Test connection run and show their outcome once', async () => {
    backend.tenants.set('acme', tenantWithExpiry(200));
    const csrf = await h.csrf('/tenants/acme');
    const rotate = await h.post('/tenants/acme/rotate', { _csrf: csrf });
    expect(rotate.statusCode).toBe(303);
    expect(rotate.headers.location).toBe('/tenants/acme');
    backend.outcome = { ok: false, message: 'Connection test failed: invalid_grant', remedy: 'Rotate the certificate.' };
    await h.post('/tenants/acme/test', { _csrf: csrf });
    const page = await h.get('/tenants/acme');
    expect(page.body).toContain('class="notice notice-error"');
    expect(page.body).toContain('Connection test failed: invalid_grant');
    expect(page.body).toContain('Rotate the certificate.');
    const again = await h.get('/tenants/acme');
    expect(again.body).not.toContain('Connection test failed');
    expect(backend.calls).toEqual(['rotate:acme', 'test:acme']);
  });

  it('refuses the actions without the CSRF token', async () => {
    backend.tenants.set('acme', tenantWithExpiry(200));
    expect((await h.post('/tenants/acme/rotate', {})).statusCode).toBe(403);
    expect((await h.post('/tenants/acme/test', { _csrf: 'x' })).statusCode).toBe(403);
    expect(backend.calls).toEqual([]);
  });

  it('lists tenants with their certificate state and 404s an unknown one', async () => {
    expect((await h.get('/tenants')).body).toContain('No tenant yet');
    expect((await h.get('/tenants')).body).toContain('href="/links"');
    backend.tenants.set('acme', tenantWithExpiry(20));
    const list = await h.get('/tenants');
    expect(list.body).toContain('href="/tenants/acme"');
    expect(list.body).toContain('data-expiry-level="30d"');
    const missing = await h.get('/tenants/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(missing.body).not.toContain('<script>alert');
  });

  it('escapes hostile tenant data', async () => {
    const evil = '"><script>alert(1)</script>';
    const t = tenantWithExpiry(200, 'acme');
    t.companyName = evil;
    t.integrationUser = evil;
    t.certificate!.certificateId = evil;
    t.auditLog = [{ at: evil, message: evil }];
    backend.tenants.set('acme', t);
    const res = await h.get('/tenants/acme');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body.match(/&lt;script&gt;/g)?.length).toBeGreaterThanOrEqual(4);
  });
});
