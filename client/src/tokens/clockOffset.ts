import type { Clock } from '../clock';
import { ConfigurationError, ErrorCode } from '../errors';
import type { DateObservation } from './tokenEndpoint';

export interface ClockOffsetOptions {
  /**
   * Seconds to add to the local clock when stamping assertions (`iat`, `exp`), like oauth4webapi's `clockSkew`:
   * positive when the local clock is behind NetSuite's. Used until a token response's Date header has been
   * measured (or always, with `measureClockOffset: false`). Default 0.
   */
  clockSkewSeconds?: number;
  /** Measure the offset from the Date header of token-endpoint answers. Default true. */
  measureClockOffset?: boolean;
  /** A measured offset is capped at this many seconds either way (a wrong Date cannot move iat further). Default 3600. */
  maxClockOffsetSeconds?: number;
}

/**
 * NetSuite's idea of "now" as seen from this process: the local clock plus an offset measured from the Date
 * header of token responses (bounded), or the configured `clockSkewSeconds` until one was seen.
 */
export class ClockOffset implements Clock {
  private readonly configuredMs: number;
  private readonly measure: boolean;
  private readonly maxMs: number;
  private measuredMs: number | undefined;

  constructor(
    private readonly local: Clock,
    options: ClockOffsetOptions = {},
  ) {
    const skew = options.clockSkewSeconds ?? 0;
    if (!Number.isFinite(skew)) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'clockSkewSeconds must be a finite number of seconds.', {
        field: 'clockSkewSeconds',
        remedy: 'Pass e.g. 300 when the local clock runs 5 minutes behind NetSuite, or leave it out to measure it.',
      });
    }
    const max = options.maxClockOffsetSeconds ?? 3600;
    if (!Number.isFinite(max) || max < 0) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, 'maxClockOffsetSeconds must be a non-negative number.', {
        field: 'maxClockOffsetSeconds',
      });
    }
    this.configuredMs = skew * 1000;
    this.measure = options.measureClockOffset ?? true;
    this.maxMs = max * 1000;
  }

  /** Milliseconds added to the local clock. */
  get offsetMs(): number {
    return this.measuredMs ?? this.configuredMs;
  }

  now(): number {
    return this.local.now() + this.offsetMs;
  }

  /** Learns the offset from an answer's Date header (stamped between sending and receiving). */
  observe(observation: DateObservation): void {
    if (!this.measure || observation.date === null) return;
    const server = Date.parse(observation.date);
    if (Number.isNaN(server)) return;
    // Date is truncated to the second and was written before the answer arrived, so Date - receivedAt never
    // exceeds the true offset: corrected times may lag NetSuite's by about a second, but are never in its future
    // (NetSuite may refuse an assertion issued in the future; one a second old is fine).
    const raw = server - observation.receivedAt;
    this.measuredMs = Math.round(Math.max(-this.maxMs, Math.min(this.maxMs, raw)));
  }
}
