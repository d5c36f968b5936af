/**
 * examples/api: the Python (urllib) and curl examples run as separate processes, which do not load SuiteBridge,
 * against the service's /v1 API on a real port and the emulator: a RESTlet call and a SuiteQL query through the proxy.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiHarness, type ApiHarness } from './support/apiHarness';

const run = promisify(execFile);
const EXAMPLES = join(__dirname, '..', '..', 'examples', 'api');

describe('examples/api', () => {
  let h: ApiHarness;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    h = await startApiHarness([['acme', '1234567']]);
    const { key } = await h.keys.create({ name: 'examples', scopes: ['proxy', 'tenants:read'], tenants: ['acme'] });
    env = { PATH: process.env.PATH, SUITEBRIDGE_URL: h.url, SUITEBRIDGE_API_KEY: key, SUITEBRIDGE_TENANT: 'acme' };
  }, 120_000);
  afterAll(async () => h?.stop());

  it('Python (standard library only): tenant, RESTlet, SuiteQL', async () => {
    const { stdout } = await run('python3', [join(EXAMPLES, 'proxy_example.py')], { env });
    const steps = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(steps).toEqual([
      { step: 'tenant', status: null, accountId: '1234567' },
      { step: 'restlet', roleScriptId: 'customrole_sbr_integration' },
      { step: 'suiteql', count: 5, truncated: true, first: expect.objectContaining({ id: '1001' }) },
    ]);
  });

  it('Python: a refusal exits 1 with problem details on stderr', async () => {
    const failed = await run('python3', [join(EXAMPLES, 'proxy_example.py')], { env: { ...env, SUITEBRIDGE_TENANT: 'globex' } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed?.stderr ?? '{}')).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('curl: the same three calls', async () => {
    const { stdout } = await run('bash', [join(EXAMPLES, 'proxy_example.sh')], { env });
    const [tenant, restlet, suiteql] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(tenant).toMatchObject({ tenant: 'acme', accountId: '1234567' });
    expect(restlet).toMatchObject({ roleScriptId: 'customrole_sbr_integration' });
    expect(suiteql).toMatchObject({ count: 5, truncated: true });
  });
});
