// Child process for accountSemaphore.test.ts: one SuiteBridge process sharing an account's concurrency limit.
// argv: <libDir> <redisUrl> <serverUrl> <name> <mode> <tasks> <limit> <leaseMs>
//   mode "work": after "go" on stdin, submits <tasks> requests at once, each inside a slot; prints a JSON summary.
//   mode "hold": takes one slot, prints "holding", and never lets go (the test kills it).
const path = require('node:path');
const readline = require('node:readline');

async function main() {
  const [libDir, redisUrl, serverUrl, name, mode, tasks, limit, leaseMs] = process.argv.slice(2);
  const { RedisAccountSemaphores } = require(path.join(libDir, 'http/accountSemaphore.js'));
  const semaphores = new RedisAccountSemaphores({ redis: redisUrl, leaseMs: Number(leaseMs), waiterTimeoutMs: 1000 });
  const account = semaphores.forAccount('1234567_SB1', Number(limit));
  if (mode === 'hold') {
    await account.run(async () => {
      process.stdout.write('holding\n');
      await new Promise(() => undefined);
    });
    return;
  }
  process.stdout.write('ready\n');
  const lines = readline.createInterface({ input: process.stdin });
  await new Promise((resolve) => lines.once('line', resolve));
  lines.close();
  let done = 0;
  const errors = [];
  await Promise.all(Array.from({ length: Number(tasks) }, (_, i) =>
    account.run(async () => {
      const res = await fetch(`${serverUrl}/work?proc=${name}&task=${i}`);
      if (res.status !== 200) throw new Error(`server answered ${res.status}`);
      await res.text();
      done++;
    }).catch((err) => errors.push(String(err && err.message))),
  ));
  process.stdout.write(`${JSON.stringify({ name, done, errors, leasesLost: account.leasesLost })}\n`);
  await semaphores.close();
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: String(err && err.stack) })}\n`);
  process.exitCode = 1;
});
