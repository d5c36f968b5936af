/**
 * kill -9 at random points, through the same harness as `npm run faults` (bench/kill9.ts): one random kill per
 * scenario. Whatever moment the kill lands on, the assertion is the same: a new process carries on without a new
 * consent. The only exception is a refresh whose rotated token NetSuite had already issued when the process died
 * (decided from the emulator's records, not from timing): that one must be reported as lost, never as survived.
 * The seed is in the describe title; SUITEBRIDGE_KILL9_SEED=<seed> repeats the kill times. Needs `npm run build`.
 */
import { killScenario } from '../../bench/kill9';
import { assertBuilt } from '../../bench/kill9Process';
import { seededRandom } from '../../bench/kill9Random';

const fromEnv = process.env.SUITEBRIDGE_KILL9_SEED;
const random = seededRandom(fromEnv === undefined ? undefined : Number(fromEnv));

describe(`kill -9 at a random point (seed ${random.seed})`, () => {
  beforeAll(() => assertBuilt());

  async function killOnce(id: 'onboarding' | 'm2m' | 'refresh') {
    const log: string[] = [];
    const [outcome] = await killScenario(id, 1, random, (line) => log.push(line));
    if (!outcome) throw new Error(`no outcome for ${id}`);
    expect(outcome.killed).toBe(true);
    return { outcome, log: log.join('\n') };
  }

  it('the onboarding resumes to completion: one active certificate, a working RESTlet call, no second consent', async () => {
    const { outcome, log } = await killOnce('onboarding');
    expect({ survived: outcome.survived, lost: outcome.lost, log }).toEqual({ survived: true, lost: false, log: expect.stringContaining(': survived') });
    // An interrupted code exchange is survivable, but only with the notice about what may be left at NetSuite.
    if (outcome.leftoverNotice !== undefined) expect(outcome.leftoverNotice).toContain('OAuth 2.0 Authorized Applications');
  }, 120_000);

  it('an M2M tenant rotating its certificate keeps working as left, and the next rotation leaves exactly one certificate', async () => {
    const { outcome, log } = await killOnce('m2m');
    expect({ survived: outcome.survived, lost: outcome.lost, log }).toEqual({ survived: true, lost: false, log: expect.stringContaining(': survived') });
  }, 120_000);

  it('an auth-code tenant refreshing keeps a live refresh token, unless NetSuite had already rotated it (then reported as lost)', async () => {
    const { outcome, log } = await killOnce('refresh');
    if (outcome.inFlight) {
      expect({ survived: outcome.survived, lost: outcome.lost, detail: outcome.detail }).toEqual({ survived: false, lost: true, detail: expect.stringMatching(/invalid_grant.*began a refresh with that same token/) });
    } else {
      expect({ survived: outcome.survived, lost: outcome.lost, log }).toEqual({ survived: true, lost: false, log: expect.stringContaining(': survived') });
    }
  }, 120_000);
});
