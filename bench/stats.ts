/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  median: number;
  p99: number;
  samples: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
}

export interface RoundSummary {
  median: number;
  p99: number;
  rounds: number;
}

/** Median across rounds of each round's median and p99: robust to a few stalls landing in one round. */
export function medianOfRounds(rounds: readonly LatencySummary[]): RoundSummary {
  const middle = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  return { median: middle(rounds.map((r) => r.median)), p99: middle(rounds.map((r) => r.p99)), rounds: rounds.length };
}
