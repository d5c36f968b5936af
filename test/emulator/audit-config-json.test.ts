import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../emulator/src/config/load';
import { EmulatorConfigError } from '../../emulator/src/config/validate';

/** Node's JSON.parse messages quote the text around the error; a config file holds passwords and client secrets. */
function loadError(text: string): EmulatorConfigError {
  const file = join(mkdtempSync(join(tmpdir(), 'sb-audit-config-')), 'emulator.json');
  writeFileSync(file, text);
  try {
    loadConfig(file);
  } catch (err) {
    if (err instanceof EmulatorConfigError) return err;
    throw err;
  }
  throw new Error('expected an EmulatorConfigError');
}

describe('audit: a config file that is not JSON', () => {
  it.each([
    ['an unquoted password', '{\n  "accounts": [{ "accountId": "1234567",\n    "employees": [{ "entityId": 3, "name": "A", "email": "a@example.com", "password": hunter2-Correct-Horse }] }]\n}\n', 'hunter2'],
    ['a client secret followed by a bad token', '{"integrations": [{"name": "a", "accountId": "1234567", "clientSecret": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" }}', '0123456789abcdef'],
  ])('with %s names the file and the line, never the text around it', (_what, text, secret) => {
    const err = loadError(text);
    expect(err.message).not.toContain(secret.slice(0, 6));
    expect(err.message).toContain('emulator.json');
    expect(err.message).toMatch(/not valid JSON/);
    expect(err.message).toMatch(/line \d+/);
  });
});
