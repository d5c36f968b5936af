// Child process for storePostgresMultiProcess.test.ts: rotates one shared public-client refresh token many times
// through TokenManager over the PostgreSQL store.
// argv: <libDir> <postgresUrl> <schema> <baseUrl> <iterations> <tenant>; SUITEBRIDGE_SECRET_KEY comes from the environment.
const path = require('node:path');

async function main() {
  const [libDir, url, schema, baseUrl, iterations, tenant] = process.argv.slice(2);
  const { TokenManager } = require(path.join(libDir, 'tokens/manager.js'));
  const { PostgresTokenStore } = require(path.join(libDir, 'store/postgres.js'));
  const { AuthorizationCodeClient } = require(path.join(libDir, 'authcode.js'));
  const HOUR = 3600 * 1000;
  let offset = 0;
  // Each iteration moves this process's clock two hours on, so its tokens look expired unless another process
  // (further on) has just stored a fresher pair: every iteration races the others for a rotation.
  const clock = { now: () => Date.now() + offset };
  const store = new PostgresTokenStore({ postgres: url, schema, poolSize: 2 });
  const client = new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback',
    scopes: ['restlets', 'rest_webservices'], baseUrl, dangerouslyAllowInsecureHttp: true, clock,
  });
  const manager = new TokenManager({ store, clock, maxRotationAttempts: 100, staleReadDelayMs: 5, staleReadRetries: 8 });
  const key = { tenant, grant: 'authorization_code', scopes: ['restlets', 'rest_webservices'] };
  let ok = 0;
  const errors = [];
  for (let i = 0; i < Number(iterations); i++) {
    offset += 2 * HOUR;
    try {
      const token = await manager.getAccessToken(key, { kind: 'authorization_code', client });
      if (!token.startsWith('at-')) throw new Error('unexpected token shape');
      ok++;
    } catch (err) {
      errors.push(`${err.code ?? err.name}: ${err.message}`);
    }
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ ok, errors, tokenRequests: manager.tokenRequestCount })}\n`);
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ ok: 0, errors: [`fatal: ${err && err.message}`] })}\n`);
  process.exitCode = 1;
});
