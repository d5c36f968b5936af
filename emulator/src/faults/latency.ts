import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultState } from './faultState';

/** Paths whose latency is applied while the request holds a concurrency slot, as a slow NetSuite call would. */
const RESOURCE_PREFIXES = ['/services/rest/query/', '/services/rest/record/', '/services/rest/system/',
  '/app/site/hosting/restlet.nl', '/services/rest/auth/oauth2/v1/clients/'];

export function isResourcePath(url: string): boolean {
  return RESOURCE_PREFIXES.some((p) => url.startsWith(p));
}

export async function applyLatency(faults: FaultState): Promise<void> {
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
}
