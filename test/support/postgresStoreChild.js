// Child process for storePostgres.test.ts: opens the PostgreSQL store when told "go" on stdin, so several
// processes start at the same instant, writes one row and reports what its first use did to the schema.
// argv: <libDir> <url> <schema> <name>; SUITEBRIDGE_SECRET_KEY comes from the environment.
const path = require('node:path');
const readline = require('node:readline');

async function main() {
  const [libDir, url, schema, name] = process.argv.slice(2);
  const { PostgresTokenStore } = require(path.join(libDir, 'store/postgres.js'));
  const store = new PostgresTokenStore({ postgres: url, schema, poolSize: 2 });
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  await new Promise((resolve) => lines.once('line', resolve));
  lines.close();
  const result = { name, applied: null, wrote: false, error: null };
  try {
    result.wrote = await store.compareAndSwap(`child:${name}`, null, name);
    result.applied = store.lastMigration.applied;
  } catch (err) {
    result.error = `${err.code}: ${err.message}`;
  }
  await store.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: String(err && err.stack) })}\n`);
  process.exitCode = 1;
});
