/**
 * The console on the real onboarding orchestrator with a fake NetSuite (test/client/onboardingFakes.ts):
 * the full flow through the pages, resume and restart rules, the integration user choice, and a scan of
 * every page for the tokens, verifier and private key the orchestrator holds.
 */
import { ManualClock } from '../../client/src/clock';
import { OrchestratorBackend } from '../../client/src/console/orchestratorBackend';
import { OnboardingOrchestrator, type TenantRecord } from '../../client/src/onboarding';
import { MemoryTokenStore } from '../../client/src/store/memory';
import { ConsoleHarness, nextUrl, type HarnessResponse } from './consoleHarness';
import { FakeNetSuite, readRecord } from './onboardingFakes';

const AUTH_CLIENT = 'a'.repeat(64);
const CC_CLIENT = 'c'.repeat(64);
const ACCOUNT = '1234567';

function setup() {
  const clock = new ManualClock();
  const store = new MemoryTokenStore();
  const fake = new FakeNetSuite(clock);
  const orchestrator = new OnboardingOrchestrator({ store, clock, services: (s) => fake.services(s), onCheckpoint: () => undefined });
  return { clock, store, fake, orchestrator };
}

async function console_(env: ReturnType<typeof setup>): Promise<{ h: ConsoleHarness; backend: OrchestratorBackend }> {
  const h = await new ConsoleHarness(undefined).start();
  const backend = new OrchestratorBackend(env.orchestrator, { authClient: { clientId: AUTH_CLIENT }, ccClient: { clientId: CC_CLIENT }, redirectUri: `${h.origin}/callback` }, env.clock);
  h.setBackend(backend);
  return { h, backend };
}

/** The same browser leaves the customer's link session and signs in as the operator. */
async function asOperator(h: ConsoleHarness): Promise<void> {
  h.jar.clear();
  expect((await h.signIn()).statusCode).toBe(303);
}

async function connectAndConsent(h: ConsoleHarness, fake: FakeNetSuite): Promise<HarnessResponse> {
  if (!h.sessionCookie() || (await h.get('/')).body.includes('Operator sign-in')) await h.openLink(ACCOUNT);
  const csrf = await h.csrf('/');
  const start = await h.post('/connect', { _csrf: csrf, account: ACCOUNT });
  expect(start.statusCode).toBe(303);
  const authorizeUrl = String(start.headers.location);
  const callback = new URL(fake.consent(authorizeUrl, `${h.origin}/callback`));
  return h.get(`${callback.pathname}${callback.search}`);
}

async function waitForFinish(h: ConsoleHarness): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const status = JSON.parse((await h.get('/onboarding/status.json')).body) as { next?: string; error: boolean };
    if (status.next === '/onboarding/finish') return;
    if (status.error) throw new Error('onboarding failed');
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('onboarding did not finish');
}

function secretsOf(record: TenantRecord): string[] {
  const found: string[] = [];
  const auth = record.authorization;
  for (const value of [auth.tokens?.accessToken, auth.tokens?.refreshToken, auth.pending?.codeVerifier, record.certificate?.privateKeyPem]) {
    if (value) found.push(value);
  }
  return found;
}

describe('console on the onboarding orchestrator', () => {
  let env: ReturnType<typeof setup>;
  let h: ConsoleHarness;
  let backend: OrchestratorBackend;

  beforeEach(async () => {
    env = setup();
    ({ h, backend } = await console_(env));
  });
  afterEach(async () => {
    await h.close();
    await backend.close();
  });

  it('runs the four steps through the pages and never shows a secret', async () => {
    const callback = await connectAndConsent(h, env.fake);
    expect(nextUrl(callback)).toBe('/onboarding/install');
    const secrets = secretsOf(await readRecord(env.store, ACCOUNT));
    expect(secrets.length).toBeGreaterThanOrEqual(2);

    const install = await h.get('/onboarding/install');
    expect(install.body).toContain('class="check check-failed"');
    expect(install.body).toMatch(/What to do:/);

    env.fake.bundleInstalled = true;
    const csrf = await h.csrf('/onboarding/install');
    const check = await h.post('/onboarding/check', { _csrf: csrf });
    expect(check.headers.location).toBe('/onboarding/progress');
    await h.get('/onboarding/progress');
    await waitForFinish(h);

    const finish = await h.get('/onboarding/finish');
    expect(finish.statusCode).toBe(200);
    expect(finish.body).toContain('customrole_sbr_integration (internal ID 1001)');
    expect(finish.body).toContain('<dt>Temporary access</dt><dd>Revoked</dd>');
    const record = await readRecord(env.store, ACCOUNT);
    secrets.push(...secretsOf(record));
    const certificateId = record.certificate?.certificateId ?? '';
    expect(finish.body).toContain(certificateId);

    await asOperator(h);
    const tenantCsrf = await h.csrf(`/tenants/${ACCOUNT}`);
    await h.post(`/tenants/${ACCOUNT}/test`, { _csrf: tenantCsrf });
    const tested = await h.get(`/tenants/${ACCOUNT}`);
    expect(tested.body).toMatch(/Connection works: health ran as customrole_sbr_integration/i);
    expect(tested.body).not.toMatch(/data-field="last-token">—/);

    await h.post(`/tenants/${ACCOUNT}/rotate`, { _csrf: tenantCsrf });
    const rotated = await h.get(`/tenants/${ACCOUNT}`);
    expect(rotated.body).toContain('Certificate rotated');
    const after = await readRecord(env.store, ACCOUNT);
    expect(after.certificate?.certificateId).not.toBe(certificateId);
    expect(rotated.body).toContain(`<code>${after.certificate?.certificateId}</code>`);
    secrets.push(...secretsOf(after));
    expect(env.fake.activeCertificates()).toHaveLength(1);

    await h.get('/tenants');
    const pem = secrets.filter((s) => s.includes('PRIVATE KEY'));
    expect(pem.length).toBeGreaterThanOrEqual(2);
    const needles = [...secrets, ...pem.flatMap((p) => p.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')))];
    expect(h.pages.length).toBeGreaterThan(10);
    for (const page of h.pages) {
      for (const needle of needles) {
        if (page.body.includes(needle)) throw new Error(`secret of ${needle.length} chars found on ${page.url}`);
      }
    }
  });

  it('maps the certificate to the integration user chosen before Check again', async () => {
    await connectAndConsent(h, env.fake);
    env.fake.bundleInstalled = true;
    const csrf = await h.csrf('/onboarding/install');
    await h.post('/onboarding/check', { _csrf: csrf, entity: '8' });
    await waitForFinish(h);
    expect(env.fake.activeCertificates().map((c) => c.entity)).toEqual([8]);
    await asOperator(h);
    expect((await h.get(`/tenants/${ACCOUNT}`)).body).toContain('<dd>Employee 8</dd>');
  });

  it('a second browser resumes a tenant whose consent is already held, without a new sign-in', async () => {
    await connectAndConsent(h, env.fake);
    const second = await console_(env);
    try {
      await second.h.openLink(ACCOUNT);
      const csrf = await second.h.csrf('/');
      const res = await second.h.post('/connect', { _csrf: csrf, account: ACCOUNT });
      expect(res.headers.location).toBe('/');
      expect((await second.h.get('/')).headers.location).toBe('/onboarding/install');
    } finally {
      await second.h.close();
      await second.backend.close();
    }
  });

  it('restarts a tenant that never got past consent so the sign-in returns to this console', async () => {
    await env.orchestrator.begin({ accountId: ACCOUNT, authClient: { clientId: AUTH_CLIENT }, ccClient: { clientId: CC_CLIENT }, redirectUri: 'https://127.0.0.1:8899/callback' });
    await env.orchestrator.advance(ACCOUNT);
    await h.openLink(ACCOUNT);
    const csrf = await h.csrf('/');
    const res = await h.post('/connect', { _csrf: csrf, account: ACCOUNT });
    expect(res.statusCode).toBe(303);
    expect((await readRecord(env.store, ACCOUNT)).settings.redirectUri).toBe(`${h.origin}/callback`);
  });

  it('resumes a tenant started from the CLI once its consent is held', async () => {
    await env.orchestrator.begin({ accountId: ACCOUNT, authClient: { clientId: AUTH_CLIENT }, ccClient: { clientId: CC_CLIENT }, redirectUri: 'https://127.0.0.1:8899/callback' });
    const url = await env.orchestrator.authorizationUrl(ACCOUNT);
    await env.orchestrator.submitCallback(env.fake.consent(url, 'https://127.0.0.1:8899/callback'), ACCOUNT);
    await h.openLink(ACCOUNT);
    const csrf = await h.csrf('/');
    const res = await h.post('/connect', { _csrf: csrf, account: ACCOUNT });
    expect(res.headers.location).toBe('/');
    expect((await h.get('/')).headers.location).toBe('/onboarding/install');
  });

  it('refuses to take over a CLI onboarding that needs consent again after step 2, and says how to fix it', async () => {
    await env.orchestrator.begin({ accountId: ACCOUNT, authClient: { clientId: AUTH_CLIENT }, ccClient: { clientId: CC_CLIENT }, redirectUri: 'https://127.0.0.1:8899/callback' });
    const url = await env.orchestrator.authorizationUrl(ACCOUNT);
    env.fake.bundleInstalled = true;
    // health answering as the wrong role makes step 3 fail, so the run stops right after step 2.
    env.fake.healthRoleOverride = { roleId: 3, roleScriptId: 'administrator' };
    await env.orchestrator.submitCallback(env.fake.consent(url, 'https://127.0.0.1:8899/callback'), ACCOUNT);
    const view = await env.orchestrator.get(ACCOUNT);
    expect(view?.steps.bundle.status).toBe('done');
    // Consent lost after step 2 (e.g. the temporary refresh token was revoked in NetSuite).
    const record = await readRecord(env.store, ACCOUNT);
    record.steps.authorize = { status: 'pending' };
    const row = await env.store.get(`suitebridge:onboarding:${ACCOUNT}`);
    await env.store.compareAndSwap(`suitebridge:onboarding:${ACCOUNT}`, row!.version, JSON.stringify(record));
    await h.openLink(ACCOUNT);
    const csrf = await h.csrf('/');
    const res = await h.post('/connect', { _csrf: csrf, account: ACCOUNT });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('is being onboarded elsewhere');
    expect(res.body).toContain('suitebridge tenants remove 1234567');
  });

  it('shows a denied consent and lets the customer start again', async () => {
    env.fake.deny = true;
    const res = await connectAndConsent(h, env.fake);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You chose not to allow access');
    env.fake.deny = false;
    const again = await connectAndConsent(h, env.fake);
    expect(nextUrl(again)).toBe('/onboarding/install');
  });

  it('reports a failed connection test on the tenant page instead of an error page', async () => {
    await connectAndConsent(h, env.fake);
    await asOperator(h);
    const csrf = await h.csrf(`/tenants/${ACCOUNT}`);
    const res = await h.post(`/tenants/${ACCOUNT}/test`, { _csrf: csrf });
    expect(res.statusCode).toBe(303);
    const page = await h.get(`/tenants/${ACCOUNT}`);
    expect(page.body).toContain('class="notice notice-error"');
    expect(page.body).toContain('Connection test failed');
  });
});
