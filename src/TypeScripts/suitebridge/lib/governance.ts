import * as runtime from 'N/runtime';

export interface UsageMeter {
  /** Units consumed since the meter started, from getRemainingUsage() deltas. */
  used(): number;
  remaining(): number;
}

export function startUsageMeter(): UsageMeter {
  const script = runtime.getCurrentScript();
  const start = script.getRemainingUsage();
  return {
    used: () => start - script.getRemainingUsage(),
    remaining: () => script.getRemainingUsage(),
  };
}
