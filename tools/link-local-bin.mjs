// npm links the bins of dependencies into node_modules/.bin, never the root package's own. Without this link
// `npx suitebridge` in a fresh clone would look the name up in the registry instead of running bin/suitebridge.js.
import { mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'suitebridge');
const target = relative(binDir, join(root, 'bin', 'suitebridge.js'));

mkdirSync(binDir, { recursive: true });
let current;
try {
  current = readlinkSync(link);
} catch {
  current = undefined;
}
if (current !== target) {
  rmSync(link, { force: true });
  symlinkSync(target, link);
}
