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

export interface Comparison {
  client: LatencySummary;
  raw: LatencySummary;
  /** client / raw per round, for the median and for p99. */
  medianRatios: number[];
  p99Ratios: number[];
}

/** The middle value (nearest rank). */
export function middle(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

/**
 * Compares rounds of paired samples. Each round's ratio pairs client and raw measured in the same seconds, so
 * machine load hits both; the median across rounds keeps one stalled round from deciding the result.
 */
export function compareRounds(rounds: ReadonlyArray<{ client: number[]; raw: number[] }>): Comparison {
  const client = summarize(rounds.flatMap((r) => r.client));
  const raw = summarize(rounds.flatMap((r) => r.raw));
  const per = rounds.map((r) => ({ c: summarize(r.client), r: summarize(r.raw) }));
  return {
    client,
    raw,
    medianRatios: per.map((p) => p.c.median / p.r.median),
    p99Ratios: per.map((p) => p.c.p99 / p.r.p99),
  };
}
