import { csrfTokenMatches, originAllowed } from '../../client/src/console/csrf';
import { flowCookie, parseCookies, SECURE_SESSION_COOKIE, SESSION_COOKIE, SESSION_IDLE_MS, SESSION_MAX_AGE_MS, sessionCookie, SessionStore } from '../../client/src/console/session';
import { contentSecurityPolicy } from '../../client/src/console/security';

function clockAt(start: number) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

describe('SessionStore', () => {
  it('creates sessions with distinct, unguessable IDs and CSRF tokens', () => {
    const store = new SessionStore(clockAt(0));
    const a = store.create();
    const b = store.create();
    expect(a.id).not.toBe(b.id);
    expect(a.csrfToken).not.toBe(a.id);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.find(a.id)).toBe(a);
  });

  it('forgets a session idle for longer than an hour, and keeps an active one', () => {
    const clock = clockAt(1_000);
    const store = new SessionStore(clock);
    const idle = store.create();
    const active = store.create();
    clock.t += SESSION_IDLE_MS - 1;
    expect(store.find(active.id)).toBe(active);
    clock.t += 2;
    expect(store.find(idle.id)).toBeUndefined();
    expect(store.find(active.id)).toBe(active);
  });

  it('rotate gives a new ID and CSRF token, keeps the state and retires the old ID', () => {
    const store = new SessionStore(clockAt(0));
    const session = store.create();
    session.onboarding = { tenant: 't', accountId: '1234567', connected: true };
    const rotated = store.rotate(session);
    expect(rotated.id).not.toBe(session.id);
    expect(rotated.csrfToken).not.toBe(session.csrfToken);
    expect(rotated.onboarding).toEqual(session.onboarding);
    expect(store.find(session.id)).toBeUndefined();
    expect(store.find(rotated.id)).toBe(rotated);
  });

  it('ends a session older than the maximum age even when active', () => {
    const clock = clockAt(0);
    const store = new SessionStore(clock);
    const session = store.create();
    for (let t = 0; t < SESSION_MAX_AGE_MS; t += SESSION_IDLE_MS / 2) {
      clock.t = t;
      expect(store.find(session.id)).toBe(session);
    }
    clock.t = SESSION_MAX_AGE_MS + 1;
    expect(store.find(session.id)).toBeUndefined();
  });

  it('finds the session of an OAuth round trip by its flow binding only', () => {
    const store = new SessionStore(clockAt(0));
    const session = store.create();
    session.flowBinding = 'binding-1';
    expect(store.findByFlow('binding-1')).toBe(session);
    expect(store.findByFlow('binding-2')).toBeUndefined();
    expect(store.findByFlow(undefined)).toBeUndefined();
  });

  it('returns undefined for unknown or missing IDs', () => {
    const store = new SessionStore(clockAt(0));
    expect(store.find(undefined)).toBeUndefined();
    expect(store.find('forged')).toBeUndefined();
  });
});

describe('cookies', () => {
  it('is __Host- prefixed, Secure, HttpOnly, SameSite=Strict and Path=/ over https', () => {
    expect(sessionCookie('abc', true)).toBe(`${SECURE_SESSION_COOKIE}=abc; Path=/; HttpOnly; SameSite=Strict; Secure`);
    expect(sessionCookie('abc', false)).toBe(`${SESSION_COOKIE}=abc; Path=/; HttpOnly; SameSite=Strict`);
  });

  it('the OAuth flow cookie is Lax (NetSuite\'s redirect back is cross-site), short-lived and __Host- prefixed', () => {
    expect(flowCookie('xyz', true)).toBe('__Host-sbr_console_flow=xyz; Path=/; HttpOnly; SameSite=Lax; Max-Age=900; Secure');
    expect(flowCookie('', true, 0)).toContain('Max-Age=0');
  });

  it('parses a Cookie header and keeps the first of duplicate names', () => {
    const cookies = parseCookies('a=1; sbr_console_sid=xyz; a=2; broken; b = 3 ');
    expect(cookies.get('a')).toBe('1');
    expect(cookies.get(SESSION_COOKIE)).toBe('xyz');
    expect(cookies.get('b')).toBe('3');
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('CSRF', () => {
  it('accepts only the exact session token', () => {
    expect(csrfTokenMatches('token-1', 'token-1')).toBe(true);
    expect(csrfTokenMatches('token-1', 'token-2')).toBe(false);
    expect(csrfTokenMatches('token-1', 'token-1x')).toBe(false);
    expect(csrfTokenMatches('token-1', '')).toBe(false);
    expect(csrfTokenMatches('token-1', undefined)).toBe(false);
    expect(csrfTokenMatches('token-1', ['token-1'])).toBe(false);
  });

  it('rejects a foreign Origin and allows a missing one', () => {
    expect(originAllowed('http://127.0.0.1:3030', ['http://127.0.0.1:3030'])).toBe(true);
    expect(originAllowed('https://evil.example', ['http://127.0.0.1:3030'])).toBe(false);
    expect(originAllowed('null', ['http://127.0.0.1:3030'])).toBe(false);
    expect(originAllowed(undefined, ['http://127.0.0.1:3030'])).toBe(true);
  });
});

describe('contentSecurityPolicy', () => {
  it('allows no inline script or style and no framing', () => {
    const csp = contentSecurityPolicy(['https://*.app.netsuite.com']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://*.app.netsuite.com");
  });
});
