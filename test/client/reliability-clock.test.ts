import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import { CertificateApi } from '../../client/src/certificates/api';
import { generateCertificate } from '../../client/src/certificates/generate';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';
import { resolveEndpoints } from '../../client/src/account';
import { staticTokenProvider } from '../../client/src/resources/accessTokenProviders';
import { ClockOffset } from '../../client/src/tokens/clockOffset';
import { adminAccessToken, startHarness, type Harness } from '../emulator/support/emulator';
import { TokenFaultServer } from './support/reliabilityFaultServer';

const MINUTE = 60_000;
const fixed = (ms: number) => ({ now: () => ms });

describe('ClockOffset (issue 9 §4)', () => {
  const observe = (offset: ClockOffset, serverMs: number, localMs: number) =>
    offset.observe({ date: new Date(serverMs).toUTCString(), sentAt: localMs - 100, receivedAt: localMs + 100 });

  it('measures the offset from a Date header, to the second', () => {
    const local = 1_800_000_000_000;
    const offset = new ClockOffset(fixed(local));
    observe(offset, local + 5 * MINUTE, local);
    expect(Math.abs(offset.offsetMs - 5 * MINUTE)).toBeLessThanOrEqual(1000);
    expect(Math.abs(offset.now() - (local + 5 * MINUTE))).toBeLessThanOrEqual(1000);
  });

  it('never stamps assertions in NetSuite\'s future: the truncated Date is a lower bound', () => {
    for (const trueOffset of [-700_000, -1500, 0, 400, 999, 1500, 300_000]) {
      const local = 1_800_000_000_123;
      const offset = new ClockOffset(fixed(local));
      // The server wrote Date (truncated to the second) 100 ms before the answer arrived.
      const serverAtWrite = local - 100 + trueOffset;
      offset.observe({ date: new Date(Math.floor(serverAtWrite / 1000) * 1000).toUTCString(), sentAt: local - 200, receivedAt: local });
      expect(offset.now()).toBeLessThanOrEqual(local + trueOffset);
      expect(offset.now()).toBeGreaterThan(local + trueOffset - 1200);
    }
  });

  it('caps a measured offset at maxClockOffsetSeconds (default one hour) and ignores a bad header', () => {
    const local = 1_800_000_000_000;
    const offset = new ClockOffset(fixed(local));
    observe(offset, local - 5 * 3_600_000, local);
    expect(offset.offsetMs).toBe(-3_600_000);
    offset.observe({ date: 'not a date', sentAt: local, receivedAt: local });
    expect(offset.offsetMs).toBe(-3_600_000);
    const tight = new ClockOffset(fixed(local), { maxClockOffsetSeconds: 60 });
    observe(tight, local + 10 * MINUTE, local);
    expect(tight.offsetMs).toBe(60_000);
  });

  it('uses clockSkewSeconds until a Date header was seen, or always with measureClockOffset: false', () => {
    const local = 1_800_000_000_000;
    const measured = new ClockOffset(fixed(local), { clockSkewSeconds: 300 });
    expect(measured.offsetMs).toBe(300_000);
    observe(measured, local + 120_000, local);
    expect(Math.abs(measured.offsetMs - 120_000)).toBeLessThanOrEqual(1000);
    const fixedSkew = new ClockOffset(fixed(local), { clockSkewSeconds: -30, measureClockOffset: false });
    observe(fixedSkew, local + 120_000, local);
    expect(fixedSkew.offsetMs).toBe(-30_000);
    expect(() => new ClockOffset(fixed(local), { clockSkewSeconds: Number.NaN })).toThrow(/clockSkewSeconds/);
  });
});

describe('assertion times follow NetSuite\'s clock (issue 9 §4)', () => {
  it('the assertion after a token response is stamped with the corrected time', async () => {
    const server = await new TokenFaultServer().start();
    try {
      const behind = { now: () => Date.now() - 5 * MINUTE };
      const client = new ClientCredentialsClient({
        accountId: '1234567', clientId: 'c'.repeat(64), certificateId: 'kid', scopes: ['restlets'], clock: behind,
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        tokenUrl: server.url, dangerouslyAllowInsecureHttp: true,
      });
      await client.requestToken();
      await client.requestToken();
      const [first, second] = server.seen.map((s) => decodeJwt(s.form.client_assertion!).iat!);
      expect(Math.abs(first! * 1000 - (Date.now() - 5 * MINUTE))).toBeLessThan(MINUTE);
      expect(Math.abs(second! * 1000 - Date.now())).toBeLessThan(MINUTE);
      expect(Math.abs(client.clockOffsetMs - 5 * MINUTE)).toBeLessThan(MINUTE);
    } finally {
      await server.close();
    }
  });
});

describe('skewed client clocks against the emulator (strict assertion clock tolerance)', () => {
  let h: Harness;
  let certificateId: string;
  let privateKeyPem: string;

  beforeAll(async () => {
    h = await startHarness();
    // The emulator's Date header is the host's real time: its clock must follow it.
    h.clock.now = () => Date.now();
    const transport = { baseUrl: h.url, dangerouslyAllowInsecureHttp: true };
    const certs = new CertificateApi({
      endpoints: resolveEndpoints('1234567', transport), clientId: h.confidentialClient.clientId,
      http: new NetSuiteHttp({ accountId: '1234567', ...transport }), auth: staticTokenProvider(await adminAccessToken(h)),
    });
    const generated = await generateCertificate({ keyType: 'EC-P256', clock: h.clock });
    certificateId = (await certs.upload({ certificatePem: generated.certificatePem, role: 3, entity: 7 })).certificateId;
    privateKeyPem = generated.privateKeyPem;
  }, 30_000);
  afterAll(async () => h?.emu.stop());

  function client(skewMs: number, extra: { clockSkewSeconds?: number; measureClockOffset?: boolean } = {}) {
    return new ClientCredentialsClient({
      baseUrl: h.url, dangerouslyAllowInsecureHttp: true, accountId: '1234567', clientId: h.confidentialClient.clientId,
      certificateId, privateKey: privateKeyPem, scopes: ['restlets'], clock: { now: () => Date.now() + skewMs }, ...extra,
      includeSubject: false, // the emulator now refuses a sub claim (UnexpectedSubClaim); not what this test is about
    });
  }

  it.each([
    ['5 minutes behind', -5 * MINUTE],
    ['10 minutes behind', -10 * MINUTE],
    ['10 minutes ahead', 10 * MINUTE],
  ])('a client clock %s gets its token, and the next assertions carry corrected times', async (_label, skewMs) => {
    const c = client(skewMs);
    await expect(c.requestToken()).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect(Math.abs(c.clockOffsetMs + skewMs)).toBeLessThan(MINUTE);
    const iat = decodeJwt(await c.createAssertion()).iat!;
    expect(Math.abs(iat * 1000 - Date.now())).toBeLessThan(MINUTE);
    await expect(c.requestToken()).resolves.toBeDefined();
  });

  it('without measurement a 5-minute-behind clock fails, and clockSkewSeconds fixes it', async () => {
    await expect(client(-5 * MINUTE, { measureClockOffset: false }).requestToken()).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client(-5 * MINUTE, { measureClockOffset: false, clockSkewSeconds: 300 }).requestToken()).resolves.toBeDefined();
  });
});
