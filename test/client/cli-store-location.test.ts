import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultStorePath, LEGACY_STORE_PATH, openStore, storePathOf } from '../../client/src/onboarding/cli/common';

describe('the CLI store lives in a per-user data directory, not the current directory', () => {
  it('XDG_DATA_HOME when it is absolute, else ~/.local/share; %APPDATA% on Windows', () => {
    expect(defaultStorePath({ XDG_DATA_HOME: '/data/me' }, 'linux', '/home/me')).toBe('/data/me/suitebridge/tokens.db');
    expect(defaultStorePath({ XDG_DATA_HOME: 'relative/dir' }, 'linux', '/home/me')).toBe('/home/me/.local/share/suitebridge/tokens.db');
    expect(defaultStorePath({}, 'darwin', '/Users/me')).toBe('/Users/me/.local/share/suitebridge/tokens.db');
    expect(defaultStorePath({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32', 'C:\\Users\\me')).toBe('C:\\Users\\me\\AppData\\Roaming\\suitebridge\\tokens.db');
    expect(defaultStorePath({}, 'win32', 'C:\\Users\\me')).toBe('C:\\Users\\me\\AppData\\Roaming\\suitebridge\\tokens.db');
  });

  describe('with a scratch home and working directory', () => {
    let dir: string;
    let cwd: string;
    let savedXdg: string | undefined;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'sbr-store-location-'));
      cwd = process.cwd();
      savedXdg = process.env.XDG_DATA_HOME;
      process.env.XDG_DATA_HOME = join(dir, 'data');
      mkdirSync(join(dir, 'work'));
      process.chdir(join(dir, 'work'));
    });
    afterEach(() => {
      process.chdir(cwd);
      if (savedXdg === undefined) delete process.env.XDG_DATA_HOME;
      else process.env.XDG_DATA_HOME = savedXdg;
      rmSync(dir, { recursive: true, force: true });
    });

    it('--store wins over SUITEBRIDGE_STORE, which wins over the default', () => {
      expect(storePathOf({ store: 'a.db' }, { SUITEBRIDGE_STORE: '/b.db' })).toBe(join(process.cwd(), 'a.db'));
      expect(storePathOf({}, { SUITEBRIDGE_STORE: '/b.db' })).toBe('/b.db');
      expect(storePathOf({}, { XDG_DATA_HOME: join(dir, 'data') })).toBe(join(dir, 'data', 'suitebridge', 'tokens.db'));
    });

    it('onboard creates the default store in the data directory (0700) and prints where', async () => {
      const expected = join(dir, 'data', 'suitebridge', 'tokens.db');
      const written = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await openStore({}, { create: true }).close();
        expect(written).toHaveBeenCalledWith(`note: creating a new token store at ${expected}\n`);
      } finally {
        written.mockRestore();
      }
      expect(existsSync(expected)).toBe(true);
      expect(statSync(join(dir, 'data', 'suitebridge')).mode & 0o777).toBe(0o700);
      expect(existsSync(join(dir, 'work', '.suitebridge'))).toBe(false);
    });

    it('a store an older CLI left in ./.suitebridge is still used', () => {
      mkdirSync(join(dir, 'work', '.suitebridge'));
      writeFileSync(join(dir, 'work', LEGACY_STORE_PATH), '');
      expect(storePathOf({}, { XDG_DATA_HOME: join(dir, 'data') })).toBe(join(process.cwd(), LEGACY_STORE_PATH));
    });
  });
});
