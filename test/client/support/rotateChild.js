// Child process for storeMultiProcess.test.ts: rotates a shared public-client refresh token many times.
// argv: <libDir> <dbPath> <baseUrl> <iterations> <tenant>; SUITEBRIDGE_SECRET_KEY comes from the environment.
const path = require('node:path');

async function main() {
  const [libDir, dbPath, baseUrl, iterations, tenant] = process.argv.slice(2);
  const { TokenManager } = require(path.join(libDir, 'tokens/manager.js'));
  const { SqliteTokenStore } = require(path.join(libDir, 'store/sqlite.js'));
  const { AuthorizationCodeClient } = require(path.join(libDir, 'authcode.js'));
  const HOUR = 3600 * 1000;
  let offset = 0;
  // Each iteration moves this process's clock two hours ahead, so its cached and stored tokens look expired
  // unless another process (further ahead) has just stored a fresher one.
  const clock = { now: () => Date.now() + offset };
  const store = new SqliteTokenStore({ path: dbPath });
  const client = new AuthorizationCodeClient({
    accountId: '1234567', clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback',
    scopes: ['restlets', 'rest_webservices'], baseUrl, dangerouslyAllowInsecureHttp: true, clock,
  });
  const manager = new TokenManager({ store, clock, maxRotationAttempts: 100, staleReadDelayMs: 5, staleReadRetries: 8 });
  const key = { tenant, grant: 'authorization_code', scopes: ['restlets', 'rest_webservices'] };
  const source = { kind: 'authorization_code', client };
  let ok = 0;
  const errors = [];
  for (let i = 0; i < Number(iterations); i++) {
    offset += 2 * HOUR;
    try {
      const token = await manager.getAccessToken(key, source);
      if (!token.startsWith('at-')) throw new Error(`unexpected token shape`);
      ok++;
    } catch (err) {
      errors.push(`${err.code ?? err.name}: ${err.message}`);
    }
  }
  await store.close();
  process.stdout.write(JSON.stringify({ ok, errors, tokenRequests: manager.tokenRequestCount }));
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ ok: 0, errors: [`fatal: ${err && err.message}`] }));
  process.exitCode = 1;
});
