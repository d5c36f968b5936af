/** Time is an input everywhere expiry matters; the emulator adds a configurable, movable offset. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock whose offset can be moved at runtime (`POST /__emulator/clock`, `clockOffsetSeconds`). */
export class OffsetClock implements Clock {
  private offsetMs: number;
  constructor(private readonly base: Clock, offsetSeconds = 0) {
    this.offsetMs = offsetSeconds * 1000;
  }
  now(): number {
    return this.base.now() + this.offsetMs;
  }
  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
  setOffsetSeconds(seconds: number): void {
    this.offsetMs = seconds * 1000;
  }
  advanceSeconds(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
