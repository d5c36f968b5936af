import { readFileSync } from 'node:fs';
import type { EmulatorConfig } from './types';
import { EmulatorConfigError, validateConfig } from './validate';

/** Reads a JSON file (or takes an object) and validates it; errors name the file and the exact path. */
export function loadConfig(source: EmulatorConfig | string | undefined): EmulatorConfig {
  if (source === undefined) return {};
  if (typeof source !== 'string') return validateConfig(source);
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (err) {
    throw new EmulatorConfigError([`config file ${source} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the --config path`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new EmulatorConfigError([`config file ${source} is not valid JSON ${describeJsonError(text, (err as Error).message)}; check the quotes, commas and brackets there`]);
  }
  return validateConfig(raw);
}

/**
 * Where the JSON broke and why, without the text around it: Node's message quotes that text, and a config
 * file holds passwords and client secrets.
 */
function describeJsonError(text: string, message: string): string {
  const reason = message
    .replace(/^Unexpected token '[\s\S]'/, 'unexpected character')
    .replace(/,\s*(?:\.\.\.)?"[\s\S]*$/, '')
    .replace(/\s+in JSON at position \d+[\s\S]*$/, '')
    .replace(/\s+at position \d+[\s\S]*$/, '')
    .replace(/^./, (c) => c.toLowerCase());
  const index = errorIndex(text, message);
  if (index === undefined) return `(${reason})`;
  const before = text.slice(0, index).split('\n');
  return `at line ${before.length}, column ${before[before.length - 1]!.length + 1} (${reason})`;
}

function errorIndex(text: string, message: string): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const quoted = /^Unexpected token '([\s\S])', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(message);
  if (!quoted) return text.length;
  const at = text.indexOf(quoted[2]!);
  return at < 0 ? undefined : at + Math.max(0, quoted[2]!.indexOf(quoted[1]!));
}
