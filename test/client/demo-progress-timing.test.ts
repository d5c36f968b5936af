import { ProgressPrinter } from '../../client/src/onboarding/progress';

describe('one timing per step', () => {
  const done = { type: 'step', tenant: 't', step: 'authorize', status: 'done', at: '', elapsedMs: 71, summary: 'consent by entity 7' } as const;

  it('the demo (automated) leaves the time off the live line: its summary table prints the whole step once', () => {
    let text = '';
    new ProgressPrinter('plain', { write: (t) => (text += t) }, { automated: true }).handle(done);
    expect(text).toBe('✓ 1/4 Temporary elevated access — consent by entity 7\n');
  });

  it('onboard (no summary table) keeps it on the live line', () => {
    let text = '';
    new ProgressPrinter('plain', { write: (t) => (text += t) }).handle(done);
    expect(text).toBe('✓ 1/4 Temporary elevated access (71 ms) — consent by entity 7\n');
  });
});
