/**
 * npm run package [-- --project <dir>] [--out <zip>]
 * Validates the SDF project, then writes dist/suitebridge-sdf.zip, the same content `suitecloud project:package`
 * would zip, without Java or an account.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { option, runCli } from './cli';
import { buildSdfZip } from './package';
import { formatFinding, validateSdfProject } from './validate';

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

runCli('package', main);
