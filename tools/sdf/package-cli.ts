/**
 * npm run package [-- --project <dir>] [--out <zip>]
 * Validates the SDF project, then writes dist/suitebridge-sdf.zip, the same content `suitecloud project:package`
 * would zip, without Java or an account.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSdfZip } from './package';
import { formatFinding, validateSdfProject } from './validate';

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

function main(args: string[]): number {
  const projectDir = path.resolve(option(args, '--project') ?? 'src');
  const out = path.resolve(option(args, '--out') ?? 'dist/suitebridge-sdf.zip');
  const validation = validateSdfProject(projectDir);
  if (!validation.ok) {
    console.error('package: the SDF project does not validate; fix these first (npm run validate):');
    for (const finding of validation.findings) console.error(`  ${formatFinding(finding)}`);
    return 1;
  }
  const { zip, files } = buildSdfZip(projectDir);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, zip);
  console.log(`wrote ${path.relative(process.cwd(), out)} (${files.length} files, ${zip.length} bytes):`);
  for (const file of files) console.log(`  ${file}`);
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(`package: ${(e as Error).message}`);
  process.exitCode = 2;
}
