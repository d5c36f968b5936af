import { connect } from 'node:net';
import { LINK_KEY_PREFIX } from '../../client/src/console/onboardingLinks';
import { hashOperatorPassword, verifyOperatorPassword } from '../../client/src/console/operatorCredential';
import { LoginThrottle, MAX_FAILED_SIGN_INS, SIGN_IN_WINDOW_MS } from '../../client/src/console/loginThrottle';
import { FakeBackend } from './consoleFakeBackend';
import { ConsoleHarness, OPERATOR_PASSWORD } from './consoleHarness';

const OPERATOR_GETS = ['/tenants', '/tenants/1234567', '/links'];
const OPERATOR_POSTS = ['/tenants/1234567/rotate', '/tenants/1234567/test', '/links', '/links/1234567/retire'];
const HOUR = 3_600_000;

function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => (out += d.toString('utf8')));
    socket.on('close', () => resolve(out));
  });
}

function headerBlock(response: string): string {
  return response.slice(0, response.indexOf('\r\n\r\n')).toLowerCase();
}

describe('operator credential', () => {
  it('stores an scrypt hash with salt and verifies only the right password', async () => {
    const a = await hashOperatorPassword(OPERATOR_PASSWORD, { cost: 1024 });
    const b = await hashOperatorPassword(OPERATOR_PASSWORD, { cost: 1024 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(OPERATOR_PASSWORD);
    await expect(verifyOperatorPassword(a, OPERATOR_PASSWORD)).resolves.toBe(true);
    await expect(verifyOperatorPassword(a, `${OPERATOR_PASSWORD} `)).resolves.toBe(false);
    await expect(verifyOperatorPassword(a, undefined)).resolves.toBe(false);
    await expect(verifyOperatorPassword(a, ['x'])).resolves.toBe(false);
  });

  it('refuses a password shorter than 12 characters', async () => {
    await expect(hashOperatorPassword('elevenchars')).rejects.toMatchObject({ field: 'operatorPassword' });
  });
});

describe('LoginThrottle', () => {
  it('allows five failures in 15 minutes, then says when to retry; a success does not count', () => {
    const clock = { t: 0, now: () => clock.t };
    const throttle = new LoginThrottle(clock);
    const ok = throttle.begin();
    if (!ok.allowed) throw new Error('first attempt refused');
    throttle.succeeded(ok.attempt);
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      clock.t += 1000;
      expect(throttle.begin().allowed).toBe(true);
    }
    expect(throttle.begin()).toEqual({ allowed: false, retryAfterSeconds: SIGN_IN_WINDOW_MS / 1000 - 4 });
    clock.t = 1000 + SIGN_IN_WINDOW_MS;
    expect(throttle.begin().allowed).toBe(true);
  });
});

describe('console access control', () => {
  let backend: FakeBackend;
  let h: ConsoleHarness;

  beforeEach(async () => {
    backend = new FakeBackend();
    backend.tenants.set('1234567', { tenant: '1234567', accountId: '1234567', auditLog: [] });
    backend.tenants.set('7654321', { tenant: '7654321', accountId: '7654321', auditLog: [] });
    h = await new ConsoleHarness(backend).start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses every operator route without sign-in', async () => {
    for (const url of OPERATOR_GETS) {
      const res = await h.get(url);
      expect([url, res.statusCode, res.headers.location]).toEqual([url, 303, '/login']);
    }
    const csrf = await h.csrf('/login');
    for (const url of OPERATOR_POSTS) {
      const res = await h.post(url, { _csrf: csrf, account: '1234567' });
      expect([url, res.statusCode]).toEqual([url, 401]);
    }
    expect(backend.calls).toEqual([]);
    expect(await h.links.list()).toEqual([]);
  });

  it('refuses the onboarding routes and posting an account ID without a link', async () => {
    const csrf = await h.csrf('/login');
    const connect = await h.post('/connect', { _csrf: csrf, account: '1234567' });
    expect(connect.statusCode).toBe(401);
    for (const url of ['/onboarding/install', '/onboarding/progress', '/onboarding/finish']) expect((await h.get(url)).statusCode).toBe(401);
    expect((await h.get('/onboarding/status.json')).statusCode).toBe(401);
    expect((await h.get('/')).body).toContain('open the onboarding link you received');
    expect(backend.calls).toEqual([]);
  });

  it('a wrong password is refused, and after five failures even the right one is refused with Retry-After', async () => {
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) {
      const res = await h.signIn('wrong password number ' + i);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('not the operator password');
    }
    const locked = await h.signIn();
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(SIGN_IN_WINDOW_MS / 1000);
    expect((await h.get('/tenants')).statusCode).toBe(303);
    h.now += SIGN_IN_WINDOW_MS;
    expect((await h.signIn()).statusCode).toBe(303);
    expect((await h.get('/tenants')).statusCode).toBe(200);
  });

  it('signing in gives a new __Host- Strict Secure session cookie; signing out ends it', async () => {
    await h.get('/login');
    const before = h.sessionCookie();
    const res = await h.signIn();
    expect(res.headers.location).toBe('/tenants');
    const cookie = (res.headers['set-cookie'] as string[]).find((c) => c.startsWith('__Host-sbr_console_sid='))!;
    expect(cookie).toMatch(/^__Host-sbr_console_sid=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    expect(h.sessionCookie()).not.toBe(before);
    const signedIn = h.sessionCookie();
    const page = await h.get('/tenants');
    expect(page.body).toContain('>Sign out</button>');
    const csrf = /action="\/logout" class="inline-form"><input type="hidden" name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const out = await h.post('/logout', { _csrf: csrf });
    expect(out.headers.location).toBe('/login');
    expect(h.sessionCookie()).not.toBe(signedIn);
    expect(h.sessions.find(signedIn)).toBeUndefined();
    expect((await h.get('/tenants')).statusCode).toBe(303);
  });

  it('the operator creates a link on the links page; only its hash is stored; a new link retires the old one', async () => {
    await h.signIn();
    const csrf = await h.csrf('/links');
    const created = await h.post('/links', { _csrf: csrf, account: '1234567_sb1', ttlHours: '24' });
    expect(created.statusCode).toBe(201);
    const url = /<output class="link-box" id="onboarding-link">([^<]+)<\/output>/.exec(created.body)![1]!;
    expect(url).toMatch(new RegExp(`^${h.origin}/join/[A-Za-z0-9_-]{43}$`));
    const token = url.split('/join/')[1]!;
    const keys = await h.linkStore.list(LINK_KEY_PREFIX);
    expect(keys).toHaveLength(1);
    const stored = (await h.linkStore.get(keys[0]!))!.value;
    expect(stored).not.toContain(token);
    expect(JSON.parse(stored)).toMatchObject({ accountId: '1234567_SB1', expiresAt: new Date(h.now + 24 * HOUR).toISOString() });
    const again = await h.post('/links', { _csrf: csrf, account: '1234567_SB1' });
    expect(again.statusCode).toBe(201);
    expect(await h.linkStore.list(LINK_KEY_PREFIX)).toHaveLength(1);
    expect(await h.links.redeem(token)).toBeUndefined();
    expect((await h.post('/links', { _csrf: csrf, account: '../x' })).statusCode).toBe(400);
    expect((await h.post('/links', { _csrf: csrf, account: '1234567', ttlHours: '0' })).statusCode).toBe(400);
  });

  it('a link session reaches only its own onboarding: no operator page, no other tenant', async () => {
    await h.openLink('1234567');
    for (const url of OPERATOR_GETS) {
      const res = await h.get(url);
      expect([url, res.statusCode]).toEqual([url, 403]);
      expect(res.body).toContain('Operators only');
    }
    const csrf = await h.csrf('/');
    for (const url of [...OPERATOR_POSTS, '/tenants/7654321/rotate']) {
      expect((await h.post(url, { _csrf: csrf, account: '7654321' })).statusCode).toBe(403);
    }
    await h.post('/connect', { _csrf: csrf, account: '7654321' });
    expect(backend.calls).toEqual(['start:1234567']);
  });

  it('an operator session does not run onboardings', async () => {
    await h.signIn();
    expect((await h.get('/')).headers.location).toBe('/tenants');
    const csrf = await h.csrf('/links');
    expect((await h.post('/connect', { _csrf: csrf, account: '1234567' })).statusCode).toBe(403);
    expect((await h.get('/onboarding/install')).statusCode).toBe(403);
    expect(backend.calls).toEqual([]);
  });

  it('an expired, retired or unknown link is refused, and ends the sessions it opened', async () => {
    await h.openLink('1234567', 2);
    expect((await h.get('/')).body).toContain('<strong>1234567</strong>');
    h.now += 2 * HOUR;
    const after = await h.get('/');
    expect(after.body).not.toContain('<strong>1234567</strong>');
    expect((await h.get('/onboarding/install')).statusCode).toBe(401);

    const issued = await h.links.issue({ accountId: '1234567', consoleUrl: h.origin, ttlHours: 1 });
    const path = new URL(issued.url).pathname;
    h.now += HOUR;
    const expired = await h.get(path);
    expect(expired.statusCode).toBe(404);
    expect(expired.body).toContain('has expired, was replaced');

    await h.openLink('1234567');
    await h.links.revoke('1234567');
    expect((await h.get('/onboarding/install')).statusCode).toBe(401);
    expect((await h.get(`/join/${'A'.repeat(43)}`)).statusCode).toBe(404);
    expect((await h.get('/join/short')).statusCode).toBe(404);
  });

  it('the OAuth callback finds the session by the Lax flow cookie alone (the Strict cookie is not sent cross-site)', async () => {
    await h.openLink('1234567');
    const csrf = await h.csrf('/');
    await h.post('/connect', { _csrf: csrf });
    const sid = [...h.jar.keys()].find((k) => k.endsWith('sid'))!;
    h.jar.delete(sid);
    const cb = await h.get(`/callback?code=C&state=${backend.state}`);
    expect(cb.statusCode).toBe(200);
    expect(cb.body).toContain('content="0; url=/onboarding/install"');
    expect((await h.get('/onboarding/install')).statusCode).toBe(200);
  });
});

describe('framework error pages', () => {
  let h: ConsoleHarness;
  let port: number;
  beforeEach(async () => {
    h = await new ConsoleHarness(new FakeBackend()).start();
    port = Number(h.host.split(':')[1]);
  });
  afterEach(async () => {
    await h.close();
  });

  const expectSecurityHeaders = (head: string) => {
    expect(head).toContain("content-security-policy: default-src 'none'");
    expect(head).toContain('x-frame-options: deny');
    expect(head).toContain('x-content-type-options: nosniff');
    expect(head).toContain('cache-control: no-store');
  };

  it.each([
    ['404', (host: string) => `GET /nothing-here HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 404],
    ['413', (host: string) => `POST /login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20000\r\nConnection: close\r\n\r\n${'a'.repeat(20000)}`, 413],
    ['415', (host: string) => `POST /login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`, 415],
    ['400 (bad URL)', (host: string) => `GET /%zz HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 400],
  ])('%s carries the security headers and refuses a foreign Host', async (_name, request, status) => {
    const ok = await raw(port, request(h.host));
    expect(ok.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    expectSecurityHeaders(headerBlock(ok));
    const foreign = await raw(port, request('evil.example'));
    expect(foreign.startsWith('HTTP/1.1 421 ')).toBe(true);
    expectSecurityHeaders(headerBlock(foreign));
  });

  it('a malformed request (no Host to check) still gets a 400 with the security headers and no framework JSON', async () => {
    const res = await raw(port, `GET / HTTP/1.1\r\nHost: ${h.host}\r\nBad Header\r\n\r\n`);
    expect(res.startsWith('HTTP/1.1 400 ')).toBe(true);
    expectSecurityHeaders(headerBlock(res));
    expect(res).not.toContain('"statusCode"');
  });
});
