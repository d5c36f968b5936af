import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../../client/src/console/session';
import { FakeBackend } from './consoleFakeBackend';
import { ConsoleHarness, nextUrl } from './consoleHarness';

async function connect(h: ConsoleHarness, backend: FakeBackend): Promise<void> {
  await h.openLink('1234567');
  const csrf = await h.csrf('/');
  const res = await h.post('/connect', { _csrf: csrf, account: '1234567' });
  expect(res.statusCode).toBe(303);
  const cb = await h.get(`/callback?code=THE_CODE&state=${backend.state}`);
  expect(cb.statusCode).toBe(200);
  expect(nextUrl(cb)).toMatch(/^\/onboarding\//);
}

describe('console onboarding pages', () => {
  let backend: FakeBackend;
  let h: ConsoleHarness;

  beforeEach(async () => {
    backend = new FakeBackend();
    h = await new ConsoleHarness(backend).start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('serves step 1 with a session cookie, a CSRF field and strict security headers', async () => {
    await h.openLink('1234567');
    const res = await h.get('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{43}"/);
    const first = await new ConsoleHarness(backend).start();
    const cookie = String((await first.get('/')).headers['set-cookie']);
    await first.close();
    expect(cookie).toMatch(new RegExp(`^${SECURE_SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure$`));
    expect(res.body).toContain('Connect your NetSuite account');
    expect(res.body).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{43}"/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(res.body).not.toMatch(/\sstyle=/);
  });

  it('drops the __Host- prefix and Secure only for a console without TLS (tests)', async () => {
    const plain = await new ConsoleHarness(backend, { secureCookies: false }).start();
    const res = await plain.get('/');
    expect(String(res.headers['set-cookie'])).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict$`));
    await plain.close();
  });

  it('refuses a POST without the session CSRF token, with another session token, or from another origin', async () => {
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    expect((await h.post('/connect', { account: '1234567' })).statusCode).toBe(403);
    expect((await h.post('/connect', { account: '1234567', _csrf: 'guess' })).statusCode).toBe(403);
    expect((await h.post('/connect', { account: '1234567', _csrf: csrf }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    const other = await new ConsoleHarness(backend).start();
    const otherToken = await other.csrf('/login');
    expect((await h.post('/connect', { account: '1234567', _csrf: otherToken })).statusCode).toBe(403);
    await other.close();
    expect(backend.calls).toEqual([]);
  });

  it('answers 421 to a foreign Host header (DNS rebinding)', async () => {
    const res = await h.get('/', { host: 'evil.example' });
    expect(res.statusCode).toBe(421);
  });

  it('step 1 redirects to the NetSuite authorize URL for the link\'s account and sets the Lax flow cookie', async () => {
    await h.openLink('1234567_sb1');
    const csrf = await h.csrf('/');
    const res = await h.post('/connect', { _csrf: csrf, _extra: 'x' }, { origin: h.origin });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(backend.authorizeUrl);
    expect(backend.calls).toEqual(['start:1234567_SB1']);
    const cookies = (res.headers['set-cookie'] as string[]).filter((c) => c.startsWith('__Host-sbr_console_flow='));
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^__Host-sbr_console_flow=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=900; Secure$/);
  });

  it('a posted account ID does not change the link\'s account', async () => {
    await h.openLink('7654321');
    const page = await h.get('/');
    expect(page.body).toContain('<strong>7654321</strong>');
    expect(page.body).not.toContain('name="account"');
    const csrf = await h.csrf('/');
    await h.post('/connect', { _csrf: csrf, account: '1111111' });
    expect(backend.calls).toEqual(['start:7654321']);
  });

  it('accepts the callback only with the state this browser started, then rotates the session', async () => {
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    await h.post('/connect', { _csrf: csrf, account: '1234567' });
    const before = h.sessionCookie();

    const stranger = await new ConsoleHarness(backend).start();
    const forged = await stranger.get(`/callback?code=X&state=${backend.state}`);
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('does not belong to this browser');
    await stranger.close();

    expect((await h.get('/callback?code=X&state=WRONG')).statusCode).toBe(400);
    expect(backend.calls.filter((c) => c.startsWith('callback'))).toEqual([]);

    const ok = await h.get(`/callback?code=THE_CODE&state=${backend.state}`);
    expect(ok.statusCode).toBe(200);
    expect(nextUrl(ok)).toBe('/onboarding/install');
    expect(backend.calls).toContain(`callback:${h.origin}/callback?code=THE_CODE&state=${backend.state}`);
    expect(h.sessionCookie()).not.toBe(before);
    expect([...h.jar.keys()]).not.toContain('__Host-sbr_console_flow');

    const replay = await h.get(`/callback?code=THE_CODE&state=${backend.state}`);
    expect(replay.statusCode).toBe(400);
  });

  it('explains a denied consent and offers to start again', async () => {
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    await h.post('/connect', { _csrf: csrf, account: '1234567' });
    const res = await h.get(`/callback?error=access_denied&state=${backend.state}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You chose not to allow access');
    expect(res.body).toContain('href="/"');
  });

  it('shows a failed authorization with its remedy', async () => {
    backend.authorizeFails = { message: 'The token endpoint answered invalid_grant.', remedy: 'Connect again; the code was used already.' };
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    await h.post('/connect', { _csrf: csrf, account: '1234567' });
    const res = await h.get(`/callback?code=C&state=${backend.state}`);
    expect(res.statusCode).toBe(502);
    expect(res.body).toContain('invalid_grant');
    expect(res.body).toContain('Connect again; the code was used already.');
  });

  it('step 2 lists every failed install check with its remedy, and Check again re-runs it', async () => {
    await connect(h, backend);
    const page = await h.get('/onboarding/install');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('2 of 2 checks failed');
    for (const check of backend.failedChecks) {
      expect(page.body).toContain(`data-check="${check.id}"`);
      expect(page.body).toContain(check.remedy);
    }
    expect(page.body).toContain('href="https://1234567.app.netsuite.com/app/bundler/installbundle.nl?id&#61;512345"');
    expect(page.body).toContain('target="_blank" rel="noopener noreferrer"');
    expect(page.body).toContain('employee 7, the administrator who connected');

    const csrf = await h.csrf('/onboarding/install');
    const still = await h.post('/onboarding/check', { _csrf: csrf, entity: '' });
    expect(still.headers.location).toBe('/onboarding/install');

    backend.bundleInstalled = true;
    const passed = await h.post('/onboarding/check', { _csrf: csrf, entity: '8' });
    expect(passed.statusCode).toBe(303);
    expect(passed.headers.location).toBe('/onboarding/progress');
    expect(backend.calls.filter((c) => c.startsWith('recheck'))).toEqual(['recheck:1234567:', 'recheck:1234567:8']);
  });

  it('rejects an integration user that is not an internal ID', async () => {
    await connect(h, backend);
    const csrf = await h.csrf('/onboarding/install');
    const res = await h.post('/onboarding/check', { _csrf: csrf, entity: '8; DROP' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('employee internal ID');
    expect(backend.calls.some((c) => c.startsWith('recheck'))).toBe(false);
  });

  it('step 3 shows progress with a polling script and a JSON status, then step 4 shows the results', async () => {
    backend.bundleInstalled = true;
    await connect(h, backend);
    const status = (await backend.status('1234567'))!;
    status.events.push({ at: '2026-11-22T10:00:01.000Z', step: 3, level: 'info', message: 'Key generated (EC-P256)' });

    const progress = await h.get('/onboarding/progress');
    expect(progress.statusCode).toBe(200);
    expect(progress.body).toContain('<script src="/assets/console.js" defer></script>');
    expect(progress.body).toContain('data-status-url="/onboarding/status.json"');
    expect(progress.body).toContain('Key generated (EC-P256)');

    const json1 = JSON.parse((await h.get('/onboarding/status.json')).body);
    expect(json1.complete).toBe(false);
    expect(json1.next).toBeUndefined();
    expect(progress.body).toContain(`data-status-revision="${json1.revision}"`);

    status.steps = [1, 2, 3, 4].map((step) => ({ step: step as 1 | 2 | 3 | 4, state: 'done' as const }));
    status.complete = true;
    status.results = [{ label: 'Certificate', value: 'CERT-1 · ES256' }];
    const json2 = JSON.parse((await h.get('/onboarding/status.json')).body);
    expect(json2.revision).not.toBe(json1.revision);
    expect(json2.next).toBe('/onboarding/finish');

    expect((await h.get('/onboarding/progress')).headers.location).toBe('/onboarding/finish');
    const finish = await h.get('/onboarding/finish');
    expect(finish.body).toContain('CERT-1 · ES256');
    expect(finish.body).not.toContain('href="/tenants/');
    expect((await h.get('/')).headers.location).toBe('/onboarding/finish');
  });

  it('offers Try again when a later step failed', async () => {
    backend.bundleInstalled = true;
    await connect(h, backend);
    const status = (await backend.status('1234567'))!;
    status.steps[2] = { step: 3, state: 'failed' };
    status.error = { message: 'Certificate upload failed: HTTP 403.', remedy: 'Give the role the certificate permission.' };
    const page = await h.get('/onboarding/progress');
    expect(page.body).toContain('Certificate upload failed: HTTP 403.');
    expect(page.body).toContain('action="/onboarding/retry"');
    expect(page.body).toContain('action="/onboarding/restart"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await h.post('/onboarding/retry', { _csrf: csrf });
    expect(backend.calls).toContain('retry:1234567');
    // The way out of a failed later step: start over with another account or integration user.
    expect((await h.post('/onboarding/restart', { _csrf: csrf })).headers.location).toBe('/');
    expect((await h.get('/')).body).toContain('Connect your NetSuite account');
  });

  it('Start over forgets this browser\'s onboarding', async () => {
    await connect(h, backend);
    const csrf = await h.csrf('/onboarding/install');
    const res = await h.post('/onboarding/restart', { _csrf: csrf });
    expect(res.headers.location).toBe('/');
    expect((await h.get('/onboarding/install')).headers.location).toBe('/');
    expect((await h.get('/')).body).toContain('Connect your NetSuite account');
  });

  it('sends a link session without a connection back to step 1', async () => {
    await h.openLink('1234567');
    for (const url of ['/onboarding/install', '/onboarding/progress', '/onboarding/finish']) {
      const res = await h.get(url);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
    }
    expect((await h.get('/onboarding/status.json')).statusCode).toBe(401);
  });

  it('a resumed tenant skips the sign-in', async () => {
    backend.resume = true;
    backend.setStatus({ tenant: '1234567', accountId: '1234567', steps: [{ step: 1, state: 'done' }, { step: 2, state: 'waiting' }], events: [], complete: false });
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    const res = await h.post('/connect', { _csrf: csrf, account: '1234567' });
    expect(res.headers.location).toBe('/');
    expect((await h.get('/')).headers.location).toBe('/onboarding/install');
  });

  it('escapes hostile strings from NetSuite on every page', async () => {
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    backend.failedChecks = [{ id: `bundle_installed${evil}`, ok: false, detail: evil, remedy: evil }];
    await connect(h, backend);
    const install = await h.get('/onboarding/install');
    const status = (await backend.status('1234567'))!;
    status.steps = [1, 2].map((step) => ({ step: step as 1 | 2, state: 'done' as const }));
    status.events.push({ at: evil, step: 3, level: 'error', message: evil });
    status.error = { message: evil, remedy: evil };
    const progress = await h.get('/onboarding/progress');
    for (const body of [install.body, progress.body]) {
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img');
      expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('renders 404 for unknown pages with the layout, and serves the CSS and script', async () => {
    const missing = await h.get('/nope<script>');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<script>');
    const css = await h.get('/assets/console.css');
    expect(css.headers['content-type']).toContain('text/css');
    const js = await h.get('/assets/console.js');
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.body).toContain('data-status-url');
  });
});
