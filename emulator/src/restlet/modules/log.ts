/** N/log (0 units). Entries below the deployment's log level are dropped, as NetSuite does. */
import type { ScriptContext } from '../context';
import type { HostLogEntry } from '../types';

type LogLevel = Exclude<HostLogEntry['level'], 'SYSTEM'>;
const ORDER: readonly LogLevel[] = ['DEBUG', 'AUDIT', 'ERROR', 'EMERGENCY'];

function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function entryArgs(titleOrOptions: unknown, details: unknown): { title: string; details: string } {
  if (titleOrOptions !== null && typeof titleOrOptions === 'object' && details === undefined) {
    const o = titleOrOptions as Record<string, unknown>;
    return { title: render(o['title']), details: render(o['details']) };
  }
  return { title: render(titleOrOptions), details: render(details) };
}

export function createLogModule(ctx: ScriptContext): Record<string, unknown> {
  const threshold = Math.max(0, ORDER.indexOf(ctx.logLevel as LogLevel));
  const writer = (level: LogLevel) => (titleOrOptions: unknown, details?: unknown) => {
    if (ORDER.indexOf(level) < threshold) return;
    const args = entryArgs(titleOrOptions, details);
    ctx.log(level, args.title, args.details);
  };
  return { debug: writer('DEBUG'), audit: writer('AUDIT'), error: writer('ERROR'), emergency: writer('EMERGENCY') };
}
