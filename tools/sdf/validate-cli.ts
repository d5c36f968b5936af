/**
 * npm run validate [-- --project <dir>] [--prefix sbr]
 * Offline validation of the SDF project: no account, no Java. Exits 1 when a rule reports an error; warnings are
 * printed to stdout and do not change the exit code.
 */
import path from 'node:path';
import { option, runCli } from './cli';
import { formatFinding, RULES, validateSdfProject } from './validate';

function main(args: string[]): number {
  if (args.includes('--help')) {
    console.log('usage: validate-cli [--project <dir, default src>] [--prefix <project prefix, default sbr>]\nrules:');
    for (const rule of RULES) console.log(`  ${rule.id}: ${rule.summary}`);
    return 0;
  }
  const projectDir = path.resolve(option(args, '--project') ?? 'src');
  const prefix = option(args, '--prefix');
  const result = validateSdfProject(projectDir, prefix === undefined ? {} : { prefix });
  const where = path.relative(process.cwd(), result.projectDir) || '.';
  for (const warning of result.warnings) console.log(`  ${formatFinding(warning)}`);
  const warned = result.warnings.length > 0 ? ` with ${result.warnings.length} warning(s) (printed above; they do not fail)` : '';
  if (result.ok) {
    console.log(`SDF project ${where}: ${result.rulesRun.length} rules passed${warned} (${result.rulesRun.join(', ')}).`);
    return 0;
  }
  console.error(`SDF project ${where}: ${result.errors.length} error(s)${warned}:`);
  for (const finding of result.errors) console.error(`  ${formatFinding(finding)}`);
  return 1;
}

runCli('validate', main);
