import { createHash, randomBytes } from 'node:crypto';
import { normalizeAccountId } from '../account';
import { ConfigurationError } from '../errors';
import type { TokenStore } from '../store/types';
import type { Clock } from './session';

/**
 * Per-tenant onboarding links. The link carries a 256-bit random token; the store keeps only its SHA-256
 * (a leaked store or backup cannot be turned back into a working link), with the tenant it is bound to and
 * its expiry. One live link per tenant: issuing a new one retires the previous.
 */
export const LINK_KEY_PREFIX = 'suitebridge:console-link:';
export const LINK_PATH_PREFIX = '/join/';
export const DEFAULT_LINK_TTL_HOURS = 72;
export const MAX_LINK_TTL_HOURS = 30 * 24;
const TOKEN_BYTES = 32;

export type LinkStore = Pick<TokenStore, 'get' | 'compareAndSwap' | 'delete' | 'list'>;

export interface OnboardingLinkRecord {
  /** SHA-256 of the token, hex: the link's ID in the store and in sessions. */
  id: string;
  tenant: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export interface IssuedOnboardingLink {
  /** The full link to send to the customer's administrator. Shown once; only its hash is stored. */
  url: string;
  tenant: string;
  accountId: string;
  expiresAt: string;
}

function linkIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function checkTtl(ttlHours: number): void {
  if (!Number.isFinite(ttlHours) || ttlHours <= 0 || ttlHours > MAX_LINK_TTL_HOURS) {
    throw new ConfigurationError('INVALID_ARGUMENT', `An onboarding link must expire within 1 to ${MAX_LINK_TTL_HOURS} hours, not ${String(ttlHours)}.`, {
      field: 'ttlHours',
      remedy: `Leave it unset for ${DEFAULT_LINK_TTL_HOURS} hours, or give a number of hours up to ${MAX_LINK_TTL_HOURS}.`,
    });
  }
}

/** Tokens are base64url of 32 bytes; anything else is not looked up at all. */
export function looksLikeLinkToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export class OnboardingLinks {
  constructor(private readonly store: LinkStore, private readonly clock: Clock) {}

  /** Issues a link for an account's onboarding (the tenant is named after the account), retiring older ones. */
  async issue(input: { accountId: string; consoleUrl: string; ttlHours?: number }): Promise<IssuedOnboardingLink> {
    const accountId = normalizeAccountId(input.accountId);
    const ttlHours = input.ttlHours ?? DEFAULT_LINK_TTL_HOURS;
    checkTtl(ttlHours);
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const now = this.clock.now();
    const record: OnboardingLinkRecord = {
      id: linkIdOf(token),
      tenant: accountId,
      accountId,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + ttlHours * 3_600_000).toISOString(),
    };
    await this.revoke(accountId);
    if (!(await this.store.compareAndSwap(LINK_KEY_PREFIX + record.id, null, JSON.stringify(record)))) {
      throw new ConfigurationError('INVALID_ARGUMENT', 'The onboarding link could not be saved (its ID is already taken).', { remedy: 'Create the link again.' });
    }
    return { url: `${input.consoleUrl.replace(/\/+$/, '')}${LINK_PATH_PREFIX}${token}`, tenant: record.tenant, accountId, expiresAt: record.expiresAt };
  }

  /** The live link for a token from a URL; undefined when unknown, retired or expired (expired ones are deleted). */
  async redeem(token: string): Promise<OnboardingLinkRecord | undefined> {
    if (!looksLikeLinkToken(token)) return undefined;
    return this.find(linkIdOf(token));
  }

  /** The live link with this ID (sessions re-check it on every request, so retiring a link ends its sessions). */
  async find(id: string): Promise<OnboardingLinkRecord | undefined> {
    if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
    const row = await this.store.get(LINK_KEY_PREFIX + id);
    if (!row) return undefined;
    const record = parseRecord(row.value);
    if (!record || record.id !== id) return undefined;
    if (Date.parse(record.expiresAt) <= this.clock.now()) {
      await this.store.delete(LINK_KEY_PREFIX + id);
      return undefined;
    }
    return record;
  }

  /** Live links, for the operator's page (IDs and expiry only; the tokens are not stored). */
  async list(): Promise<OnboardingLinkRecord[]> {
    const records: OnboardingLinkRecord[] = [];
    for (const key of await this.store.list(LINK_KEY_PREFIX)) {
      const record = await this.find(key.slice(LINK_KEY_PREFIX.length));
      if (record) records.push(record);
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Retires every link of an account. */
  async revoke(accountId: string): Promise<number> {
    const normalized = normalizeAccountId(accountId);
    let count = 0;
    for (const key of await this.store.list(LINK_KEY_PREFIX)) {
      const row = await this.store.get(key);
      const record = row ? parseRecord(row.value) : undefined;
      if (!record || record.accountId === normalized) {
        await this.store.delete(key);
        if (record) count += 1;
      }
    }
    return count;
  }
}

function parseRecord(value: string): OnboardingLinkRecord | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<OnboardingLinkRecord>;
    if (typeof parsed.id !== 'string' || typeof parsed.tenant !== 'string' || typeof parsed.accountId !== 'string' || typeof parsed.expiresAt !== 'string') return undefined;
    return parsed as OnboardingLinkRecord;
  } catch {
    return undefined;
  }
}

/**
 * Library entry point: issue an onboarding link for `accountId` in the console's store (the console may be running
 * in another process; it reads links from the same store). `consoleUrl` is the console's public URL.
 */
export function createOnboardingLink(input: {
  store: LinkStore;
  accountId: string;
  consoleUrl: string;
  ttlHours?: number;
  clock?: Clock;
}): Promise<IssuedOnboardingLink> {
  const links = new OnboardingLinks(input.store, input.clock ?? { now: () => Date.now() });
  return links.issue({ accountId: input.accountId, consoleUrl: input.consoleUrl, ...(input.ttlHours !== undefined ? { ttlHours: input.ttlHours } : {}) });
}
