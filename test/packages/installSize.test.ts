import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installSizeSection, nativePackages } from '../../bench/installSize';

describe('install-size bench section', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sb-native-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names packages that run an install script or ship a compiled addon', () => {
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({
      packages: { '': {}, 'node_modules/jose': {}, 'node_modules/better-sqlite3': { hasInstallScript: true } },
    }));
    mkdirSync(join(dir, 'node_modules', '@scope', 'addon', 'build'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '@scope', 'addon', 'build', 'addon.node'), '');
    mkdirSync(join(dir, 'node_modules', 'jose'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'jose', 'index.js'), '');
    expect(nativePackages(dir)).toEqual(['@scope/addon', 'better-sqlite3']);
  });

  it('finds none in a pure JavaScript install', () => {
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ packages: { '': {}, 'node_modules/jose': {} } }));
    mkdirSync(join(dir, 'node_modules', 'jose'), { recursive: true });
    expect(nativePackages(dir)).toEqual([]);
  });

  it('is left out when SUITEBRIDGE_BENCH_SKIP_INSTALL=1', () => {
    expect(installSizeSection({ SUITEBRIDGE_BENCH_SKIP_INSTALL: '1' })).toBe('');
  });
});
