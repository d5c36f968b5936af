import { randomBytes } from 'node:crypto';

/** Who a browser session acts for. */
export type ConsolePrincipal =
  /** Signed in with the operator credential: tenant list, tenant actions, onboarding links. */
  | { kind: 'operator'; signedInAt: number }
  /** Came through a per-tenant onboarding link: only that tenant's onboarding pages. */
  | { kind: 'tenant'; tenant: string; accountId: string; linkId: string; expiresAt: number };

/** Per-browser console state. Holds no token, secret or key: only IDs and what the pages need to show. */
export interface ConsoleSession {
  id: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  principal?: ConsolePrincipal;
  /** The onboarding this browser is running (tenant sessions only). */
  onboarding?: {
    tenant: string;
    accountId: string;
    /** OAuth `state` of the authorization this browser started; /callback must bring it back. */
    pendingState?: string;
    connected: boolean;
  };
  /**
   * Value of the short-lived SameSite=Lax flow cookie set by POST /connect. NetSuite's redirect to /callback is a
   * cross-site navigation, so the SameSite=Strict session cookie is not sent with it; this cookie finds the session.
   */
  flowBinding?: string;
  /** One-shot message shown on the next page (POST/redirect/GET). */
  flash?: { level: 'ok' | 'warn' | 'error'; text: string; remedy?: string };
}

export interface Clock {
  now(): number;
}

/** `__Host-`: the browser accepts it only with Secure, Path=/ and no Domain, so no sibling host can plant or read it. */
export const SECURE_SESSION_COOKIE = '__Host-sbr_console_sid';
/** Plain name for a console served over http without a TLS proxy (tests only: startConsole always serves https). */
export const SESSION_COOKIE = 'sbr_console_sid';
export const SECURE_FLOW_COOKIE = '__Host-sbr_console_flow';
export const FLOW_COOKIE = 'sbr_console_flow';
/** Long enough to sign in to NetSuite and consent. */
export const FLOW_COOKIE_MAX_AGE_S = 15 * 60;
/** Matches the one-hour window the customer grants temporary elevated access for. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
/** An operator signs in again after this long, active or not. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

export function randomId(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

export function flowCookieName(secure: boolean): string {
  return secure ? SECURE_FLOW_COOKIE : FLOW_COOKIE;
}

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly clock: Clock, private readonly idleMs = SESSION_IDLE_MS, private readonly maxAgeMs = SESSION_MAX_AGE_MS) {}

  /** The live session for this cookie value, or undefined when unknown, idle too long or too old. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock.now();
    if (this.expired(session, now)) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  /** The session that started an OAuth round trip with this flow cookie value. */
  findByFlow(binding: string | undefined): ConsoleSession | undefined {
    if (!binding) return undefined;
    for (const session of this.sessions.values()) {
      if (session.flowBinding === binding) return this.find(session.id);
    }
    return undefined;
  }

  create(): ConsoleSession {
    this.evictIdle();
    const now = this.clock.now();
    const session: ConsoleSession = { id: randomId(), csrfToken: randomId(), createdAt: now, lastSeenAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** New ID and CSRF token for the same state; called whenever the session gains a privilege (no fixation). */
  rotate(session: ConsoleSession): ConsoleSession {
    this.sessions.delete(session.id);
    const rotated: ConsoleSession = { ...session, id: randomId(), csrfToken: randomId(), lastSeenAt: this.clock.now() };
    this.sessions.set(rotated.id, rotated);
    return rotated;
  }

  /** A fresh session with nothing carried over (sign-in, opening an onboarding link). */
  replace(session: ConsoleSession): ConsoleSession {
    this.sessions.delete(session.id);
    return this.create();
  }

  destroy(session: ConsoleSession): void {
    this.sessions.delete(session.id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private expired(session: ConsoleSession, now: number): boolean {
    return now - session.lastSeenAt > this.idleMs || now - session.createdAt > this.maxAgeMs;
  }

  private evictIdle(): void {
    const now = this.clock.now();
    for (const [id, session] of this.sessions) {
      if (this.expired(session, now)) this.sessions.delete(id);
    }
    // A flood of cookie-less requests must not grow memory without bound: drop the oldest.
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

/**
 * SameSite=Strict: no other site can make the browser send it, not even by a link. Over https it is
 * `__Host-` prefixed and Secure.
 */
export function sessionCookie(id: string, secure: boolean): string {
  const attributes = [`${sessionCookieName(secure)}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function expiredSessionCookie(secure: boolean): string {
  return `${sessionCookie('', secure)}; Max-Age=0`;
}

/** Lax (sent on NetSuite's top-level redirect back to /callback), short-lived, cleared by the callback. */
export function flowCookie(binding: string, secure: boolean, maxAgeSeconds = FLOW_COOKIE_MAX_AGE_S): string {
  const attributes = [`${flowCookieName(secure)}=${binding}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}
