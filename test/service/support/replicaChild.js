// One `suitebridge serve` replica for replicas.test.ts, from a transpiled copy of the sources (no project build).
// argv: <libDir> <postgresUrl> <schema> <redisUrl> <queueName> <emulatorUrl> <slowRestletMs> <lockMs>
// SUITEBRIDGE_SECRET_KEY comes from the environment. stdin commands: "sweep", "idle". SIGTERM: graceful stop.
// stdout: the service's JSON log lines, plus {"msg":"ready"|"idle"|"restlet call started"}.
const path = require('node:path');
const readline = require('node:readline');

async function main() {
  const [libDir, pgUrl, schema, redisUrl, queueName, emulatorUrl, slowMs, lockMs] = process.argv.slice(2);
  const lib = (file) => require(path.join(libDir, file));
  const { SuiteBridgeService } = lib('service/src/service.js');
  const { EmulatorLoginAudit } = lib('service/src/loginAudit.js');
  const { PostgresTokenStore } = lib('client/src/store/postgres.js');
  const { OnboardingOrchestrator } = lib('client/src/onboarding/orchestrator.js');
  const { defaultFetch } = lib('client/src/http/transport.js');
  const say = (msg, extra = {}) => process.stdout.write(`${JSON.stringify({ msg, pid: process.pid, ...extra })}\n`);
  const slow = Number(slowMs);
  const fetchImpl = async (input, init) => {
    if (slow > 0 && String(input).includes('restlet.nl')) {
      say('restlet call started');
      await new Promise((r) => setTimeout(r, slow));
    }
    return defaultFetch(input, init);
  };
  const store = new PostgresTokenStore({ postgres: pgUrl, schema, poolSize: 4 });
  const service = new SuiteBridgeService({
    store,
    redis: redisUrl,
    queueName,
    fetch: fetchImpl,
    audit: new EmulatorLoginAudit(emulatorUrl),
    lockDurationMs: Number(lockMs),
    stalledIntervalMs: Math.max(100, Math.floor(Number(lockMs) / 2)),
    orchestrator: ({ fetch, now }) => new OnboardingOrchestrator({ store, clock: { now }, fetch, certificateActivation: { attempts: 1, delayMs: 0 } }),
  });
  await service.start();
  say('ready');
  readline.createInterface({ input: process.stdin }).on('line', (command) => {
    if (command === 'sweep') void service.sweepNow().then(() => say('swept'));
    if (command === 'idle') void service.whenIdle().then(() => say('idle'));
  });
  process.on('SIGTERM', () => {
    void service.stop().then(() => store.close()).then(() => process.exit(0));
  });
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});
