import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientSecretOf, CLIENT_SECRET_ENV, openStore } from '../../client/src/onboarding/cli/common';
import { runCli } from './_cliCapture';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sbr-cli-flags-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a mistyped --store is not silently created (issue 9 §7)', () => {
  it.each([['tenants', 'list'], ['tenants', 'show', 'acme'], ['restlet', 'get', '--tenant', 'acme', '--script', 's', '--deploy', 'd']])(
    '`%s %s` on a store that does not exist exits 2 and creates nothing',
    async (...args) => {
      const typo = join(dir, 'tokns.db');
      const run = await runCli([...args, '--store', typo]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`No token store at ${typo} (--store); nothing was created.`);
      expect(existsSync(typo)).toBe(false);
      expect(existsSync(`${typo}.key`)).toBe(false);
    },
  );

  it('onboard may create a store, but not in a directory that does not exist', async () => {
    expect(() => openStore({ store: join(dir, 'no-such-dir', 'tokens.db') }, { create: true })).toThrow(/does not exist; nothing was created/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
    const path = join(dir, 'tokens.db');
    const written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const store = openStore({ store: path }, { create: true });
      await store.close();
      expect(written).toHaveBeenCalledWith(`note: creating a new token store at ${path}\n`);
    } finally {
      written.mockRestore();
    }
    expect(existsSync(path)).toBe(true);
    await openStore({ store: path }).close();
  });
});

describe('the client secret can stay out of `ps` (issue 9 §7)', () => {
  const saved = process.env[CLIENT_SECRET_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[CLIENT_SECRET_ENV];
    else process.env[CLIENT_SECRET_ENV] = saved;
  });

  it('reads it from --client-secret-file or the environment, and warns when it comes from a flag', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'file-secret\n', { mode: 0o600 });
    expect(clientSecretOf({ clientSecretFile: file })).toBe('file-secret');
    process.env[CLIENT_SECRET_ENV] = 'env-secret';
    expect(clientSecretOf({})).toBe('env-secret');
    const written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(clientSecretOf({ clientSecret: 'flag-secret' })).toBe('flag-secret');
      expect(String(written.mock.calls[0]?.[0])).toMatch(/visible to other users in the process list/);
      expect(String(written.mock.calls[0]?.[0])).not.toContain('flag-secret');
    } finally {
      written.mockRestore();
    }
  });

  it('refuses two sources at once, an unreadable file and a multi-line file, without echoing the secret', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'line-one\nline-two\n');
    expect(() => clientSecretOf({ clientSecret: 'x', clientSecretFile: file })).toThrow(/both given/);
    expect(() => clientSecretOf({ clientSecretFile: join(dir, 'missing') })).toThrow(/cannot read .*ENOENT/);
    let message = '';
    try {
      clientSecretOf({ clientSecretFile: file });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/on one line/);
    expect(message).not.toContain('line-one');
  });

  it.each(['onboard', 'console'])('`%s --help` says where else the secret can come from', async (command) => {
    const help = await runCli([command, '--help']);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--client-secret-file <path>');
    expect(text).toContain(CLIENT_SECRET_ENV);
    expect(text).toMatch(/process list \(ps\)/);
  });
});
