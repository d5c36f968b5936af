/**
 * The console's fleet pages over HTTP with a fake fleet: operator-only access, server-side filter/search/paging,
 * escaping, the tenant page's health sections, Repair (CSRF, outcomes, consent link), Redeliver, "Onboard another
 * account" and the integration user offered when a later step failed.
 */
import type { ActionOutcome, TenantView } from '../../client/src/console/backend';
import {
  byTenantName,
  pageOfFleet,
  type ConsoleFleet,
  type FleetPage,
  type FleetQuery,
  type FleetRow,
  type FleetTenantDetail,
  type RepairView,
} from '../../client/src/console/fleet';
import { FakeBackend } from './consoleFakeBackend';
import { ConsoleHarness, nextUrl } from './consoleHarness';

const NOW = Date.parse('2026-11-22T10:00:00.000Z');
const STATUSES = ['healthy', 'degraded', 'needs_certificate', 'needs_reconsent', 'disconnected'] as const;
const EVIL = '<script>alert(1)</script>';

class FakeFleet implements ConsoleFleet {
  readonly statuses = STATUSES;
  readonly calls: string[] = [];
  rows: FleetRow[] = [];
  details = new Map<string, FleetTenantDetail>();
  repairView: RepairView = { outcome: 'repaired', message: 'The connection check passed.' };
  redeliver?: (id: string) => Promise<ActionOutcome> = async (id) => {
    this.calls.push(`redeliver:${id}`);
    return { ok: true, message: `Delivery ${id} sent again: the endpoint answered 204.` };
  };

  async list(query: FleetQuery): Promise<FleetPage> {
    this.calls.push(`list:${JSON.stringify(query)}`);
    return pageOfFleet([...this.rows].sort(byTenantName), query);
  }

  async detail(tenant: string): Promise<FleetTenantDetail | undefined> {
    return this.details.get(tenant);
  }

  async repair(tenant: string): Promise<RepairView> {
    this.calls.push(`repair:${tenant}`);
    return this.repairView;
  }
}

/** 120 tenants: every 4th needs a certificate, every 10th was never checked, the rest spread over the other statuses. */
function fleetRows(): FleetRow[] {
  return Array.from({ length: 120 }, (_, i) => {
    const tenant = `t${String(i).padStart(4, '0')}`;
    const accountId = String(3_000_000 + i);
    if (i % 10 === 0) return { tenant, accountId, onboarding: 'completed', status: null };
    const status = i % 4 === 0 ? 'needs_certificate' : STATUSES[i % 5 === 2 ? 1 : 0]!;
    return {
      tenant,
      accountId,
      onboarding: 'completed',
      status,
      reason: status === 'needs_certificate' ? 'The certificate was revoked (CertificateRevoked)' : 'The health check passed',
      since: '2026-11-20T08:00:00.000Z',
      lastCheckAt: '2026-11-22T09:00:00.000Z',
      nextCheckAt: '2026-11-22T10:00:00.000Z',
      certificateExpiresAt: '2027-06-01T00:00:00.000Z',
    };
  });
}

function tenantView(name: string, accountId: string): TenantView {
  return { tenant: name, accountId, onboardedAt: '2026-11-01T09:00:00.000Z', certificate: { certificateId: 'CERT-1', algorithm: 'ES256', validUntil: '2027-06-01T00:00:00.000Z' }, auditLog: [] };
}

function rowsOf(body: string): string[] {
  return [...body.matchAll(/<tr data-tenant="([^"]*)"/g)].map((m) => m[1]!);
}

describe('console fleet pages', () => {
  let backend: FakeBackend;
  let fleet: FakeFleet;
  let h: ConsoleHarness;

  beforeEach(async () => {
    backend = new FakeBackend();
    fleet = new FakeFleet();
    fleet.rows = fleetRows();
    h = await new ConsoleHarness(backend).start();
    h.ctx.fleet = fleet;
    h.now = NOW;
    backend.tenants.set('t0004', tenantView('t0004', '3000004'));
    fleet.details.set('t0004', {
      row: fleet.rows[4]!,
      certificates: [
        { certificateId: 'CERT-1', use: 'current', algorithm: 'ES256', notAfter: '2027-06-01T00:00:00.000Z' },
        { certificateId: 'CERT-0', use: 'previous', revokedAt: '2026-11-01T09:00:00.000Z' },
      ],
      events: [{ at: '2026-11-20T08:00:00.000Z', type: 'tenant.status_changed', summary: 'healthy → needs_certificate: revoked' }],
      deliveries: [
        { id: 'msg_a-0', messageId: 'msg_a', type: 'tenant.status_changed', endpoint: 'https://hooks.example/sb', createdAt: '2026-11-20T08:00:01.000Z', delivered: false, attempts: 3, lastStatus: 500, lastError: 'HTTP 500' },
        { id: 'msg_b-0', messageId: 'msg_b', type: 'certificate.expiring', endpoint: 'https://hooks.example/sb', createdAt: '2026-11-19T08:00:01.000Z', delivered: true, attempts: 1, lastStatus: 204 },
      ],
    });
  });
  afterEach(async () => {
    await h.close();
  });

  const GETS = ['/tenants', '/tenants?status=needs_certificate&page=2', '/tenants/t0004'];
  const POSTS = ['/tenants/t0004/repair', '/tenants/t0004/deliveries/msg_a-0/redeliver'];

  it('refuses anonymous requests and onboarding-link sessions on every fleet page and action', async () => {
    for (const url of GETS) expect([url, (await h.get(url)).headers.location]).toEqual([url, '/login']);
    const anonymousCsrf = await h.csrf('/login');
    for (const url of POSTS) expect([url, (await h.post(url, { _csrf: anonymousCsrf })).statusCode]).toEqual([url, 401]);

    await h.openLink('3000004');
    for (const url of GETS) {
      const res = await h.get(url);
      expect([url, res.statusCode]).toEqual([url, 403]);
      expect(res.body).toContain('Operators only');
      expect(res.body).not.toContain('t0004');
    }
    const linkCsrf = await h.csrf('/');
    for (const url of POSTS) expect([url, (await h.post(url, { _csrf: linkCsrf })).statusCode]).toEqual([url, 403]);
    expect(fleet.calls).toEqual([]);
  });

  it('answers with the same security headers, and not at all for another Host', async () => {
    await h.signIn();
    const res = await h.get('/tenants?status=needs_certificate');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect((await h.get('/tenants', { host: 'evil.example' })).statusCode).toBe(421);
  });

  it('pages, filters by status and searches on the server; unknown statuses are "not checked yet"', async () => {
    await h.signIn();
    const first = await h.get('/tenants');
    expect(rowsOf(first.body)).toEqual(fleet.rows.slice(0, 50).map((r) => r.tenant));
    expect(first.body).toContain('data-page="1" data-page-count="3"');
    expect(first.body).toContain('href="/tenants?page&#61;2" rel="next"');
    expect(first.body).toContain('Showing 1–50 of 120.');
    expect(first.body).toContain('data-status="unknown">Unknown / not checked yet</span>');
    const needs = fleet.rows.filter((r) => r.status === 'needs_certificate').map((r) => r.tenant);
    expect(needs.length).toBeGreaterThan(20);
    expect(first.body).toContain(`<option value="needs_certificate">Needs certificate (${needs.length})</option>`);
    const filtered = await h.get('/tenants?status=needs_certificate');
    expect(rowsOf(filtered.body)).toEqual(needs);
    expect(filtered.body).toContain('<option value="needs_certificate" selected>');

    const unknown = await h.get('/tenants?status=unknown');
    expect(rowsOf(unknown.body)).toEqual(fleet.rows.filter((r) => r.status === null).map((r) => r.tenant));

    const third = await h.get('/tenants?page=3');
    expect(rowsOf(third.body)).toEqual(fleet.rows.slice(100).map((r) => r.tenant));
    expect(third.body).toContain('href="/tenants?page&#61;2" rel="prev"');

    expect(rowsOf((await h.get('/tenants?q=3000042')).body)).toEqual(['t0042']);
    expect(rowsOf((await h.get('/tenants?q=T011')).body)).toEqual(['t0110', 't0111', 't0112', 't0113', 't0114', 't0115', 't0116', 't0117', 't0118', 't0119']);
    const both = await h.get('/tenants?status=needs_certificate&q=t01');
    expect(rowsOf(both.body)).toEqual(needs.filter((t) => t.startsWith('t01')));
    expect(both.body).toContain('matching (120 in all)');

    // Past the last page: to the last page that exists, keeping the filter.
    expect((await h.get('/tenants?status=needs_certificate&page=9')).headers.location).toBe('/tenants?status=needs_certificate');
    expect(fleet.calls.filter((c) => c.startsWith('list:')).every((c) => c.includes('"pageSize":50'))).toBe(true);
  });

  it('names the problem and the fix for a bad status, page or search', async () => {
    await h.signIn();
    const status = await h.get('/tenants?status=broken');
    expect(status.statusCode).toBe(400);
    expect(status.body).toContain('There is no status &quot;broken&quot;.');
    expect(status.body).toContain('needs_certificate');
    expect((await h.get('/tenants?page=0')).statusCode).toBe(400);
    expect((await h.get('/tenants?page=abc')).body).toContain('Use the page links under the list.');
    expect((await h.get(`/tenants?q=${'x'.repeat(101)}`)).statusCode).toBe(400);
  });

  it('escapes tenant names, reasons and the search text', async () => {
    fleet.rows.push({ tenant: EVIL, accountId: '9999999', onboarding: 'completed', status: 'degraded', reason: `NetSuite said ${EVIL}` });
    await h.signIn();
    const res = await h.get(`/tenants?q=${encodeURIComponent('<script>')}`);
    expect(rowsOf(res.body)).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt;']);
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('href="/tenants/%3Cscript%3Ealert(1)%3C%2Fscript%3E"');
    expect(res.body).toContain('NetSuite said &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).toContain('value="&lt;script&gt;"');
  });

  it('the tenant page shows status, reason, certificates, events and deliveries; Redeliver only on a failed one', async () => {
    await h.signIn();
    const res = await h.get('/tenants/t0004');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-status="needs_certificate">Needs certificate</span>');
    expect(res.body).toContain('The certificate was revoked (CertificateRevoked)');
    expect(res.body).toContain('<tr data-certificate-use="current"><td><code>CERT-1</code></td><td>In use</td>');
    expect(res.body).toContain('<tr data-certificate-use="previous"><td><code>CERT-0</code></td><td>Replaced</td>');
    expect(res.body).toContain('healthy → needs_certificate: revoked');
    expect(res.body).toContain('data-delivery="msg_a-0" data-delivered="no"');
    expect(res.body).toContain('action="/tenants/t0004/deliveries/msg_a-0/redeliver"');
    expect(res.body).not.toContain('/deliveries/msg_b-0/redeliver');
    expect(res.body).toContain('action="/tenants/t0004/repair"');

    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)![1]!;
    const redeliver = await h.post('/tenants/t0004/deliveries/msg_a-0/redeliver', { _csrf: csrf });
    expect(redeliver.headers.location).toBe('/tenants/t0004');
    expect((await h.get('/tenants/t0004')).body).toContain('Delivery msg_a-0 sent again: the endpoint answered 204.');
    expect(fleet.calls).toEqual(['redeliver:msg_a-0']);

    delete fleet.redeliver;
    expect((await h.get('/tenants/t0004')).body).not.toContain('/redeliver');
  });

  it('Repair needs the CSRF token and shows each outcome; a consent link is a new onboarding link for the account', async () => {
    await h.signIn();
    expect((await h.post('/tenants/t0004/repair', {})).statusCode).toBe(403);
    expect(fleet.calls).toEqual([]);
    const csrf = await h.csrf('/tenants/t0004');

    const repaired = await h.post('/tenants/t0004/repair', { _csrf: csrf });
    expect(repaired.statusCode).toBe(200);
    expect(repaired.body).toContain('data-repair-outcome="repaired"><p><strong>Repaired in place.</strong> The connection check passed.');

    fleet.repairView = { outcome: 'not_repairable', why: `The cause is on NetSuite's side ${EVIL}` };
    const refused = await h.post('/tenants/t0004/repair', { _csrf: csrf });
    expect(refused.body).toContain('data-repair-outcome="not_repairable"');
    expect(refused.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(refused.body).not.toContain('<script>alert');

    fleet.repairView = { outcome: 'consent_needed', why: 'An administrator must consent again.', authorizationUrl: 'https://3000004.app.netsuite.com/authorize?x', accountId: '3000004', redirectUri: h.ctx.redirectUri };
    backend.tenants.set('3000004', tenantView('3000004', '3000004'));
    const consent = await h.post('/tenants/3000004/repair', { _csrf: csrf });
    const link = /<output class="link-box" id="repair-link">([^<]+)<\/output>/.exec(consent.body)?.[1];
    expect(link).toMatch(new RegExp(`^${h.origin}/join/[A-Za-z0-9_-]{43}$`));
    expect(consent.body).toContain('data-repair-outcome="consent_needed"><p><strong>Consent link issued.</strong>');
    expect((await h.links.list()).map((l) => l.accountId)).toEqual(['3000004']);
    expect(consent.body).not.toContain('authorize?x');

    // Onboarded elsewhere (its sign-in does not return to this console): its own authorization URL, no console link.
    fleet.repairView = { ...fleet.repairView, redirectUri: 'http://127.0.0.1:53682/callback' };
    const elsewhere = await h.post('/tenants/t0004/repair', { _csrf: csrf });
    expect(elsewhere.body).toContain('<output class="link-box" id="repair-link">https://3000004.app.netsuite.com/authorize?x</output>');
    expect((await h.links.list())).toHaveLength(1);
    expect(fleet.calls).toEqual(['repair:t0004', 'repair:t0004', 'repair:3000004', 'repair:t0004']);
  });

  it('without a fleet the list still pages the onboarding records, every status unknown, and there is no Repair', async () => {
    h.ctx.fleet = undefined;
    await h.signIn();
    const res = await h.get('/tenants');
    expect(res.body).toContain('this console was started without it');
    expect(rowsOf(res.body)).toEqual(['t0004']);
    expect(res.body).toContain('data-status="unknown"');
    expect((await h.get('/tenants/t0004')).body).not.toContain('/repair');
  });
});

describe('onboard another account', () => {
  let backend: FakeBackend;
  let h: ConsoleHarness;

  beforeEach(async () => {
    backend = new FakeBackend();
    h = await new ConsoleHarness(backend).start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('the finish page offers it; a link holder is told each account gets its own link; an operator creates one', async () => {
    backend.bundleInstalled = true;
    backend.longTermDone = true;
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    await h.post('/connect', { _csrf: csrf });
    expect(nextUrl(await h.get(`/callback?code=C&state=${backend.state}`))).toBe('/onboarding/finish');
    const finish = await h.get('/onboarding/finish');
    expect(finish.body).toContain('<a class="button" href="/another">Onboard another account</a>');
    const another = await h.get('/another');
    expect(another.statusCode).toBe(200);
    expect(another.body).toContain('connects account 1234567 only');
    expect(another.body).toContain('ask your SuiteBridge contact to send you a new onboarding link');

    const operator = await new ConsoleHarness(backend).start();
    await operator.signIn();
    expect((await operator.get('/another')).headers.location).toBe('/links');
    backend.tenants.set('1234567', tenantView('1234567', '1234567'));
    expect((await operator.get('/tenants/1234567')).body).toContain('href="/another">Onboard another account</a>');
    await operator.close();
  });

  it('a failed step 3 offers another integration user with Try again; once the certificate is uploaded it does not', async () => {
    class RecordingBackend extends FakeBackend {
      override async retry(tenant: string, options: { integrationEntity?: number } = {}): Promise<void> {
        this.calls.push(`retry:${tenant}:${options.integrationEntity ?? ''}`);
      }
    }
    const recording = new RecordingBackend();
    recording.bundleInstalled = true;
    h.setBackend(recording);
    await h.openLink('1234567');
    await h.post('/connect', { _csrf: await h.csrf('/') });
    await h.get(`/callback?code=C&state=${recording.state}`);
    const status = (await recording.status('1234567'))!;
    status.steps[2] = { step: 3, state: 'failed' };
    status.error = { message: 'Employee 8 cannot get the role.', remedy: 'Choose another integration user.' };
    const page = await h.get('/onboarding/progress');
    expect(page.body).toContain('name="entity"');
    expect(page.body).toContain('action="/onboarding/restart"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await h.post('/onboarding/retry', { _csrf: csrf, entity: '42' });
    expect((await h.post('/onboarding/retry', { _csrf: csrf, entity: 'x' })).statusCode).toBe(400);
    expect(recording.calls.filter((c) => c.startsWith('retry'))).toEqual(['retry:1234567:42']);

    status.steps[2] = { step: 3, state: 'done' };
    status.steps[3] = { step: 4, state: 'failed' };
    const later = await h.get('/onboarding/progress');
    expect(later.body).not.toContain('name="entity"');
    expect(later.body).toContain('The integration user cannot change now: its certificate is uploaded.');
    expect(later.body).toContain('action="/onboarding/retry"');
  });
});
