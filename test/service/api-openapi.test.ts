/**
 * service/openapi.json (issue 12): a valid OpenAPI 3.1 document (swagger-parser), served at /v1/openapi.json, and every
 * operation's actual answers (success and refusal) match the document's response schemas (ajv, JSON Schema 2020-12).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020';
import { startApiHarness, type ApiHarness } from './support/apiHarness';

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: object }> }> };
type Document = { paths: Record<string, Record<string, Operation | unknown>> };

const DOCUMENT_PATH = join(__dirname, '..', '..', 'service', 'openapi.json');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
/**
 * swagger-parser's dependencies ship ESM only, which jest's CommonJS runtime cannot load: it runs in a plain node
 * child, which validates the document and prints it dereferenced.
 */
function validateAndDereference(path: string): Document & { openapi: string } {
  const script = `const p = require('@apidevtools/swagger-parser');
    p.validate(${JSON.stringify(path)}).then(() => p.dereference(${JSON.stringify(path)})).then((d) => process.stdout.write(JSON.stringify(d)), (e) => { process.stderr.write(String(e.message)); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Document & { openapi: string };
}

const HEALTH = 'customscript_sbr_rl_health/customdeploy_sbr_rl_health';

interface Answer {
  method: string;
  url: string;
  status: number;
  contentType: string;
  body: string;
}

describe('the OpenAPI document', () => {
  let h: ApiHarness;
  let doc: Document;
  let key: string;
  const answers: Answer[] = [];

  const call = async (method: string, url: string, o: { payload?: unknown; headers?: Record<string, string>; as?: string } = {}) => {
    const res = await h.app.inject({
      method: method as 'GET',
      url: `/v1${url}`,
      headers: { authorization: `Bearer ${o.as ?? key}`, ...(o.payload !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      ...(o.payload !== undefined ? { payload: JSON.stringify(o.payload) } : {}),
    });
    answers.push({ method, url: `/v1${url}`, status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body });
    return res;
  };

  beforeAll(async () => {
    doc = validateAndDereference(DOCUMENT_PATH);
    h = await startApiHarness([['acme', '1234567']]);
    key = (await h.keys.create({ name: 'all', scopes: ['proxy', 'tenants:read', 'tenants:manage'] })).key;
  }, 120_000);
  afterAll(async () => h?.stop());

  it('validates as OpenAPI 3.1 and is the document served at /v1/openapi.json', async () => {
    expect(doc).toMatchObject({ openapi: '3.1.0' });
    // The validator refuses a broken document (a dangling $ref): proof that it really validates.
    const broken = join(require('node:os').tmpdir(), `sbr-openapi-${process.pid}.json`);
    const text = readFileSync(DOCUMENT_PATH, 'utf8').replace('#/components/schemas/TenantPage', '#/components/schemas/Missing');
    require('node:fs').writeFileSync(broken, text);
    expect(() => validateAndDereference(broken)).toThrow();
    const served = await h.app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(served.json()).toEqual(JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')));
  });

  it('every operation answers as the document says, and every operation was called', async () => {
    const reader = (await h.keys.create({ name: 'reader', scopes: ['tenants:read'] })).key;
    await call('GET', '/openapi.json');
    await call('GET', '/tenants');
    await call('GET', '/tenants?status=healthy&limit=1');
    await call('GET', '/tenants?status=bogus');
    await call('GET', '/tenants', { as: 'sbk_wrong' });
    await call('GET', '/tenants/acme');
    await call('GET', '/tenants/nobody');
    await call('GET', '/tenants/acme/certificates');
    await call('GET', '/tenants/acme/config');
    await call('PUT', '/tenants/acme/config', { payload: { entries: { 'openapi.check': 'yes' } } });
    await call('PUT', '/tenants/acme/config', { payload: { entries: { 'openapi.check': 'no' } }, as: reader });
    await call('GET', '/events/deliveries');
    // The 200 answer of a redelivery is checked against the document in webhookRedelivery.test.ts (needs an endpoint).
    await call('POST', '/events/deliveries/msg_0000-0/redeliver');
    await call('POST', '/tenants/acme/suiteql?limit=2', { payload: { q: 'SELECT id FROM customer' } });
    await call('POST', '/tenants/acme/suiteql?all=true&maxRows=3', { payload: { q: 'SELECT id FROM customer' } });
    await call('POST', '/tenants/acme/suiteql', { payload: { nothing: true } });
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const payload = method === 'GET' || method === 'DELETE' ? {} : { payload: { any: 'thing' } };
      await call(method, `/tenants/acme/restlets/${HEALTH}`, payload);
      await call(method, method === 'POST' ? '/tenants/acme/records/customer' : '/tenants/acme/records/customer/1001', payload);
    }
    await call('GET', '/tenants/acme/restlets/bad-id/x');
    const seed = h.fleet.emulator.seed as unknown as { bundleId?: string; integrations: { accountId: string; clientId: string; publicClient: boolean; grants: string[]; redirectUris: string[] }[] };
    const consent = seed.integrations.find((i) => i.accountId === '7654321' && i.publicClient)!;
    const m2m = seed.integrations.find((i) => i.accountId === '7654321' && !i.publicClient && i.grants.includes('client_credentials'))!;
    await call('POST', '/onboardings', { payload: { tenant: 'newco', accountId: '7654321', authClientId: consent.clientId, ccClientId: m2m.clientId, redirectUri: consent.redirectUris[0], bundleId: seed.bundleId ?? '512345' } });
    await call('POST', '/onboardings', { payload: { tenant: 'newco' } });
    await call('GET', '/onboardings/newco');
    await call('GET', '/onboardings/nobody');
    await call('POST', '/onboardings/newco/callback', { payload: { callbackUrl: 'https://127.0.0.1/callback?code=forged&state=forged' } });
    await call('POST', '/onboardings/newco/continue');
    await call('DELETE', '/onboardings/acme');
    await call('DELETE', '/onboardings/newco');
    await call('POST', '/tenants/acme/repair');
    await call('POST', '/tenants/acme/certificates/rotate');
    await call('DELETE', '/tenants/acme');

    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{path\}/g, '.+').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
    const called = new Set<string>();
    const mismatches: string[] = [];
    for (const a of answers) {
      const path = a.url.split('?')[0] as string;
      const match = templates.filter((t) => t.pattern.test(path)).sort((x, y) => y.template.length - x.template.length)[0];
      const operation = match ? (doc.paths[match.template]?.[a.method.toLowerCase()] as Operation | undefined) : undefined;
      if (!operation) {
        mismatches.push(`${a.method} ${a.url}: no operation in the document`);
        continue;
      }
      called.add(operation.operationId);
      const response = operation.responses[String(a.status)] ?? operation.responses[`${String(a.status)[0]}XX`] ?? operation.responses.default;
      if (!response) {
        mismatches.push(`${a.method} ${a.url}: status ${a.status} not documented`);
        continue;
      }
      const mediaType = a.contentType.split(';')[0]!.trim();
      const content = response.content?.[mediaType] ?? response.content?.['*/*'];
      if (!content) {
        mismatches.push(`${a.method} ${a.url}: ${a.status} ${mediaType} not documented`);
        continue;
      }
      if (content.schema && /json/.test(mediaType)) {
        const validate = ajv.compile(content.schema);
        if (!validate(JSON.parse(a.body))) mismatches.push(`${a.method} ${a.url} ${a.status}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    expect(mismatches).toEqual([]);
    const documented = Object.values(doc.paths).flatMap((item) => METHODS.map((m) => (item[m] as Operation | undefined)?.operationId).filter((id): id is string => !!id));
    expect(documented.filter((id) => !called.has(id))).toEqual([]);
    // The refusals were real refusals, and the lifecycle calls succeeded.
    const status = (method: string, url: string) => answers.find((a) => a.method === method && a.url === `/v1${url}`)?.status;
    expect(status('GET', '/tenants?status=bogus')).toBe(400);
    expect(status('GET', '/tenants/nobody')).toBe(404);
    expect(status('POST', '/events/deliveries/msg_0000-0/redeliver')).toBe(404);
    expect(status('POST', '/tenants/acme/repair')).toBe(200);
    expect(status('POST', '/tenants/acme/certificates/rotate')).toBe(200);
    expect(status('DELETE', '/tenants/acme')).toBe(200);
    expect(status('POST', '/onboardings')).toBe(201);
    expect(status('DELETE', '/onboardings/newco')).toBe(200);
    expect(status('DELETE', '/onboardings/acme')).toBe(409);
  }, 120_000);
});
