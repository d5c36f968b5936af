import { createHash } from 'node:crypto';
import { TokenEndpointError } from '../errors';
import type { TokenStore } from '../store/types';
import { AUTHORIZATION_KEY_PREFIX } from './storedAuthorization';

const JOURNAL_PREFIX = 'suitebridge:refreshing:';

/** A refresh that was sent and never recorded as finished: the process stopped between NetSuite's answer and the save. */
export interface InterruptedRefresh {
  startedAt: string;
  pid: number;
}

interface JournalEntry extends InterruptedRefresh {
  /** Which refresh token was being spent (a hash prefix: the token itself never goes in the journal). */
  token: string;
}

/**
 * NetSuite's refresh tokens are single-use: a process killed after NetSuite rotated the token and before the new pair
 * was saved loses the authorization, and nothing can get it back. The journal cannot prevent that; it lets the next
 * process say what happened instead of showing a bare invalid_grant. One store write before each refresh and one
 * delete after it; best effort (a store that refuses it does not stop the refresh).
 */
export class RefreshJournal {
  constructor(private readonly store: TokenStore, private readonly now: () => number) {}

  /** Records this refresh; returns an earlier one with the same refresh token that never finished, if any. */
  async begin(authorizationKey: string, refreshToken: string): Promise<InterruptedRefresh | undefined> {
    const key = journalKey(authorizationKey);
    const token = tokenHash(refreshToken);
    try {
      const current = await this.store.get(key);
      const earlier = current ? parse(current.value) : undefined;
      const entry: JournalEntry = { startedAt: new Date(this.now()).toISOString(), pid: process.pid, token };
      await this.store.compareAndSwap(key, current ? current.version : null, JSON.stringify(entry));
      return earlier && earlier.token === token ? { startedAt: earlier.startedAt, pid: earlier.pid } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The refresh ended with its result saved (or NetSuite refused it, so nothing was rotated). */
  async end(authorizationKey: string): Promise<void> {
    await this.store.delete(journalKey(authorizationKey)).catch(() => undefined);
  }
}

/** NetSuite refused the refresh token that a stopped process had already sent: most likely it was rotated then. */
export function refreshInterrupted(err: TokenEndpointError, earlier: InterruptedRefresh): TokenEndpointError {
  return new TokenEndpointError(
    `NetSuite refused the refresh token. A process (pid ${earlier.pid}) began a refresh with that same token at ` +
      `${earlier.startedAt} and never recorded its result: it most likely stopped after NetSuite rotated the token, and ` +
      `the new one was lost with it (refresh tokens are single-use, so it cannot be recovered). ${err.message}`,
    { status: err.status, error: err.error, grant: err.grant, likelyCauses: err.likelyCauses, ...(err.errorDescription !== undefined ? { errorDescription: err.errorDescription } : {}) },
    { cause: err, remedy: 'Run the authorization code flow again for this tenant (for onboarding: onboard --tenant <name> resumes it with a new consent).' },
  );
}

function journalKey(authorizationKey: string): string {
  return JOURNAL_PREFIX + (authorizationKey.startsWith(AUTHORIZATION_KEY_PREFIX) ? authorizationKey.slice(AUTHORIZATION_KEY_PREFIX.length) : authorizationKey);
}

function tokenHash(refreshToken: string): string {
  return createHash('sha256').update(refreshToken).digest('hex').slice(0, 16);
}

function parse(value: string): JournalEntry | undefined {
  try {
    const entry = JSON.parse(value) as Partial<JournalEntry>;
    return typeof entry.token === 'string' && typeof entry.startedAt === 'string' && typeof entry.pid === 'number' ? (entry as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}
