import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AuthorizationCodeClient } from '../../client/src/authcode';
import { SqliteTokenStore } from '../../client/src/store/sqlite';
import { TokenManager } from '../../client/src/tokens/manager';
import { authorizationStoreKey } from '../../client/src/tokens/storedAuthorization';
import type { TokenKey } from '../../client/src/tokens/types';
import { transpileClosure } from './support/transpileClosure';

jest.setTimeout(120_000);

const REPO = resolve(__dirname, '../..');
const CHILDREN = 4;
const ITERATIONS = 25;
const KEY: TokenKey = { tenant: 'acme', grant: 'authorization_code', scopes: ['restlets', 'rest_webservices'] };

/** NetSuite public-client semantics: only the newest refresh token works, once. Answers after a random delay. */
class RotatingTokenEndpoint {
  latest = 'rt-1';
  chain = ['rt-1'];
  rotations = 0;
  rejected = 0;
  private generation = 1;
  server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const answer = () => {
        res.setHeader('content-type', 'application/json');
        if (req.url !== '/services/rest/auth/oauth2/v1/token' || form.get('grant_type') !== 'refresh_token' || form.get('client_id') !== 'p'.repeat(64)) {
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_request' }));
          return;
        }
        if (form.get('refresh_token') !== this.latest) {
          this.rejected++;
          res.statusCode = 400;
          res.end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        this.generation++;
        this.rotations++;
        this.latest = `rt-${this.generation}`;
        this.chain.push(this.latest);
        res.end(JSON.stringify({ access_token: `at-${this.generation}`, refresh_token: this.latest, expires_in: '3600', token_type: 'bearer' }));
      };
      setTimeout(answer, Math.floor(Math.random() * 8)); // widen the race window; not a timing assertion
    });
  });
  async listen(): Promise<string> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: { ok: number; errors: string[]; tokenRequests: number } }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(__dirname, 'support/rotateChild.js'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', fail);
    child.on('close', (code) => {
      try {
        ok({ code, out: JSON.parse(stdout) });
      } catch {
        fail(new Error(`child output not JSON (exit ${code}): ${stdout.slice(0, 500)} ${stderr.slice(0, 2000)}`));
      }
    });
  });
}

describe('SqliteTokenStore shared by several processes', () => {
  let dir: string;
  const endpoint = new RotatingTokenEndpoint();
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-mp-'));
    transpileClosure(
      ['tokens/manager.ts', 'store/sqlite.ts', 'authcode.ts'].map((f) => join(REPO, 'client/src', f)),
      join(REPO, 'client/src'),
      join(dir, 'lib'),
    );
  });
  afterAll(async () => {
    await new Promise((ok) => endpoint.server.close(ok));
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${CHILDREN} processes rotating one public-client refresh token never lose the newest one`, async () => {
    const baseUrl = await endpoint.listen();
    const secret = randomBytes(32);
    const dbPath = join(dir, 'tokens.db');
    const seedStore = new SqliteTokenStore({ path: dbPath, secretKey: secret });
    await new TokenManager({ store: seedStore }).saveAuthorization(KEY, {
      accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: Date.now() - 1, scopes: KEY.scopes, tokenType: 'Bearer',
    });
    await seedStore.close();

    const env = { ...process.env, NODE_PATH: join(REPO, 'node_modules'), SUITEBRIDGE_SECRET_KEY: secret.toString('hex') };
    const results = await Promise.all(
      Array.from({ length: CHILDREN }, () => runChild([join(dir, 'lib'), dbPath, baseUrl, String(ITERATIONS), KEY.tenant], env)),
    );

    for (const { code, out } of results) {
      expect(out.errors).toEqual([]);
      expect(code).toBe(0);
      expect(out.ok).toBe(ITERATIONS);
    }
    expect(endpoint.rotations).toBeGreaterThan(0);

    const store = new SqliteTokenStore({ path: dbPath, secretKey: secret });
    const row = await store.get(authorizationStoreKey(KEY));
    const record = JSON.parse(row!.value);
    // Every successful rotation was persisted exactly once, on top of the seed write (version 1).
    expect(row!.version).toBe(1 + endpoint.rotations);
    expect(record.refreshToken).toBe(endpoint.latest);
    expect(endpoint.chain).toHaveLength(endpoint.rotations + 1);

    // The chain is intact: one more refresh with what the store holds succeeds.
    const client = new AuthorizationCodeClient({
      accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback',
      scopes: KEY.scopes, baseUrl, dangerouslyAllowInsecureHttp: true,
    });
    const later = { now: () => Date.now() + 1000 * 3600 * 1000 };
    const manager = new TokenManager({ store, clock: later });
    const rotationsBefore = endpoint.rotations;
    expect(await manager.getAccessToken(KEY, { kind: 'authorization_code', client })).toBe(`at-${rotationsBefore + 2}`);
    expect((await store.get(authorizationStoreKey(KEY)))!.version).toBe(2 + rotationsBefore);
    await store.close();
    // Contention evidence for the log (not asserted: scheduling decides how often processes collide).
    console.info(`multi-process rotation: ${endpoint.rotations} rotations, ${endpoint.rejected} invalid_grant answers from lost races (all recovered), ` +
      `${results.reduce((n, r) => n + r.out.tokenRequests, 0)} refresh requests by ${CHILDREN} child processes`);
  });
});
