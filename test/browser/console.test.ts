/**
 * Drives the web console end to end in Debian's chromium against the embedded emulator, over https with the
 * console's throwaway certificate: the operator signs in and creates an onboarding link; the customer's
 * administrator (another browser context) opens it: connect → NetSuite login → consent → bundle install page →
 * check again → long-term access → finish; the link reaches no operator page; then the operator's tenant page
 * (test connection, rotate) and sign-out. Saves a screenshot per step in test-artifacts/browser/.
 * Every HTML/JSON/JS response of the console is kept and scanned for tokens, keys and passwords.
 */
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startConsole, type RunningConsoleHandle } from './consoleUnderTest';
import { artifactsDir, clearArtifacts, freePort, launchChromium, requireBuiltSuiteScripts } from './support';

jest.setTimeout(120_000);

const ACCOUNT = '1234567';

describe('web console in a real browser', () => {
  let browser: Browser;
  let context: BrowserContext;
  let operatorContext: BrowserContext;
  let page: Page;
  let operatorPage: Page;
  let run: RunningConsoleHandle;
  let dataDir: string;
  let shot = 0;
  const consoleBodies: { url: string; body: string }[] = [];
  const cspViolations: string[] = [];

  async function screenshot(p: Page, name: string): Promise<void> {
    shot += 1;
    await p.screenshot({ path: join(artifactsDir(), `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  }

  function watch(p: Page): void {
    p.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    p.on('response', async (response) => {
      if (!response.url().startsWith(run.console.url)) return;
      const type = response.headers()['content-type'] ?? '';
      if (!/html|json|javascript|css/.test(type)) return;
      try {
        consoleBodies.push({ url: response.url(), body: await response.text() });
      } catch {
        // Redirect responses have no body.
      }
    });
  }

  beforeAll(async () => {
    requireBuiltSuiteScripts();
    clearArtifacts();
    dataDir = mkdtempSync(join(tmpdir(), 'sbr-browser-'));
    const port = await freePort();
    run = await startConsole({ port, dataDir, account: ACCOUNT });
    browser = await launchChromium();
    // The certificate is the console's throwaway one: the test pins its fingerprint (servedFingerprint) instead.
    operatorContext = await browser.newContext({ viewport: { width: 1200, height: 900 }, ignoreHTTPSErrors: true });
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ignoreHTTPSErrors: true });
    operatorPage = await operatorContext.newPage();
    page = await context.newPage();
    watch(operatorPage);
    watch(page);
  });

  afterAll(async () => {
    await operatorContext?.close();
    await context?.close();
    await browser?.close();
    await run?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('onboards an account through the four steps and manages the tenant', async () => {
    try {
      await onboardAndManage();
    } catch (err) {
      // Leave evidence: where the browser was and what it showed.
      await page.screenshot({ path: join(artifactsDir(), 'failure.png'), fullPage: true }).catch(() => undefined);
      const text = await page.locator('main').innerText().catch(() => '(no main element)');
      throw new Error(`${(err as Error).message}\nBrowser at ${page.url()}:\n${text.slice(0, 2000)}`);
    }
  });

  async function onboardAndManage(): Promise<void> {
    const base = run.console.url;
    expect(base).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect(await servedFingerprint(base)).toBe(run.console.certificateFingerprint);

    // Operator: signed out, the tenant list sends to the sign-in page; a wrong password is refused.
    await operatorPage.goto(`${base}/tenants`);
    await operatorPage.waitForURL(`${base}/login`);
    await operatorPage.locator('input[name="password"]').fill('not the operator password');
    await operatorPage.getByRole('button', { name: 'Sign in' }).click();
    await expect(operatorPage.locator('.notice-error').textContent()).resolves.toContain('not the operator password');
    await operatorPage.locator('input[name="password"]').fill(run.operatorPassword);
    await screenshot(operatorPage, 'operator-sign-in');
    await operatorPage.getByRole('button', { name: 'Sign in' }).click();
    await operatorPage.waitForURL(`${base}/tenants`);
    await operatorPage.getByRole('link', { name: 'Onboarding links' }).click();
    await operatorPage.locator('input[name="account"]').fill(ACCOUNT);
    await operatorPage.getByRole('button', { name: 'Create link' }).click();
    const link = ((await operatorPage.locator('#onboarding-link').textContent()) ?? '').trim();
    expect(link).toMatch(new RegExp(`^${base}/join/[A-Za-z0-9_-]{43}$`));
    await screenshot(operatorPage, 'onboarding-link');
    const [operatorCookie] = (await operatorContext.cookies(base)).filter((c) => c.name === '__Host-sbr_console_sid');
    expect(operatorCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: true });

    // Customer's administrator: the link opens step 1 for that account only
    await page.goto(link);
    await page.waitForURL(`${base}/`);
    await expectHeading(page, 'Connect your NetSuite account');
    await expect(page.locator('.field-static strong').textContent()).resolves.toBe(ACCOUNT);
    await screenshot(page, 'connect');
    await page.getByRole('button', { name: 'Connect your NetSuite account' }).click();

    // NetSuite (emulator) login and consent, on the account's app host
    await page.waitForURL((url) => url.port === run.emulatorPort);
    await page.locator('input[name="email"]').fill(run.admin.email);
    await page.locator('input[name="password"]').fill(run.admin.password);
    await screenshot(page, 'netsuite-login');
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await screenshot(page, 'netsuite-consent');
    await page.getByRole('button', { name: 'Allow' }).click();

    // Step 2: back on the console, the bundle is missing
    await page.waitForURL(`${base}/onboarding/install`);
    await expectHeading(page, 'Install the bundle');
    const failed = page.locator('li.check-failed');
    expect(await failed.count()).toBeGreaterThan(0);
    await expect(page.locator('li.check-failed .remedy').first().textContent()).resolves.toMatch(/\S/);
    await screenshot(page, 'install-checks-failed');
    const secretsWhileHeld = await run.secrets();

    // The install link opens the emulator's bundle page in a new tab
    const [installTab] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Open the bundle install page' }).click()]);
    watch(installTab);
    await installTab.waitForLoadState();
    expect(new URL(installTab.url()).port).toBe(run.emulatorPort);
    await screenshot(installTab, 'bundle-install-page');
    await installTab.getByRole('button', { name: 'Install' }).click();
    await installTab.getByRole('button', { name: 'Uninstall' }).waitFor();
    await screenshot(installTab, 'bundle-installed');
    await installTab.close();

    // Check again → steps 3 and 4 run; the progress page follows them
    await page.bringToFront();
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.waitForURL(/\/onboarding\/(progress|finish)$/);
    await screenshot(page, 'long-term-access');
    await page.waitForURL(`${run.console.url}/onboarding/finish`, { timeout: 60_000 });
    await expectHeading(page, 'Finish');
    await expect(page.locator('.notice-ok').first().textContent()).resolves.toContain('is connected');
    await expect(page.locator('dl.results').textContent()).resolves.toMatch(/customrole_sbr_integration/i);
    await expect(page.locator('dl.results').textContent()).resolves.toContain('Revoked');
    await screenshot(page, 'finish');

    expect(await page.getByRole('link', { name: 'Open the tenant page' }).count()).toBe(0);

    // The link reaches no operator page
    await page.goto(`${base}/tenants`);
    await expectHeading(page, 'Operators only');
    await page.goto(`${base}/links`);
    await expectHeading(page, 'Operators only');
    await screenshot(page, 'link-refused-operator-page');
    const [customerCookie] = (await context.cookies(base)).filter((c) => c.name === '__Host-sbr_console_sid');
    expect(customerCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', secure: true });

    // Operator: tenant page with expiry, last token, test connection, rotate
    const p = operatorPage;
    await p.goto(`${base}/tenants/${ACCOUNT}`);
    await expect(p.locator('[data-expiry-level]').first().getAttribute('data-expiry-level')).resolves.toBe('ok');
    const certBefore = await p.locator('dd code').first().textContent();
    expect(certBefore).toMatch(/\S/);
    await screenshot(p, 'tenant');

    await expect(pressAndReadNotice(p, 'Test connection')).resolves.toContain('Connection works');
    await expect(p.locator('[data-field="last-token"]').textContent()).resolves.toMatch(/UTC/);
    await screenshot(p, 'test-connection');
    const secretsBeforeRotation = await run.secrets();

    await expect(pressAndReadNotice(p, 'Rotate certificate')).resolves.toContain('Certificate rotated');
    const certAfter = await p.locator('dd code').first().textContent();
    expect(certAfter).not.toBe(certBefore);
    await screenshot(p, 'rotated');

    await expect(pressAndReadNotice(p, 'Test connection')).resolves.toContain('Connection works');
    const secretsAfterRotation = await run.secrets();

    await p.getByRole('link', { name: 'Tenants' }).click();
    await p.locator('table.table').waitFor();
    await expect(p.locator('table.table tbody tr').count()).resolves.toBe(1);
    await screenshot(p, 'tenants');

    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.waitForURL(`${base}/login`);
    await p.goto(`${base}/tenants`);
    await p.waitForURL(`${base}/login`);


    // Nothing secret ever reached the browser, and the CSP blocked nothing the pages need.
    expect(cspViolations).toEqual([]);
    const pagesSeen = consoleBodies.map((b) => new URL(b.url).pathname);
    expect(pagesSeen).toEqual(expect.arrayContaining(['/', '/login', '/links', '/onboarding/install', '/onboarding/finish', `/tenants/${ACCOUNT}`, '/assets/console.css']));
    const secrets = [...new Set([...secretsWhileHeld, ...secretsBeforeRotation, ...secretsAfterRotation])];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const { url, body } of consoleBodies) {
      for (const secret of secrets) {
        if (body.includes(secret)) throw new Error(`A secret (${secret.length} chars) appeared in ${url}`);
      }
    }
  }
});

/** Presses a tenant-page button (POST, 303 back to the same URL) and returns the notice shown afterwards. */
async function pressAndReadNotice(page: Page, button: string): Promise<string> {
  // Same URL before and after, so mark the old document and wait until a fresh one replaced it.
  await page.evaluate(() => document.body.setAttribute('data-test-stale', '1'));
  await page.getByRole('button', { name: button }).click();
  await page.locator('body:not([data-test-stale])').waitFor({ state: 'attached' });
  return (await page.locator('.notice').first().textContent()) ?? '';
}

/** SHA-256 fingerprint of the certificate the console actually serves. */
function servedFingerprint(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'HEAD', rejectUnauthorized: false }, (res) => {
      resolve((res.socket as TLSSocket).getPeerCertificate().fingerprint256);
      res.destroy();
    });
    req.on('error', reject);
    req.end();
  });
}

async function expectHeading(page: Page, text: string): Promise<void> {
  await expect(page.locator('h1').first().textContent()).resolves.toBe(text);
}
