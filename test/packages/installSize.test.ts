import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installSizeSection, nativePackages, repoCiTable } from '../../bench/installSize';

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

  it('prints the repository\'s npm ci (empty and warm cache) beside the vendor\'s core install', () => {
    const table = repoCiTable(
      { seconds: 5.04, bytes: 3.5 * 1024 * 1024, packages: 25, native: [], requireMs: 400 },
      { coldSeconds: 34.3, warmSeconds: 26.5, bytes: 158 * 1024 * 1024, packages: 828 },
    ).split('\n');
    expect(table).toHaveLength(5);
    expect(table[2]).toMatch(/^\| Vendor: npm install <suitebridge tarball>, empty cache +\| 5\.0 s +\| 3\.50 MB +\| 25 +\|$/);
    expect(table[3]).toMatch(/^\| Repository: npm ci --ignore-scripts, empty cache +\| 34\.3 s +\| 158\.00 MB +\| 828 +\|$/);
    expect(table[4]).toMatch(/^\| Repository: npm ci --ignore-scripts, warm cache +\| 26\.5 s +\| 158\.00 MB +\| 828 +\|$/);
  });

  it('is left out when SUITEBRIDGE_BENCH_SKIP_INSTALL=1', () => {
    expect(installSizeSection({ SUITEBRIDGE_BENCH_SKIP_INSTALL: '1' })).toBe('');
  });
});
