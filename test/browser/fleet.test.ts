/**
 * The operator's fleet pages in Debian's chromium with 1,000 tenants: one real tenant onboarded against the embedded
 * emulator with a standby certificate (its certificate then revoked through the emulator's staging API, its webhook
 * delivery failed once) and 999 seeded records with status records (a mix, about 60 needing a certificate, about 100
 * never checked). Anonymous and onboarding-link browsers are refused; the operator filters, pages, searches (a
 * hostile tenant name stays text), opens the real tenant, redelivers the failed webhook and presses Repair: repaired
 * in place with the standby. Both its certificates are then revoked: Repair issues a consent link, the customer signs
 * in again through it, and the next Repair finishes in place.
 * Screenshots: test-artifacts/browser/fleet/.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultFetch } from '../../client/src/http/transport';
import { driveAuthorization, installBundleViaPage } from '../../client/src/onboarding/formDriver';
import { ServiceConsoleFleet } from '../../service/src/consoleFleet';
import { ServiceEvents, type ServiceEvent } from '../../service/src/events';
import { checkTenantHealth } from '../../service/src/healthCheck';
import { keepStandby } from '../../service/src/standby';
import { EmulatorLoginAudit, type LoginAuditSource } from '../../service/src/loginAudit';
import { StatusStore } from '../../service/src/statusStore';
import { DeliveryLog, newMessageId, WebhookDispatcher } from '../../service/src/webhooks';
import { startWebhookReceiver, type WebhookReceiver } from '../service/support/webhookReceiver';
import { startConsole, type RunningConsoleHandle } from './consoleUnderTest';
import { HOSTILE_TENANT, seedFleet, type SeededFleet } from './fleetSeed';
import { artifactsDir, freePort, launchChromium, requireBuiltSuiteScripts } from './support';

jest.setTimeout(180_000);

const ACCOUNT = '1234567';
const OTHER_ACCOUNT = '7654321';
const SEEDED = 999;
const PAGE_SIZE = 50;

describe('fleet pages with 1,000 tenants in a real browser', () => {
  let browser: Browser;
  let run: RunningConsoleHandle;
  let receiver: WebhookReceiver;
  let dataDir: string;
  let seeded: SeededFleet;
  let shotsDir: string;
  let shot = 0;
  const late: { audit?: LoginAuditSource; dispatcher?: WebhookDispatcher } = {};
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  const bodies: { url: string; body: string }[] = [];

  async function screenshot(p: Page, name: string): Promise<void> {
    shot += 1;
    await p.screenshot({ path: join(shotsDir, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: true });
    const page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('response', async (response) => {
      if (!response.url().startsWith(run.console.url) || !/html|json/.test(response.headers()['content-type'] ?? '')) return;
      bodies.push({ url: response.url(), body: await response.text().catch(() => '') });
    });
    return { context, page };
  }

  beforeAll(async () => {
    requireBuiltSuiteScripts();
    shotsDir = join(artifactsDir(), 'fleet');
    mkdirSync(shotsDir, { recursive: true });
    for (const name of readdirSync(shotsDir)) if (name.endsWith('.png')) rmSync(join(shotsDir, name));
    dataDir = mkdtempSync(join(tmpdir(), 'sbr-fleet-browser-'));
    receiver = await startWebhookReceiver();
    run = await startConsole({
      port: await freePort(),
      dataDir,
      account: ACCOUNT,
      // The emulator (audit trail) and the webhook sender exist only once startConsole returns: reached through `late`.
      fleet: ({ store }) =>
        new ServiceConsoleFleet({
          store,
          audit: { latestFailure: (q) => late.audit!.latestFailure(q) },
          dispatcher: { redeliver: (id) => late.dispatcher!.redeliver(id) },
        }),
    });
    late.audit = new EmulatorLoginAudit(run.emulatorUrl, defaultFetch);
    late.dispatcher = new WebhookDispatcher([{ url: receiver.url, secret: receiver.secret }], new DeliveryLog(run.store));
    await onboardRealTenant();
    const template = await run.orchestrator.credentials(ACCOUNT);
    seeded = await seedFleet(run.store, template, { count: SEEDED, now: Date.now(), hostileAt: 500 });
    await breakRealTenant();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
    await receiver?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Onboards the account as the console would (same settings, redirect URI to the console), the browser part by form driver. */
  async function onboardRealTenant(): Promise<void> {
    const o = run.orchestrator;
    await o.begin({
      accountId: ACCOUNT,
      authClient: { clientId: run.clients.consent },
      ccClient: { clientId: run.clients.m2m },
      redirectUri: run.console.redirectUri,
      baseUrl: run.emulatorUrl,
      dangerouslyAllowInsecureHttp: true,
    });
    const creds = { ...run.admin, role: 3 };
    let view = await o.advance(ACCOUNT);
    for (let round = 0; round < 10 && view.status !== 'completed' && view.status !== 'failed'; round++) {
      if (view.status === 'waiting_for_authorization') {
        const landed = await driveAuthorization(await o.authorizationUrl(ACCOUNT), run.console.redirectUri, creds, { fetch: defaultFetch });
        view = await o.submitCallback(landed, ACCOUNT);
      } else if (view.status === 'waiting_for_bundle') {
        await installBundleViaPage(view.settings.installUrl, creds, { fetch: defaultFetch });
        view = await o.recheckBundle(ACCOUNT);
      } else {
        view = await o.advance(ACCOUNT);
      }
    }
    expect(view.status).toBe('completed');
    expect(view.temporaryAccess).toBe('revoked');
    // What the service's maintenance adds: a second certificate that repairs the tenant in place.
    expect(await keepStandby({ orchestrator: o, now: Date.now }, ACCOUNT)).toMatchObject({ certificateId: expect.any(String) });
  }

  async function revokeAtNetSuite(certificateId: string | undefined): Promise<void> {
    expect(certificateId).toEqual(expect.any(String));
    const revoked = await defaultFetch(`${run.emulatorUrl}/__emulator/staging/certificates/${certificateId}/revoke`, { method: 'POST' });
    expect(revoked.status).toBe(200);
  }

  /** Revokes its certificate in the emulator, runs the service's health check, and fails the webhook of the change once. */
  async function breakRealTenant(): Promise<void> {
    await revokeAtNetSuite((await run.orchestrator.credentials(ACCOUNT)).certificate?.certificateId);
    const events = new ServiceEvents();
    const emitted: ServiceEvent[] = [];
    events.on('*', (e) => emitted.push(e));
    const state = await checkTenantHealth({ orchestrator: run.orchestrator, statuses: new StatusStore(run.store), events, now: Date.now, intervalMs: 3_600_000, audit: late.audit! }, ACCOUNT);
    expect(state).toMatchObject({ status: 'needs_certificate' });
    const change = emitted.find((e) => e.type === 'tenant.status_changed');
    expect(change).toBeDefined();
    receiver.failNext(1, 500);
    await expect(late.dispatcher!.deliver({ messageId: newMessageId(), endpoint: 0, event: change! }, 1)).rejects.toThrow(/HTTP 500/);
  }

  it('lists, filters, pages, searches, refuses non-operators, and repairs the real tenant', async () => {
    const base = run.console.url;
    const operator = await newPage();
    const customer = await newPage();
    const anonymous = await newPage();
    try {
      await fleetJourney(base, operator.page, customer.page, anonymous.page);
    } catch (err) {
      await operator.page.screenshot({ path: join(shotsDir, 'failure-operator.png'), fullPage: true }).catch(() => undefined);
      await customer.page.screenshot({ path: join(shotsDir, 'failure-customer.png'), fullPage: true }).catch(() => undefined);
      const text = await operator.page.locator('main').innerText().catch(() => '(no main element)');
      throw new Error(`${(err as Error).message}\nOperator browser at ${operator.page.url()}:\n${text.slice(0, 1500)}`);
    } finally {
      for (const c of [operator.context, customer.context, anonymous.context]) await c.close();
    }
  });

  async function fleetJourney(base: string, p: Page, customer: Page, anonymous: Page): Promise<void> {
    const needs = [...seeded.byStatus.needs_certificate, ACCOUNT].sort();
    expect(needs.length).toBeGreaterThanOrEqual(50);

    // Anonymous: every fleet page sends to sign-in; a Repair post is refused and repairs nothing.
    for (const path of ['/tenants', '/tenants?status=needs_certificate', `/tenants/${ACCOUNT}`]) {
      await anonymous.goto(`${base}${path}`);
      expect(new URL(anonymous.url()).pathname).toBe('/login');
    }
    const anonymousPost = await anonymous.context().request.post(`${base}/tenants/${ACCOUNT}/repair`, { form: { _csrf: 'x' }, headers: { origin: base }, maxRedirects: 0 });
    expect(anonymousPost.status()).toBe(401);

    // A customer's onboarding-link session: "Operators only", and its own CSRF token does not make a Repair post work.
    const link = await run.console.createOnboardingLink(OTHER_ACCOUNT);
    await customer.goto(link.url);
    await customer.waitForURL(`${base}/`);
    for (const path of ['/tenants', `/tenants/${ACCOUNT}`]) {
      const response = await customer.goto(`${base}${path}`);
      expect(response?.status()).toBe(403);
      await expectHeading(customer, 'Operators only');
    }
    await customer.goto(`${base}/`);
    const linkPost = await customer.evaluate(async (path) => {
      const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(csrf)}`, redirect: 'manual' });
      return r.status;
    }, `/tenants/${ACCOUNT}/repair`);
    expect(linkPost).toBe(403);
    await screenshot(customer, 'link-session-refused');
    expect(await new StatusStore(run.store).get(ACCOUNT)).toMatchObject({ status: 'needs_certificate' });

    // Operator: sign in, the list pages 1,000 tenants 50 at a time.
    await p.goto(`${base}/login`);
    await p.locator('input[name="password"]').fill(run.operatorPassword);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${base}/tenants`);
    await expect(p.locator('[data-fleet-summary]').textContent()).resolves.toBe(`Showing 1–${PAGE_SIZE} of ${SEEDED + 1}.`);
    await expect(p.locator('table.fleet tbody tr').count()).resolves.toBe(PAGE_SIZE);
    await expect(p.locator('.pager-at').textContent()).resolves.toBe(`Page 1 of ${Math.ceil((SEEDED + 1) / PAGE_SIZE)}`);
    const unknownOnFirst = await p.locator('table.fleet [data-status="unknown"]').count();
    expect(unknownOnFirst).toBeGreaterThan(0);
    await expect(p.locator('table.fleet [data-status="unknown"]').first().textContent()).resolves.toBe('Unknown / not checked yet');
    await screenshot(p, 'fleet-all');

    // Filter to needs_certificate: only those, in name order, over two pages.
    await p.locator('select[name="status"]').selectOption('needs_certificate');
    await p.getByRole('button', { name: 'Show' }).click();
    await p.waitForURL(`${base}/tenants?status=needs_certificate&q=`);
    await expect(p.locator('[data-fleet-summary]').getAttribute('data-total')).resolves.toBe(String(needs.length));
    const firstPage = await tenantsShown(p);
    expect(firstPage).toEqual(needs.slice(0, PAGE_SIZE));
    expect(await p.locator('table.fleet tbody [data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(Array(PAGE_SIZE).fill('needs_certificate'));
    await screenshot(p, 'fleet-needs-certificate');

    await p.getByRole('link', { name: 'Next ›' }).click();
    await p.waitForURL(/page=2/);
    await expect(p.locator('.pager-at').textContent()).resolves.toBe('Page 2 of 2');
    expect(await tenantsShown(p)).toEqual(needs.slice(PAGE_SIZE));
    await screenshot(p, 'fleet-needs-certificate-page-2');

    // Search by account ID (and the filter kept): the real tenant only.
    await p.locator('input[name="q"]').fill(ACCOUNT);
    await p.getByRole('button', { name: 'Show' }).click();
    await p.waitForURL(`${base}/tenants?status=needs_certificate&q=${ACCOUNT}`);
    expect(await tenantsShown(p)).toEqual([ACCOUNT]);
    await expect(p.locator(`tr[data-tenant="${ACCOUNT}"] .reason`).textContent()).resolves.toMatch(/revoked/i);
    await screenshot(p, 'fleet-search');

    // A tenant name with a script in it is shown as text, in every status.
    await p.locator('select[name="status"]').selectOption('');
    await p.locator('input[name="q"]').fill('<script>');
    await p.getByRole('button', { name: 'Show' }).click();
    await p.waitForURL(/q=%3Cscript%3E/);
    expect(await tenantsShown(p)).toEqual([HOSTILE_TENANT]);
    await expect(p.locator('table.fleet tbody tr a').first().textContent()).resolves.toBe(HOSTILE_TENANT);
    await expect(p.locator('input[name="q"]').inputValue()).resolves.toBe('<script>');
    expect(dialogs).toEqual([]);
    await screenshot(p, 'fleet-hostile-name');

    // The real tenant: status, reason, certificates, the failed webhook delivery; Redeliver sends it again.
    await p.goto(`${base}/tenants?q=${ACCOUNT}`);
    await p.getByRole('link', { name: ACCOUNT, exact: true }).click();
    await p.waitForURL(`${base}/tenants/${ACCOUNT}`);
    const health = p.locator('[data-section="health"]');
    await expect(health.locator('h2 [data-status]').first().getAttribute('data-status')).resolves.toBe('needs_certificate');
    await expect(health.locator('[data-field="reason"]').textContent()).resolves.toMatch(/revoked/i);
    await expect(p.locator('table.certificates tr[data-certificate-use="current"]').count()).resolves.toBe(1);
    const standbyId = (await run.orchestrator.credentials(ACCOUNT)).standby?.current?.certificateId as string;
    await expect(p.locator('table.certificates tr[data-certificate-use="standby"] code').textContent()).resolves.toBe(standbyId);
    const failed = p.locator('tr[data-delivered="no"]');
    await expect(failed.count()).resolves.toBe(1);
    await expect(failed.locator('td').nth(1).textContent()).resolves.toBe('tenant.status_changed');
    await expect(p.locator('[data-section="events"] .events').textContent()).resolves.toContain('needs_certificate');
    await screenshot(p, 'tenant-needs-certificate');
    await pressAndWait(p, 'Redeliver');
    await expect(p.locator('.notice').first().textContent()).resolves.toContain('sent again: the endpoint answered 204');
    await expect(p.locator('tr[data-delivered="no"]').count()).resolves.toBe(0);
    expect(receiver.verified.map((r) => r.event.type)).toEqual(['tenant.status_changed']);
    await screenshot(p, 'redelivered');

    // Repair: the standby certificate still works, so it becomes the primary; no customer action.
    await pressAndWait(p, 'Repair');
    await expect(p.locator('[data-repair-outcome]').getAttribute('data-repair-outcome')).resolves.toBe('repaired');
    await expect(p.locator('[data-repair-outcome]').textContent()).resolves.toContain(`standby certificate ${standbyId} is now in use`);
    await expect(health.locator('h2 [data-status]').first().getAttribute('data-status')).resolves.toBe('healthy');
    await expect(p.locator('table.certificates tr[data-certificate-use="current"] code').textContent()).resolves.toBe(standbyId);
    await screenshot(p, 'repaired-with-standby');

    // Now both certificates stop working; temporary access is long revoked: the customer must consent again.
    const afterStandby = await run.orchestrator.credentials(ACCOUNT);
    await revokeAtNetSuite(afterStandby.certificate?.certificateId);
    if (afterStandby.standby?.current?.certificateId) await revokeAtNetSuite(afterStandby.standby.current.certificateId);
    await p.goto(`${base}/tenants/${ACCOUNT}`);
    await pressAndWait(p, 'Repair');
    const outcome = p.locator('[data-repair-outcome]');
    await expect(outcome.getAttribute('data-repair-outcome')).resolves.toBe('consent_needed');
    await expect(outcome.textContent()).resolves.toContain('Consent link issued');
    await expect(outcome.textContent()).resolves.toContain('an administrator must consent again');
    const repairLink = ((await p.locator('#repair-link').textContent()) ?? '').trim();
    expect(repairLink).toMatch(new RegExp(`^${base}/join/[A-Za-z0-9_-]{43}$`));
    await screenshot(p, 'repair-consent-link');

    // The customer's administrator opens it and signs in; the bundle is still installed, so steps 3 and 4 just run.
    await customer.goto(repairLink);
    await customer.waitForURL(`${base}/`);
    await customer.getByRole('button', { name: 'Connect your NetSuite account' }).click();
    await customer.waitForURL((url) => url.port === new URL(run.emulatorUrl).port);
    await customer.locator('input[name="email"]').fill(run.admin.email);
    await customer.locator('input[name="password"]').fill(run.admin.password);
    // NetSuite remembers this administrator's earlier consent to the record: no consent page this time.
    await customer.getByRole('button', { name: 'Log In' }).click();
    await customer.waitForURL(`${base}/onboarding/finish`, { timeout: 60_000 });
    await expectHeading(customer, 'Finish');
    await screenshot(customer, 'reconsent-finish');
    await customer.getByRole('link', { name: 'Onboard another account' }).click();
    await customer.waitForURL(`${base}/another`);
    await expect(customer.locator('main').textContent()).resolves.toContain('ask your SuiteBridge contact to send you a new onboarding link');
    await screenshot(customer, 'onboard-another-link-holder');

    // Repair again: it finishes in place and the check passes. The record kept its history.
    await p.goto(`${base}/tenants/${ACCOUNT}`);
    await pressAndWait(p, 'Repair');
    await expect(p.locator('[data-repair-outcome]').getAttribute('data-repair-outcome')).resolves.toBe('repaired');
    await expect(p.locator('[data-repair-outcome]').textContent()).resolves.toContain('Repaired in place');
    await expect(p.locator('[data-section="health"] h2 [data-status]').first().getAttribute('data-status')).resolves.toBe('healthy');
    await screenshot(p, 'repaired');
    const record = await run.orchestrator.credentials(ACCOUNT);
    expect(record.audit.map((a) => a.action)).toEqual(expect.arrayContaining(['created', 'repair-started', 'certificate-uploaded']));
    expect(await new StatusStore(run.store).get(ACCOUNT)).toMatchObject({ status: 'healthy' });

    // The operator's "Onboard another account" starts a new link.
    await p.getByRole('link', { name: 'Onboard another account' }).click();
    await p.waitForURL(`${base}/links`);
    await expectHeading(p, 'Onboarding links');

    expect(cspViolations).toEqual([]);
    expect(dialogs).toEqual([]);
    const secrets = await run.secrets();
    for (const { url, body } of bodies) {
      for (const secret of secrets) if (body.includes(secret)) throw new Error(`A secret (${secret.length} chars) appeared in ${url}`);
    }
  }
});

async function tenantsShown(page: Page): Promise<string[]> {
  return page.locator('table.fleet tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tenant') ?? ''));
}

/** Presses a form button and waits for the next document (the URL may stay the same). */
async function pressAndWait(page: Page, button: string): Promise<void> {
  await page.evaluate(() => document.body.setAttribute('data-test-stale', '1'));
  await page.getByRole('button', { name: button, exact: true }).first().click();
  await page.locator('body:not([data-test-stale])').waitFor({ state: 'attached', timeout: 60_000 });
}

async function expectHeading(page: Page, text: string): Promise<void> {
  await expect(page.locator('h1').first().textContent()).resolves.toBe(text);
}
