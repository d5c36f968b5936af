/**
 * The client's metrics hooks (issue 11): token cache hits and misses, retries, concurrency slot waits. The service
 * wires them to Prometheus; here they are plain recorders, so every count is exact.
 */
import { generateKeyPairSync } from 'node:crypto';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { ManualClock } from '../../client/src/clock';
import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';
import type { ClientObserver } from '../../client/src/http/observer';
import { TokenManager } from '../../client/src/tokens/manager';
import { json, mockFetch } from './support/coreFetchMock';

const EC_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const URL_ = 'https://1234567.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1';

function recorder() {
  const events = { tokenCache: [] as { grant: string; outcome: string }[], retry: [] as { url: string; reason: string; attempt: number }[], slotWait: [] as number[] };
  const observer: ClientObserver = {
    tokenCache: (e) => void events.tokenCache.push(e),
    retry: (e) => void events.retry.push({ url: e.url, reason: e.reason, attempt: e.attempt }),
    slotWait: (e) => void events.slotWait.push(e.waitedMs),
  };
  return { events, observer };
}

describe('client metrics hooks', () => {
  it('TokenManager: N calls with a warm token are N-1 cache hits after one miss (one token request)', async () => {
    const { events, observer } = recorder();
    const clock = new ManualClock();
    const mock = mockFetch(() => json(200, { access_token: 'cc-1', expires_in: '3600', token_type: 'Bearer' }));
    const client = new ClientCredentialsClient({ accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'cert-1', privateKey: EC_KEY, scopes: ['restlets'], fetch: mock.fetch, clock });
    const manager = new TokenManager({ clock, random: () => 0, observer });
    const key = { tenant: 'acme', grant: 'client_credentials' as const, scopes: ['restlets'] };
    for (let i = 0; i < 5; i++) await manager.getAccessToken(key, { kind: 'client_credentials', client });
    expect(mock.calls).toHaveLength(1);
    expect(events.tokenCache.filter((e) => e.outcome === 'hit')).toHaveLength(4);
    expect(events.tokenCache.filter((e) => e.outcome === 'miss')).toHaveLength(1);
    expect(new Set(events.tokenCache.map((e) => e.grant))).toEqual(new Set(['client_credentials']));
  });

  it('NetSuiteHttp: a 503 then a 200 is one retry event with its reason', async () => {
    const { events, observer } = recorder();
    const answers = [new Response('busy', { status: 503 }), new Response('{}', { status: 200 })];
    const http = new NetSuiteHttp({ accountId: '1234567', fetch: (async () => answers.shift()!) as typeof fetch, observer, retry: { sleep: async () => undefined, random: () => 0 } });
    const result = await http.request({ method: 'GET', url: URL_ });
    expect(result).toMatchObject({ status: 200, attempts: 2 });
    expect(events.retry).toEqual([{ url: URL_, reason: 'service_unavailable', attempt: 1 }]);
  });

  it('NetSuiteHttp: limit 1 and two concurrent calls are two slot waits, 0 and exactly the time the first held the slot', async () => {
    const { events, observer } = recorder();
    const waitClock = new ManualClock(1_000);
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let calls = 0;
    const fetchImpl = (async () => {
      if (++calls === 1) await firstHolds;
      return new Response('{}', { status: 200 });
    }) as typeof fetch;
    const http = new NetSuiteHttp({ accountId: '1234567', fetch: fetchImpl, concurrency: 1, observer, waitClock });
    const first = http.request({ method: 'GET', url: URL_ });
    const second = http.request({ method: 'GET', url: URL_ });
    await new Promise((r) => setImmediate(r));
    expect(events.slotWait).toEqual([0]);
    waitClock.advance(250);
    releaseFirst();
    await Promise.all([first, second]);
    expect(events.slotWait).toEqual([0, 250]);
  });

  it('a throwing observer never fails the call it observes', async () => {
    const observer: ClientObserver = { retry: () => { throw new Error('metrics down'); }, slotWait: () => { throw new Error('metrics down'); } };
    const answers = [new Response('busy', { status: 503 }), new Response('{}', { status: 200 })];
    const http = new NetSuiteHttp({ accountId: '1234567', fetch: (async () => answers.shift()!) as typeof fetch, observer, retry: { sleep: async () => undefined } });
    expect((await http.request({ method: 'GET', url: URL_ })).status).toBe(200);
  });
});
