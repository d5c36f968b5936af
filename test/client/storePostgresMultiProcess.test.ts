import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PostgresTokenStore } from '../../client/src/store/postgres';
import { TokenManager } from '../../client/src/tokens/manager';
import { authorizationStoreKey } from '../../client/src/tokens/storedAuthorization';
import type { TokenKey } from '../../client/src/tokens/types';
import { childLines } from '../support/childLines';
import { startPostgres, type PostgresInstance } from '../support/postgres';
import { transpileClosure } from './support/transpileClosure';

jest.setTimeout(180_000);

const REPO = resolve(__dirname, '../..');
const CHILDREN = 4;
const ITERATIONS = 20;
const KEY: TokenKey = { tenant: 'acme', grant: 'authorization_code', scopes: ['restlets', 'rest_webservices'] };

/** NetSuite public-client semantics: only the newest refresh token works, and only once. */
class OneTimeRefreshEndpoint {
  latest = 'rt-1';
  rotations = 0;
  refused = 0;
  private generation = 1;
  readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      res.setHeader('content-type', 'application/json');
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== this.latest) {
        this.refused++;
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      this.generation++;
      this.rotations++;
      this.latest = `rt-${this.generation}`;
      res.end(JSON.stringify({ access_token: `at-${this.generation}`, refresh_token: this.latest, expires_in: '3600', token_type: 'bearer' }));
    });
  });
  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

describe('PostgresTokenStore shared by several processes', () => {
  let pg: PostgresInstance;
  let dir: string;
  const endpoint = new OneTimeRefreshEndpoint();
  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'sbr-pgrot-'));
    transpileClosure(
      ['tokens/manager.ts', 'store/postgres.ts', 'authcode.ts'].map((f) => join(REPO, 'client/src', f)),
      join(REPO, 'client/src'),
      join(dir, 'lib'),
    );
  }, 120_000);
  afterAll(async () => {
    await new Promise((ok) => endpoint.server.close(ok));
    rmSync(dir, { recursive: true, force: true });
    await pg?.destroy();
  });

  it(`${CHILDREN} processes rotating one public-client refresh token through TokenManager never lose the newest one`, async () => {
    const baseUrl = await endpoint.listen();
    const secret = randomBytes(32);
    const seed = new PostgresTokenStore({ postgres: pg.url, secretKey: secret, schema: 'rotation' });
    await new TokenManager({ store: seed }).saveAuthorization(KEY, {
      accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() - 1, scopes: KEY.scopes, tokenType: 'Bearer',
    });
    await seed.close();

    const env = { ...process.env, NODE_PATH: join(REPO, 'node_modules'), SUITEBRIDGE_SECRET_KEY: secret.toString('hex') };
    const results = await Promise.all(Array.from({ length: CHILDREN }, () => {
      const child = spawn(process.execPath, [join(REPO, 'test/support/postgresRotateChild.js'), join(dir, 'lib'), pg.url, 'rotation', baseUrl, String(ITERATIONS), KEY.tenant], { env });
      return childLines(child).next().then((line) => JSON.parse(line) as { ok: number; errors: string[] });
    }));
    for (const result of results) expect(result).toEqual(expect.objectContaining({ ok: ITERATIONS, errors: [] }));
    expect(endpoint.rotations).toBeGreaterThan(0);

    const store = new PostgresTokenStore({ postgres: pg.url, secretKey: secret, schema: 'rotation' });
    const row = (await store.get(authorizationStoreKey(KEY)))!;
    // Every rotation the endpoint performed was stored exactly once, on top of the seed (version 1), and the
    // store holds the one refresh token NetSuite would still accept.
    expect(row.version).toBe(1 + endpoint.rotations);
    expect(JSON.parse(row.value).refreshToken).toBe(endpoint.latest);
    await store.close();
    console.info(`PostgreSQL multi-process rotation: ${endpoint.rotations} rotations, ${endpoint.refused} invalid_grant answers from lost races (all recovered)`);
  });
});
