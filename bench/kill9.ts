/**
 * "kill -9 at random points": real SuiteBridge processes SIGKILLed at random times spread over a whole run, then a
 * new process must carry on without a new consent (kill9Scenarios.ts). Each scenario is first run once without a
 * kill to learn how long a whole run takes; each kill time is then drawn uniformly from [0, that duration) with a
 * seeded generator, so `--seed` repeats the same kill times. A process that finished before its kill time is not
 * counted; another time is drawn for it.
 */
import { assertBuilt } from './kill9Process';
import { seededRandom, type SeededRandom } from './kill9Random';
import { isOutcome, SCENARIOS, type KillOutcome, type ScenarioId } from './kill9Scenarios';

export interface Kill9Row {
  fault: string;
  injected: number;
  survived: number;
  lost: number;
  /** Part of the matrix's pass/fail (false: a known limit, reported but not failed). */
  counts: boolean;
}

export interface Kill9Report {
  rows: Kill9Row[];
  outcomes: KillOutcome[];
  notes: string[];
}

/** How many of `total` kills each scenario gets: 40 % onboarding, the rest split between the two tenants in use. */
export function splitKills(total: number): Record<ScenarioId, number> {
  const onboarding = Math.round(total * 0.4);
  const m2m = Math.round((total - onboarding) / 2);
  return { onboarding, m2m, refresh: total - onboarding - m2m };
}

/** Kills one scenario `count` times at random points; `log` gets one line per kill. */
export async function killScenario(id: ScenarioId, count: number, random: SeededRandom, log: (line: string) => void = () => undefined): Promise<KillOutcome[]> {
  assertBuilt();
  const scenario = SCENARIOS[id].create();
  try {
    const calibration = await scenario.run();
    if (isOutcome(calibration)) throw new Error(`kill -9 ${id}: the calibration run returned an outcome`);
    let wholeRunMs = calibration.ms;
    const outcomes: KillOutcome[] = [];
    let redraws = 0;
    while (outcomes.length < count) {
      const killAfterMs = Math.round(random.next() * wholeRunMs);
      const result = await scenario.run(killAfterMs);
      if (!isOutcome(result)) throw new Error(`kill -9 ${id}: a kill run returned a calibration`);
      if (!result.killed) {
        // Faster than the calibration run: draw again, never beyond this run's length.
        if (++redraws > 3 * count) throw new Error(`kill -9 ${id}: the process kept finishing before its kill time (${redraws} draws)`);
        wholeRunMs = Math.max(1, Math.min(wholeRunMs, killAfterMs));
        continue;
      }
      outcomes.push(result);
      const verdict = result.survived ? 'survived' : result.lost ? (result.inFlight ? 'LOST (rotated refresh token in flight)' : 'LOST') : 'NOT SURVIVED';
      log(`kill -9 ${id} #${outcomes.length}: at ${killAfterMs} ms of ~${Math.round(calibration.ms)} ms, ${result.stage}: ${verdict}${result.detail ? ` — ${result.detail}` : ''}`);
    }
    return outcomes;
  } finally {
    await scenario.close();
  }
}

function row(fault: string, outcomes: KillOutcome[], counts = true): Kill9Row {
  return { fault, injected: outcomes.length, survived: outcomes.filter((o) => o.survived).length, lost: outcomes.filter((o) => o.lost).length, counts };
}

/** Where the kills landed: the time range and a count per stage (rounds of a worker loop counted together). */
function spread(outcomes: KillOutcome[]): string {
  const stages = new Map<string, number>();
  for (const o of outcomes) {
    const stage = o.stage.replace(/^(\w+) \((running|waiting|done|pending|failed)\)$/, '$1').replace(/^round \d+/, 'in the loop');
    stages.set(stage, (stages.get(stage) ?? 0) + 1);
  }
  const ms = outcomes.map((o) => o.killAfterMs);
  return `${Math.min(...ms)}–${Math.max(...ms)} ms after spawn; ${[...stages].map(([s, n]) => `${s} ${n}`).join(', ')}`;
}

/** The whole kill -9 part of the fault matrix: `total` kills over the three scenarios. */
export async function runKill9(total: number, random: SeededRandom, log: (line: string) => void = () => undefined): Promise<Kill9Report> {
  const split = splitKills(total);
  const outcomes: KillOutcome[] = [];
  for (const id of Object.keys(split) as ScenarioId[]) {
    if (split[id] > 0) outcomes.push(...(await killScenario(id, split[id], random, log)));
  }
  const of = (id: ScenarioId) => outcomes.filter((o) => o.scenario === id);
  const refresh = of('refresh');
  const inFlight = refresh.filter((o) => o.inFlight);
  const rows: Kill9Row[] = [];
  for (const id of ['onboarding', 'm2m'] as const) if (of(id).length > 0) rows.push(row(`kill -9 at a random point: ${SCENARIOS[id].title}`, of(id)));
  if (refresh.length > 0) {
    rows.push(row(`kill -9 at a random point: ${SCENARIOS.refresh.title}`, refresh.filter((o) => !o.inFlight)));
    rows.push(row('kill -9 auth-code: NetSuite rotated, answer not saved yet (known limit, not failed)', inFlight, false));
  }
  const notes = [`kill -9: seed ${random.seed}, ${outcomes.length} kills (repeat the same kill times with --kills ${total} --seed ${random.seed}).`];
  for (const id of Object.keys(split) as ScenarioId[]) if (of(id).length > 0) notes.push(`kill -9 ${id}: ${spread(of(id))}.`);
  const notices = of('onboarding').filter((o) => o.leftoverNotice);
  notes.push(
    `kill -9 onboarding: ${notices.length} kill(s) interrupted the authorization-code exchange after the code was sent; the resumed run printed the exchange journal's notice and asked for consent again (counted as survived, not lost).`,
  );
  for (const o of notices) notes.push(`  notice after the kill at ${o.killAfterMs} ms: ${o.leftoverNotice}`);
  if (refresh.length > 0) {
    notes.push(
      `kill -9 refresh: ${inFlight.length} of ${refresh.length} kills fell after NetSuite had rotated the one-time refresh token and before the new one was saved (the emulator shows the stored token spent by exactly one more rotation); ` +
        'like a cut answer, no client can survive that: the new token died with the process. That row is reported, not failed. ' +
        `The next process named the interrupted refresh (refresh journal) in ${inFlight.filter((o) => /began a refresh/.test(o.detail)).length} of them.`,
    );
  }
  return { rows, outcomes, notes };
}

/** Parses `--kills <n>` (0–1000) and `--seed <n>` from argv; used by faults.ts and the child entry below. */
export function kill9Args(argv: readonly string[], defaultKills: number): { kills: number; seed?: number } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i > 0 ? argv[i + 1] : undefined;
  };
  const kills = Number(value('--kills') ?? defaultKills);
  if (!Number.isInteger(kills) || kills < 0 || kills > 1000) throw new Error('--kills must be a whole number from 0 to 1000 (0 skips the kill -9 rows)');
  const seedText = value('--seed');
  if (seedText === undefined) return { kills };
  const seed = Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new Error(`--seed must be a whole number from 0 to ${2 ** 32 - 1} (the seed a previous run printed)`);
  return { kills, seed };
}

// `node build/bench/kill9.js --kills n --seed s`: the report as JSON on stdout, one line per kill on stderr.
if (require.main === module) {
  (async () => {
    const { kills, seed } = kill9Args(process.argv, 50);
    const report = await runKill9(kills, seededRandom(seed), (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(report)}\n`);
  })().catch((err: unknown) => {
    process.stderr.write(`kill9: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
