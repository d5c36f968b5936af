import { X509Certificate } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { expiryWarnings } from '../../certificates/expiry';
import { generateCertificate, MAX_VALIDITY_DAYS } from '../../certificates/generate';
import { inspectCertificatePem } from '../../certificates/inspect';
import { DEFAULT_KEY_TYPE, KEY_TYPES, keyTypeSpec, type CertificateKeyType } from '../../certificates/keyTypes';
import { ConfigurationError } from '../../errors';
import { ExitCode } from '../exitCodes';
import { printResult } from '../output';

interface CertNewFlags {
  keyType: string;
  outDir: string;
  commonName?: string;
  days: string;
  name?: string;
}

/** `suitebridge cert new`: a key and a self-signed certificate, ready to upload for the client credentials grant. */
export function registerCertCommand(program: Command): void {
  const cert = program.command('cert').description('Certificates for the client credentials (M2M) grant');
  cert
    .command('new')
    .description('Generate a private key and a self-signed X.509 certificate ready to upload to NetSuite')
    .option('--key-type <type>', `${Object.keys(KEY_TYPES).join(' | ')}`, DEFAULT_KEY_TYPE)
    .option('--out-dir <dir>', 'where to write the files', '.')
    .option('--common-name <cn>', 'certificate subject CN', 'SuiteBridge client credentials')
    .option('--days <n>', `validity in days, at most ${MAX_VALIDITY_DAYS} (NetSuite's 2-year limit)`, String(MAX_VALIDITY_DAYS))
    .option('--name <basename>', 'file name prefix (default suitebridge-<date>-<key type>)')
    .action(async (flags: CertNewFlags, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      await runCertNew(flags, json);
    });
  cert
    .command('check')
    .description('Show a certificate file\'s key, validity and expiry warning level (exit 6 when expired)')
    .argument('<certificate-file>', 'PEM certificate, e.g. the *.cert.pem written by `cert new`')
    .action(async (file: string, _flags: unknown, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      await runCertCheck(file, json);
    });
}

async function runCertCheck(file: string, json: boolean): Promise<void> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigurationError('INVALID_ARGUMENT', `Cannot read ${file} (${(err as { code?: string }).code ?? 'error'}).`, { field: '<certificate-file>' });
  }
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `${file} holds a private key; cert check reads the certificate file.`, {
      field: '<certificate-file>',
      remedy: 'Pass the *.cert.pem written next to the key by `suitebridge cert new`.',
    });
  }
  const summary = inspectCertificatePem(pem);
  const expiry = expiryWarnings(summary.notAfter, new Date());
  const result = {
    subject: summary.subject,
    key: summary.key,
    notBefore: summary.notBefore.toISOString(),
    notAfter: summary.notAfter.toISOString(),
    daysLeft: expiry.daysLeft,
    level: expiry.level,
    sha256Fingerprint: new X509Certificate(pem).fingerprint256,
  };
  printResult(json, result, () => [
    `${result.subject}: ${result.key}, valid ${result.notBefore.slice(0, 10)} to ${result.notAfter.slice(0, 10)}`,
    `SHA-256 fingerprint ${result.sha256Fingerprint}`,
    expiry.level === 'expired'
      ? `EXPIRED ${-expiry.daysLeft} days ago: generate a new one (suitebridge cert new) and upload it.`
      : expiry.level === 'ok'
        ? `${expiry.daysLeft} days left.`
        : `${expiry.daysLeft} days left (${expiry.level} warning): rotate it soon.`,
  ].join('\n'));
  if (expiry.level === 'expired') process.exitCode = ExitCode.CHECK_FAILED;
}

async function runCertNew(flags: CertNewFlags, json: boolean): Promise<void> {
  keyTypeSpec(flags.keyType);
  const keyType = flags.keyType as CertificateKeyType;
  const validityDays = parseDays(flags.days);
  if (flags.name !== undefined) checkBaseName(flags.name);
  const generated = await generateCertificate({
    keyType,
    validityDays,
    ...(flags.commonName !== undefined ? { commonName: flags.commonName } : {}),
  });
  const outDir = resolve(flags.outDir);
  const base = flags.name ?? `suitebridge-${generated.notBefore.toISOString().slice(0, 10).replace(/-/g, '')}-${keyType.toLowerCase()}`;
  checkBaseName(base);
  const keyFile = join(outDir, `${base}.key.pem`);
  const certificateFile = join(outDir, `${base}.cert.pem`);
  await mkdir(outDir, { recursive: true });
  await refuseExisting(keyFile);
  await refuseExisting(certificateFile);
  await writeNew(keyFile, generated.privateKeyPem, 0o600);
  await writeNew(certificateFile, generated.certificatePem, 0o644);

  const summary = {
    keyFile,
    certificateFile,
    keyType,
    algorithm: generated.algorithm,
    notBefore: generated.notBefore.toISOString(),
    notAfter: generated.notAfter.toISOString(),
    sha256Fingerprint: generated.sha256Fingerprint,
  };
  printResult(json, summary, () => nextSteps(summary));
}

function nextSteps(s: { keyFile: string; certificateFile: string; keyType: string; algorithm: string; notAfter: string; sha256Fingerprint: string }): string {
  return [
    `Wrote ${s.keyType} private key   ${s.keyFile} (mode 600: keep it secret, never upload it)`,
    `Wrote self-signed certificate  ${s.certificateFile} (valid until ${s.notAfter.slice(0, 10)})`,
    `SHA-256 fingerprint ${s.sha256Fingerprint}; assertions will be signed ${s.algorithm}.`,
    '',
    'Next steps:',
    '  1. In NetSuite: Setup > Integration > Manage Authentication > OAuth 2.0 Client Credentials (M2M) Setup > Create New.',
    `     Pick the entity, role and application, and upload ${s.certificateFile}.`,
    '     (Or upload it with CertificateApi.upload from the SuiteBridge library.)',
    '  2. Copy the Certificate ID NetSuite shows; it is the kid, not the fingerprint above.',
    '  3. Check that it works:',
    `     suitebridge token --client-credentials --account <ACCOUNT_ID> --client-id <CLIENT_ID> \\`,
    `       --certificate-id=<CERTIFICATE_ID> --private-key ${s.keyFile} --scope restlets,rest_webservices --decode`,
    `  4. NetSuite e-mails administrators 60, 30 and 14 days before ${s.notAfter.slice(0, 10)}; rotate before then.`,
  ].join('\n');
}

/** Checked for both files before writing either, so a refusal leaves nothing half-written. */
async function refuseExisting(path: string): Promise<void> {
  if (await exists(path)) throw alreadyExists(path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function writeNew(path: string, content: string, mode: number): Promise<void> {
  try {
    // 'wx' never follows or replaces an existing file; the mode applies at creation.
    await writeFile(path, content, { mode, flag: 'wx' });
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') throw alreadyExists(path);
    throw err;
  }
}

function alreadyExists(path: string): ConfigurationError {
  return new ConfigurationError('INVALID_ARGUMENT', `${path} already exists; not overwriting it.`, {
    field: '--name',
    remedy: 'Pick another --name or --out-dir, or move the old files away first.',
  });
}

function parseDays(value: string): number {
  const days = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new ConfigurationError('INVALID_ARGUMENT', `--days must be a whole number from 1 to ${MAX_VALIDITY_DAYS}, got ${JSON.stringify(value)}.`, {
      field: '--days',
      remedy: 'NetSuite accepts client-credentials certificates valid for at most 2 years (730 days).',
    });
  }
  return days;
}

function checkBaseName(base: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(base)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `--name must be a plain file name prefix (letters, digits, . _ -), got ${JSON.stringify(base)}.`, {
      field: '--name',
    });
  }
}
