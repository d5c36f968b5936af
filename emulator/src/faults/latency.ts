import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultState } from './faultState';

/** Paths whose latency is applied while the request holds a concurrency slot, as a slow NetSuite call would. */
const RESOURCE_PREFIXES = ['/services/rest/query/', '/services/rest/record/', '/services/rest/system/',
  '/app/site/hosting/restlet.nl', '/services/rest/auth/oauth2/v1/clients/'];

export function isResourcePath(url: string): boolean {
  return RESOURCE_PREFIXES.some((p) => url.startsWith(p));
}

/** Added before the request is handled (REST requests: while they hold their slot). */
export async function applyLatency(faults: FaultState): Promise<void> {
  if (faults.latencyMs > 0) await sleep(faults.latencyMs);
}

/**
 * RESTlet requests: the request holds its concurrency slot for latencyMs in all, the script's run included, as a
 * RESTlet whose server time is latencyMs would (a script slower than that is not slowed further). Otherwise the
 * emulator's own processing time would be added to every call and a client's wall time would measure the emulator.
 */
export async function holdSlot<T>(faults: Pick<FaultState, 'latencyMs'>, handle: () => Promise<T>, wait: (ms: number) => Promise<unknown> = sleep): Promise<T> {
  const latencyMs = faults.latencyMs;
  if (latencyMs <= 0) return handle();
  const started = performance.now();
  const result = await handle();
  const left = latencyMs - (performance.now() - started);
  if (left >= 1) await wait(left);
  return result;
}
