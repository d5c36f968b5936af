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
    throw new EmulatorConfigError([`config file ${source} is not valid JSON: ${(err as Error).message}`]);
  }
  return validateConfig(raw);
}
