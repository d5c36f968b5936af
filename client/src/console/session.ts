import { randomBytes } from 'node:crypto';

/** Per-browser console state. Holds no token, secret or key: only IDs and what the pages need to show. */
export interface ConsoleSession {
  id: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** The onboarding this browser is running. */
  onboarding?: {
    tenant: string;
    accountId: string;
    /** OAuth `state` of the authorization this browser started; /callback must bring it back. */
    pendingState?: string;
    connected: boolean;
  };
  /** One-shot message shown on the next page (POST/redirect/GET). */
  flash?: { level: 'ok' | 'warn' | 'error'; text: string; remedy?: string };
}

export interface Clock {
  now(): number;
}

export const SESSION_COOKIE = 'sbr_console_sid';
/** Matches the one-hour window the customer grants temporary elevated access for. */
export const SESSION_IDLE_MS = 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

function randomId(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly clock: Clock, private readonly idleMs = SESSION_IDLE_MS) {}

  /** The live session for this cookie value, or undefined when unknown or idle too long. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock.now();
    if (now - session.lastSeenAt > this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  create(): ConsoleSession {
    this.evictIdle();
    const now = this.clock.now();
    const session: ConsoleSession = { id: randomId(), csrfToken: randomId(), createdAt: now, lastSeenAt: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** New ID and CSRF token for the same state; called when the session gains a connected account (no fixation). */
  rotate(session: ConsoleSession): ConsoleSession {
    this.sessions.delete(session.id);
    const rotated: ConsoleSession = { ...session, id: randomId(), csrfToken: randomId(), lastSeenAt: this.clock.now() };
    this.sessions.set(rotated.id, rotated);
    return rotated;
  }

  get size(): number {
    return this.sessions.size;
  }

  private evictIdle(): void {
    const now = this.clock.now();
    for (const [id, session] of this.sessions) {
      if (now - session.lastSeenAt > this.idleMs) this.sessions.delete(id);
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

export function sessionCookie(id: string, secure: boolean): string {
  const attributes = [`${SESSION_COOKIE}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (secure) attributes.push('Secure');
  return attributes.join('; ');
}
