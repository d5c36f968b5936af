// Child process for test/client/scaleout-*.test.ts: one SuiteBridge process asking for tokens through TokenManager
// over a shared store. argv: <libDir> <config JSON>. SUITEBRIDGE_SECRET_KEY and SBR_PRIVATE_KEY come from the environment.
// Prints "ready"; then for every "go" line on stdin builds a fresh TokenManager (a cold cache), makes `calls`
// concurrent getAccessToken calls per tenant and prints {tokens: {tenant: [distinct tokens]}, errors}.
// Every token request carries x-child: <pid>, so the server knows who holds the lock.
const path = require('node:path');
const readline = require('node:readline');

async function main() {
  const [libDir, configText] = process.argv.slice(2);
  const config = JSON.parse(configText);
  const lib = (file) => require(path.join(libDir, file));
  const { TokenManager } = lib('tokens/manager.js');
  const { RedisTokenLock } = lib('tokens/redisTokenLock.js');
  const { ClientCredentialsClient } = lib('clientCredentials.js');
  const { AuthorizationCodeClient } = lib('authcode.js');
  let store;
  let redis;
  if (config.store === 'postgres') store = new (lib('store/postgres.js').PostgresTokenStore)({ postgres: config.url, poolSize: 2 });
  else if (config.store === 'sqlite') store = new (lib('store/sqlite.js').SqliteTokenStore)({ path: config.url });
  else store = new (lib('store/redis.js').RedisTokenStore)({ redis: config.url });
  const lockOptions = {};
  if (config.redisLock) {
    const Redis = require('ioredis');
    redis = new Redis(config.redisLock, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    lockOptions.lock = new RedisTokenLock({ redis, leaseMs: config.leaseMs });
  } else if (config.leaseMs) {
    lockOptions.lock = new (lib('tokens/tokenLock.js').StoreTokenLock)(store, { leaseMs: config.leaseMs });
  }
  const { defaultFetch } = lib('http/transport.js');
  const tagged = (input, init) => defaultFetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init && init.headers)), 'x-child': String(process.pid) } });
  const scopes = ['restlets', 'rest_webservices'];
  const sources = config.tenants.map((tenant) =>
    config.grant === 'client_credentials'
      ? { kind: 'client_credentials', client: new ClientCredentialsClient({
          accountId: tenant, clientId: 'c'.repeat(64), certificateId: `cert-${tenant}`, privateKey: process.env.SBR_PRIVATE_KEY, scopes,
          tokenUrl: `${config.baseUrl}/token/${tenant}`, baseUrl: config.baseUrl, dangerouslyAllowInsecureHttp: true, fetch: tagged,
          tokenRetry: { maxRetries: 0 },
        }) }
      : { kind: 'authorization_code', client: new AuthorizationCodeClient({
          accountId: tenant, clientId: 'p'.repeat(64), redirectUri: 'https://127.0.0.1:8899/callback', scopes,
          baseUrl: config.baseUrl, dangerouslyAllowInsecureHttp: true, fetch: tagged,
        }) },
  );
  const lines = readline.createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  for await (const line of lines) {
    if (line !== 'go') break;
    const manager = new TokenManager({ store, lockPollMs: 10, ...lockOptions });
    const tokens = {};
    const errors = [];
    await Promise.all(config.tenants.map(async (tenant, i) => {
      const key = { tenant, grant: config.grant, scopes };
      const got = await Promise.allSettled(Array.from({ length: config.calls }, () => manager.getAccessToken(key, sources[i])));
      tokens[tenant] = [...new Set(got.filter((r) => r.status === 'fulfilled').map((r) => r.value))];
      for (const r of got) if (r.status === 'rejected') errors.push(`${r.reason.code ?? r.reason.name}: ${r.reason.message}`);
    }));
    process.stdout.write(`${JSON.stringify({ tokens, errors, tokenRequests: manager.tokenRequestCount })}\n`);
  }
  await store.close();
  if (redis) redis.disconnect();
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ fatal: String(err && err.stack) })}\n`);
  process.exitCode = 1;
});
