import pino, { type Logger } from 'pino';
import { redact } from '../../client/src/redact';

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = /secret|password|private|token$|assertion/i.test(k) ? '[REDACTED]' : redactDeep(v);
    return out;
  }
  return value;
}

/** JSON logs (pino) with the project's redaction applied to every message and field. */
export function createServiceLogger(o: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      name: 'suitebridge-service',
      level: o.level ?? 'info',
      formatters: { log: (object) => redactDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    o.destination,
  );
}
