import type { HostRouting } from './config/types';

/**
 * NetSuite serves each account on three hosts (reference §1.1, §1.2): `<acct>.app.netsuite.com`,
 * `<acct>.suitetalk.api.netsuite.com` and `<acct>.restlets.api.netsuite.com`. The emulator mirrors them as
 * `<acct>.app.localhost`, `<acct>.suitetalk.localhost` and `<acct>.restlets.localhost` on its one port (RFC 6761
 * reserves `.localhost` for loopback) and tells them apart by the Host header.
 */
export type HostKind = 'app' | 'suitetalk' | 'restlets';

export type AccountOrigins = Record<HostKind, string>;

/** The admin API, which answers only on the bare origin. */
export const ADMIN_PREFIX = '/__emulator';

export const RESTLET_PATH = '/app/site/hosting/restlet.nl';
const CERTIFICATE_API_PREFIX = '/services/rest/auth/oauth2/v1/clients/';

/** Account IDs become host IDs by lower-casing and `_` → `-` (§1.1): `1234567_SB1` → `1234567-sb1`. */
export function accountHostId(accountId: string): string {
  return accountId.toLowerCase().replace(/_/g, '-');
}

/** The host a NetSuite path belongs to (endpoint table, §1.2); `admin` for the emulator's own API. */
export function hostKindOfPath(path: string): HostKind | 'admin' {
  if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) return 'admin';
  // The certificate API lives on the restlets host although its path looks like the other OAuth endpoints (§1.2).
  if (path === RESTLET_PATH || path.startsWith(CERTIFICATE_API_PREFIX)) return 'restlets';
  if (path.startsWith('/services/') || path.startsWith('/.well-known/')) return 'suitetalk';
  return 'app';
}

export type ParsedHost =
  | { kind: HostKind; hostId: string }
  /** An IP address or plain `localhost`: the emulator's own origin. */
  | { kind: 'bare' }
  /** Some other `*.localhost` name (e.g. `1234567.localhost`, `x.crm.localhost`). */
  | { kind: 'unknown'; name: string };

const VIRTUAL_HOST = /^([a-z0-9-]+)\.(app|suitetalk|restlets)\.localhost\.?$/;

/** Reads a Host header value (`name[:port]`, `[v6]:port`). */
export function parseHost(header: string | undefined): ParsedHost {
  const raw = (header ?? '').trim().toLowerCase();
  const name = raw.startsWith('[') ? raw.slice(0, raw.indexOf(']') + 1) : raw.split(':')[0] ?? '';
  const match = VIRTUAL_HOST.exec(name);
  if (match?.[1] && match[2]) return { kind: match[2] as HostKind, hostId: match[1] };
  if (name === 'localhost' || name.endsWith('.localhost') || name.endsWith('.localhost.')) {
    return name === 'localhost' ? { kind: 'bare' } : { kind: 'unknown', name };
  }
  return { kind: 'bare' };
}

/** `http://<hostId>.<kind>.localhost:<port>` for each of an account's hosts; the bare base in single-origin mode. */
export function accountOrigins(baseUrl: string, accountId: string, routing: HostRouting): AccountOrigins {
  if (routing === 'single-origin') return { app: baseUrl, suitetalk: baseUrl, restlets: baseUrl };
  const base = new URL(baseUrl);
  const origin = (kind: HostKind) => `${base.protocol}//${accountHostId(accountId)}.${kind}.localhost${base.port ? `:${base.port}` : ''}`;
  return { app: origin('app'), suitetalk: origin('suitetalk'), restlets: origin('restlets') };
}

/** The account a request's Host names, when it is an emulated account's virtual host. */
export function accountOfHost(header: string | undefined, accountIds: string[]): string | undefined {
  const parsed = parseHost(header);
  if (parsed.kind === 'bare' || parsed.kind === 'unknown') return undefined;
  return accountIds.find((a) => accountHostId(a) === parsed.hostId);
}
