import { TOKEN_PATH, adminAccessToken, startHarness, tokenRequest, type Harness, hostFetch } from './support/emulator';

let h: Harness;
beforeAll(async () => { h = await startHarness({ faults: { tokenEndpoint503: 1 } }); });
afterAll(async () => { await h.emu.stop(); });

const putFaults = (body: unknown) => fetch(new URL('/__emulator/faults', h.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('fault: HTML 503 from the token endpoint for the next N requests', () => {
  test('from the config: the first token request gets an HTML 503, the next one is served', async () => {
    const res = await tokenRequest(h, { grant_type: 'client_credentials' });
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(String(res.body.raw)).toMatch(/Service Unavailable/);
    expect((await tokenRequest(h, { grant_type: 'client_credentials' })).status).toBe(400);
  });
  test('from the admin API: N = 2 fires twice, and GET /__emulator/faults counts down', async () => {
    expect((await (await putFaults({ tokenEndpoint503: 2 })).json()).tokenEndpoint503).toBe(2);
    expect((await tokenRequest(h, {})).status).toBe(503);
    expect((await (await fetch(new URL('/__emulator/faults', h.url))).json()).tokenEndpoint503).toBe(1);
    expect((await tokenRequest(h, {})).status).toBe(503);
    expect((await tokenRequest(h, {})).status).toBe(400);
  });
  test('other endpoints are not affected', async () => {
    await putFaults({ tokenEndpoint503: 1 });
    expect((await hostFetch(new URL('/services/rest/auth/oauth2/v1/keys', h.hosts.suitetalk))).status).toBe(200);
    await putFaults({ tokenEndpoint503: 0 });
  });
});

describe('fault: dropped connections for the next N requests', () => {
  test('the connection is destroyed without a response, then service resumes', async () => {
    await putFaults({ dropConnections: 1 });
    await expect(hostFetch(new URL(TOKEN_PATH, h.hosts.suitetalk), { method: 'POST' })).rejects.toThrow();
    expect((await hostFetch(new URL('/services/rest/auth/oauth2/v1/keys', h.hosts.suitetalk))).status).toBe(200);
  });
  test('admin API calls are never dropped', async () => {
    await putFaults({ dropConnections: 1 });
    expect((await fetch(new URL('/__emulator/faults', h.url))).status).toBe(200);
    await putFaults({ dropConnections: 0 });
  });
});

describe('fault: clock offset', () => {
  test('advancing the clock past 3600 s expires an access token', async () => {
    const token = await adminAccessToken(h);
    const call = () => hostFetch(new URL('/services/rest/record/v1/employee/7', h.hosts.suitetalk), { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    const moved = await fetch(new URL('/__emulator/clock', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 3600 }) });
    expect((await moved.json()).offsetSeconds).toBe(3600);
    expect((await call()).status).toBe(401);
    await fetch(new URL('/__emulator/clock', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ offsetSeconds: 0 }) });
    expect((await call()).status).toBe(200);
  });
  test('clockOffsetSeconds from the config shifts the emulator clock', async () => {
    const h2 = await startHarness({ clockOffsetSeconds: 7200 });
    try {
      const res = await fetch(new URL('/__emulator/clock', h2.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 0 }) });
      const body = await res.json();
      expect(body.offsetSeconds).toBe(7200);
      expect(Date.parse(body.now)).toBe(h2.clock.now() + 7200_000);
    } finally {
      await h2.emu.stop();
    }
  });
  test('the Date header of every answer is the emulator clock (clients measure NetSuite time from it)', async () => {
    const h2 = await startHarness({ clockOffsetSeconds: 86_400 });
    try {
      const res = await hostFetch(new URL('/services/rest/auth/oauth2/v1/keys', h2.hosts.suitetalk));
      const emulatorNow = h2.clock.now() + 86_400_000;
      expect(Math.abs(Date.parse(res.headers.get('date')!) - emulatorNow)).toBeLessThan(60_000);
      const refused = await tokenRequest(h2, {});
      expect(Math.abs(Date.parse(refused.headers.get('date')!) - emulatorNow)).toBeLessThan(60_000);
    } finally {
      await h2.emu.stop();
    }
  });
  test('a bad clock request → 400 naming the fields', async () => {
    const res = await fetch(new URL('/__emulator/clock', h.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"advanceSeconds":"soon"}' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/advanceSeconds/);
  });
});

describe('faults admin API validation', () => {
  test('unknown or bad fields → 400 naming the exact path', async () => {
    const res = await putFaults({ latencyMs: -1, dropConnection: 1 });
    expect(res.status).toBe(400);
    const message = (await res.json()).error.message as string;
    expect(message).toContain('faults.latencyMs must be an integer from 0 to 120000');
    expect(message).toContain('faults.dropConnection is not a known setting');
  });
});
