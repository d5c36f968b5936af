/**
 * End to end against the emulator: client credentials with a generated certificate, RESTlet calls through
 * the TokenManager, SuiteQL paging over the seeded customers, record reads, certificate rotation and the CLI.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEndpoints, type NetSuiteEndpoints } from '../../client/src/account';
import { CertificateApi } from '../../client/src/certificates/api';
import { generateCertificate } from '../../client/src/certificates/generate';
import { rotateCertificate } from '../../client/src/certificates/rotate';
import { verifyWithClientCredentials } from '../../client/src/certificates/verify';
import { ClientCredentialsClient } from '../../client/src/clientCredentials';
import { NetSuiteHttp } from '../../client/src/http/netsuiteHttp';
import { GovernanceClient } from '../../client/src/resources/governance';
import { RecordClient } from '../../client/src/resources/records';
import { RestletClient } from '../../client/src/resources/restlet';
import { SuiteQLClient } from '../../client/src/resources/suiteql';
import { staticTokenProvider } from '../../client/src/resources/accessTokenProviders';
import { TokenManager } from '../../client/src/tokens/manager';
import type { TokenKey } from '../../client/src/tokens/types';
import { adminAccessToken, hostFetch, startHarness, type Harness } from '../emulator/support/emulator';
import { runCli } from './_cliCapture';

const ACCOUNT = '1234567';
const ADMIN_ROLE = 3;
const ADMIN_ENTITY = 7;
const SCOPES = ['restlets', 'rest_webservices'];

describe('client resources against the emulator', () => {
  let h: Harness;
  let endpoints: NetSuiteEndpoints;
  let clientId: string;
  let adminToken: string;
  let certificateId: string;
  let privateKeyPem: string;
  const transport = () => ({ baseUrl: h.url, dangerouslyAllowInsecureHttp: true, clock: h.clock });

  beforeAll(async () => {
    h = await startHarness();
    endpoints = resolveEndpoints(ACCOUNT, transport());
    clientId = h.confidentialClient.clientId;
    const install = await fetch(new URL('/__emulator/bundles', h.url), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId: ACCOUNT }),
    });
    if (install.status !== 200) throw new Error(`bundle install failed: ${install.status} ${await install.text()}`);
    adminToken = await adminAccessToken(h);
    const certs = new CertificateApi({ endpoints, clientId, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth: staticTokenProvider(adminToken) });
    const generated = await generateCertificate({ keyType: 'EC-P256', clock: h.clock });
    certificateId = (await certs.upload({ certificatePem: generated.certificatePem, role: ADMIN_ROLE, entity: ADMIN_ENTITY })).certificateId;
    privateKeyPem = generated.privateKeyPem;
  }, 30_000);
  afterAll(async () => h?.emu.stop());

  function m2m(o: { certificateId?: string; privateKeyPem?: string; fetch?: typeof fetch } = {}) {
    return new ClientCredentialsClient({
      ...transport(), accountId: ACCOUNT, clientId, scopes: SCOPES,
      certificateId: o.certificateId ?? certificateId, privateKey: o.privateKeyPem ?? privateKeyPem,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
  }

  it('mints a client-credentials token with a generated certificate and calls a RESTlet', async () => {
    const manager = new TokenManager({ clock: h.clock });
    const key: TokenKey = { tenant: ACCOUNT, grant: 'client_credentials', scopes: SCOPES };
    const auth = manager.provider(key, { kind: 'client_credentials', client: m2m() });
    const restlet = new RestletClient({ endpoints, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth });
    const health = await restlet.get<Record<string, unknown>>('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    expect(health).toMatchObject({ accountId: ACCOUNT, roleId: ADMIN_ROLE, userId: ADMIN_ENTITY });
  });

  function restletWith(o: { auth?: ReturnType<TokenManager['provider']>; http?: NetSuiteHttp } = {}) {
    const manager = new TokenManager({ clock: h.clock });
    const auth = o.auth ?? manager.provider({ tenant: ACCOUNT, grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client: m2m() });
    return new RestletClient({ endpoints, http: o.http ?? new NetSuiteHttp({ accountId: ACCOUNT }), auth });
  }

  async function setFaults(faults: Record<string, number>): Promise<void> {
    const res = await fetch(new URL('/__emulator/faults', h.url), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    if (res.status !== 200) throw new Error(`faults: ${res.status} ${await res.text()}`);
  }

  it('pages SuiteQL over the 2,500 seeded customers with Prefer: transient', async () => {
    const suiteql = new SuiteQLClient({ endpoints, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth: staticTokenProvider(adminToken) });
    const sizes: number[] = [];
    const ids: number[] = [];
    for await (const page of suiteql.query<{ id: number | string }>('SELECT id FROM customer ORDER BY id')) {
      sizes.push(page.length);
      ids.push(...page.map((r) => Number(r.id)));
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(new Set(ids).size).toBe(2500);
    expect(await suiteql.all('SELECT id FROM customer ORDER BY id', { pageSize: 700 })).toHaveLength(2500);
  });

  it('stops a SuiteQL read at the 100,000-row cap with SUITEQL_LIMIT_EXCEEDED', async () => {
    const suiteql = new SuiteQLClient({ endpoints, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth: staticTokenProvider(adminToken) });
    // 2,500 × 41 = 102,500 rows; the emulator, like NetSuite, stops at 100,000.
    const sql = 'SELECT a.id AS a, b.id AS b FROM customer a CROSS JOIN customer b WHERE b.id <= 1041 ORDER BY a.id, b.id';
    await expect(suiteql.all(sql)).rejects.toMatchObject({ code: 'SUITEQL_LIMIT_EXCEEDED', message: expect.stringContaining('100,000') });
    let rows = 0;
    const err = await (async () => {
      for await (const page of suiteql.query(sql)) rows += page.length;
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SUITEQL_LIMIT_EXCEEDED' });
    expect(rows).toBe(100_000);
  }, 60_000);

  it('maps a SuiteQL syntax error to NetSuiteApiError', async () => {
    const suiteql = new SuiteQLClient({ endpoints, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth: staticTokenProvider(adminToken) });
    await expect(suiteql.all('SELECT nope FROM nowhere')).rejects.toMatchObject({ code: 'NETSUITE_ERROR', kind: 'rest', status: 400 });
  });

  it('reads a record over REST web services', async () => {
    const auth = staticTokenProvider(adminToken);
    const http = new NetSuiteHttp({ accountId: ACCOUNT });
    let first: { id: string | number } | undefined;
    for await (const page of new SuiteQLClient({ endpoints, http, auth }).query<{ id: string | number }>('SELECT id FROM customer ORDER BY id', { pageSize: 1 })) {
      first = page[0];
      break;
    }
    const records = new RecordClient({ endpoints, http, auth });
    const customer = await records.get<Record<string, unknown>>('customer', String(first!.id));
    expect(String(customer.id)).toBe(String(first!.id));
    await expect(records.get('customer', 999_999)).rejects.toMatchObject({ status: 404, kind: 'rest' });
  });

  it('reads the account concurrency limit from governanceLimits to size the limiter', async () => {
    const gov = new GovernanceClient({ endpoints, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth: staticTokenProvider(adminToken) });
    const limits = await gov.limits();
    expect(limits.accountConcurrencyLimit).toBe(h.seed.accounts.find((a) => a.accountId === ACCOUNT)!.concurrencyLimit);
    expect(new NetSuiteHttp({ accountId: ACCOUNT, concurrency: limits.unallocatedConcurrencyLimit ?? limits.accountConcurrencyLimit }).limiter.max).toBe(5);
  });

  it('recovers from an expired token with one 401 retry through the TokenManager', async () => {
    let tokenRequests = 0;
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input).endsWith('/token')) tokenRequests++;
      return hostFetch(input, init);
    };
    const frozen = { now: () => h.clock.now() };
    const frozenAt = h.clock.now();
    frozen.now = () => frozenAt;
    const manager = new TokenManager({ clock: frozen });
    const auth = manager.provider({ tenant: ACCOUNT, grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client: m2m({ fetch: countingFetch }) });
    const restlet = restletWith({ auth });
    await restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    h.clock.advance(2 * 3600); // the emulator now sees the cached token as expired; the frozen manager does not
    const health = await restlet.get<{ accountId: string }>('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    expect(health.accountId).toBe(ACCOUNT);
    expect(tokenRequests).toBe(2);
  });

  it('keeps 40 concurrent RESTlet calls within the account limit of 5 (no SSS_REQUEST_LIMIT_EXCEEDED)', async () => {
    const http = new NetSuiteHttp({ accountId: ACCOUNT });
    const retries: string[] = [];
    http.onRetry = (e) => retries.push(e.reason);
    const restlet = restletWith({ http });
    const results = await Promise.all(Array.from({ length: 40 }, () => restlet.get<{ accountId: string }>('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health')));
    expect(results.every((r) => r.accountId === ACCOUNT)).toBe(true);
    expect(retries).toEqual([]);
  });

  it('retries injected RESTlet concurrency rejections and dropped connections', async () => {
    const waits: number[] = [];
    const http = new NetSuiteHttp({ accountId: ACCOUNT, retry: { sleep: async (ms) => void waits.push(ms) } });
    const reasons: string[] = [];
    http.onRetry = (e) => reasons.push(e.reason);
    const restlet = restletWith({ http });
    await restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health'); // token first, so faults hit the RESTlet
    await setFaults({ concurrencyRejects: 2 });
    await restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    await setFaults({ dropConnections: 1 });
    await restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health');
    expect(reasons).toEqual(['concurrency_limit', 'concurrency_limit', 'connection_reset']);
    expect(waits).toHaveLength(3);
  });

  it('rotates the certificate: new kid proven, old revoked, old kid refused afterwards', async () => {
    const old = { certificateId, privateKeyPem };
    const manager = new TokenManager({ clock: h.clock });
    const auth = manager.provider({ tenant: ACCOUNT, grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client: m2m() });
    const api = new CertificateApi({ endpoints, clientId, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth });
    const activated: string[] = [];
    const result = await rotateCertificate({
      api, role: ADMIN_ROLE, entity: ADMIN_ENTITY, current: { certificateId: old.certificateId }, keyType: 'EC-P256', clock: h.clock,
      verify: verifyWithClientCredentials({ ...transport(), accountId: ACCOUNT, clientId, scopes: SCOPES }),
      activate: async (next) => void activated.push(next.certificateId),
    });
    expect(result.revokedCertificateId).toBe(old.certificateId);
    expect(activated).toEqual([result.certificateId]);
    const listed = await api.list();
    expect(listed.find((c) => c.certificateId === old.certificateId)?.revoked).toBe(true);
    expect(listed.find((c) => c.certificateId === result.certificateId)?.revoked).toBe(false);
    await expect(m2m(old).requestToken()).rejects.toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
    await expect(m2m(result).requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    certificateId = result.certificateId;
    privateKeyPem = result.privateKeyPem;
  });

  it('rolls a failed rotation back: the new certificate is revoked, the current one keeps working', async () => {
    const manager = new TokenManager({ clock: h.clock });
    const auth = manager.provider({ tenant: ACCOUNT, grant: 'client_credentials', scopes: SCOPES }, { kind: 'client_credentials', client: m2m() });
    const api = new CertificateApi({ endpoints, clientId, http: new NetSuiteHttp({ accountId: ACCOUNT }), auth });
    const before = (await api.list()).filter((c) => !c.revoked).map((c) => c.certificateId);
    const err = await rotateCertificate({
      api, role: ADMIN_ROLE, entity: ADMIN_ENTITY, current: { certificateId }, keyType: 'EC-P256', clock: h.clock,
      // suite_analytics is not enabled on the seeded integration record: the token request must fail.
      verify: verifyWithClientCredentials({ ...transport(), accountId: ACCOUNT, clientId, scopes: ['suite_analytics'] }),
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ROTATION_FAILED' });
    const after = (await api.list()).filter((c) => !c.revoked).map((c) => c.certificateId);
    expect(after).toEqual(before);
    await expect(m2m().requestToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
  });

  it('suitebridge token --base-url mints and decodes a token from the emulator', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbr-e2e-'));
    try {
      const keyFile = join(dir, 'key.pem');
      writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
      // The CLI signs with the system clock, and the emulator refuses an assertion from its future: bring it to now.
      h.clock.ms = Math.max(h.clock.ms, Date.now());
      const { code, stdout, stderr } = await runCli([
        '--json', 'token', '--client-credentials', '--account', ACCOUNT, '--client-id', clientId, `--certificate-id=${certificateId}`,
        '--private-key', keyFile, '--scope', 'restlets,rest_webservices', '--base-url', h.url, '--dangerously-allow-insecure-http', '--decode',
      ]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      const out = JSON.parse(stdout) as { payload: { scope: string[]; sub: string } };
      expect(out.payload.scope).toEqual(SCOPES);
      expect(out.payload.sub).toContain(`${ADMIN_ROLE};${ADMIN_ENTITY}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
