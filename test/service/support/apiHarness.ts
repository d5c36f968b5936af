/**
 * The service's /v1 API over a real socket, on tenants onboarded against the emulator (the service itself is not
 * started: the API needs no job queue). The proxy's fetch records what left for NetSuite and can fake one 401.
 */
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { OnboardingOrchestrator } from '../../../client/src/onboarding/orchestrator';
import { defaultFetch } from '../../../client/src/http/transport';
import { MemoryTokenStore } from '../../../client/src/store';
import { ApiKeyStore } from '../../../service/src/api/apiKeys';
import type { ApiOptions } from '../../../service/src/api';
import { buildServiceHttp } from '../../../service/src/httpServer';
import { SuiteBridgeService } from '../../../service/src/service';
import { startFleet, type Fleet } from './fleet';

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface ApiHarness {
  fleet: Fleet;
  service: SuiteBridgeService;
  store: MemoryTokenStore;
  keys: ApiKeyStore;
  app: FastifyInstance;
  url: string;
  logLines: string[];
  /** Requests the proxy sent to NetSuite hosts (token requests included). */
  sent: SentRequest[];
  /** The next n NetSuite resource requests answer 401 without reaching the emulator. */
  fake401(n?: number): void;
  /** From now on, resource requests with the token last sent for this account answer 401 (as if NetSuite revoked it). */
  rejectLastToken(accountHost: string): void;
  /** The proxy's clock (its tenant cache); tests move it. */
  clock: { ms: number };
  /** Successful client_credentials token requests the emulator saw for an account. */
  tokenRequests(accountId: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startApiHarness(tenants: [string, string][], o: Partial<Omit<ApiOptions, 'service' | 'keys'>> = {}): Promise<ApiHarness> {
  const fleet = await startFleet();
  const store = new MemoryTokenStore();
  const onboarding = fleet.newOrchestrator(store);
  for (const [tenant, accountId] of tenants) await fleet.onboard(onboarding, tenant, accountId);
  const logLines: string[] = [];
  const sent: SentRequest[] = [];
  let fake401 = 0;
  const rejected = new Set<string>();
  const clock = { ms: 0 };
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    sent.push({ method: init?.method ?? 'GET', url, headers });
    if (!url.includes('/oauth2/') && ((fake401 > 0 && fake401--) || rejected.has(headers.authorization ?? ''))) {
      return new Response(JSON.stringify({ 'o:errorDetails': [{ detail: 'Invalid login attempt.', 'o:errorCode': 'INVALID_LOGIN' }] }), { status: 401, headers: { 'content-type': 'application/json' } });
    }
    return defaultFetch(input, init);
  };
  const service = new SuiteBridgeService({
    store,
    redis: 'redis://127.0.0.1:1', accountSemaphore: false,
    now: fleet.now,
    fetch: recordingFetch,
    orchestrator: ({ fetch, now, observer }) => new OnboardingOrchestrator({ store, clock: { now }, fetch, observer, certificateActivation: { attempts: 1, delayMs: 0 } }),
    logger: pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }),
  });
  const keys = new ApiKeyStore(store);
  const onboardingTarget = { baseUrl: fleet.emulator.url, dangerouslyAllowInsecureHttp: true };
  const app = buildServiceHttp(service, { api: { keys, onboarding: onboardingTarget, ...o, proxy: { fetch: recordingFetch, retry: { baseDelayMs: 5, maxDelayMs: 20 }, now: () => clock.ms, ...o.proxy } } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    fleet,
    service,
    store,
    keys,
    app,
    url,
    logLines,
    sent,
    fake401: (n = 1) => {
      fake401 = n;
    },
    clock,
    rejectLastToken(accountHost) {
      const last = [...sent].reverse().find((r) => new URL(r.url).hostname.startsWith(`${accountHost}.`) && !r.url.includes('/oauth2/') && r.headers.authorization);
      if (last) rejected.add(last.headers.authorization!);
    },
    async tokenRequests(accountId) {
      const audit = (await (await defaultFetch(`${fleet.emulator.url}/__emulator/login-audit?account=${accountId}`)).json()) as { action: string; status: string; clientId?: string }[];
      return audit.filter((e) => e.action === 'token:client_credentials' && e.status === 'Success').length;
    },
    async stop() {
      await app.close();
      await fleet.stop();
    },
  };
}
