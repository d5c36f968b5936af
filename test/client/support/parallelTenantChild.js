// Child process for reliability-parallel-tenant.test.ts: one CLI-like process making many concurrent RESTlet
// calls as one tenant. argv: <libDir> <sqlite|redis> <path or url> <tenant> <calls> <netsuiteUrl>
const path = require('node:path');

async function main() {
  const [libDir, kind, where, tenant, calls, netsuiteUrl] = process.argv.slice(2);
  const { OnboardingOrchestrator } = require(path.join(libDir, 'onboarding/orchestrator.js'));
  const store =
    kind === 'sqlite'
      ? new (require(path.join(libDir, 'store/sqlite.js')).SqliteTokenStore)({ path: where })
      : new (require(path.join(libDir, 'store/redis.js')).RedisTokenStore)({ redis: where, logger: () => undefined });
  // Every NetSuite host is served by the test's local stand-in.
  const fetchImpl = (input, init) => {
    const url = new URL(String(input));
    return fetch(`${netsuiteUrl}${url.pathname}${url.search}`, init);
  };
  const orchestrator = new OnboardingOrchestrator({ store, fetch: fetchImpl });
  const errors = [];
  let ok = 0;
  try {
    const connection = await orchestrator.connect(tenant);
    const results = await Promise.allSettled(
      Array.from({ length: Number(calls) }, () => connection.restlet.get('customscript_sbr_rl_health', 'customdeploy_sbr_rl_health')),
    );
    for (const r of results) {
      if (r.status === 'fulfilled' && r.value && r.value.ok === true) ok++;
      else errors.push(r.status === 'rejected' ? `${r.reason.code ?? r.reason.name}: ${r.reason.message}` : 'unexpected body');
    }
  } finally {
    await store.close();
  }
  process.stdout.write(JSON.stringify({ ok, errors }));
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ ok: 0, errors: [`fatal: ${err && (err.code || '')} ${err && err.message}`] }));
});
