import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificate } from '../../client/src/certificates/generate';
import { runCli } from './_cliCapture';

describe('suitebridge cert new', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-cert-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an RSA 3072 key (mode 600) and a matching certificate, and prints next steps without the key', async () => {
    const { code, stdout, stderr } = await runCli(['cert', 'new', '--out-dir', dir, '--name', 'acme', '--common-name', 'Acme M2M']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const keyFile = join(dir, 'acme.key.pem');
    const certFile = join(dir, 'acme.cert.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = createPrivateKey(readFileSync(keyFile, 'utf8'));
    const cert = new X509Certificate(readFileSync(certFile, 'utf8'));
    expect(cert.checkPrivateKey(key)).toBe(true);
    expect(cert.subject).toBe('CN=Acme M2M');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(stdout).toContain('Next steps');
    expect(stdout).toContain('OAuth 2.0 Client Credentials (M2M) Setup');
    expect(stdout).toContain('suitebridge token --client-credentials');
    expect(stdout).toContain(cert.fingerprint256);
    expect(stdout).not.toContain('PRIVATE KEY');
  });

  it('supports --key-type, --days and --json', async () => {
    const { code, stdout } = await runCli(['--json', 'cert', 'new', '--out-dir', dir, '--key-type', 'EC-P384', '--days', '90']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Record<string, string>;
    expect(summary).toMatchObject({ keyType: 'EC-P384', algorithm: 'ES384' });
    expect(summary.keyFile).toMatch(/suitebridge-\d{8}-ec-p384\.key\.pem$/);
    const cert = new X509Certificate(readFileSync(summary.certificateFile!, 'utf8'));
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime()).toBe(90 * 86_400_000);
    expect(JSON.stringify(summary)).not.toContain('PRIVATE KEY');
  });

  it.each([
    [['--days', '731'], /--days must be a whole number from 1 to 730/],
    [['--days', 'ten'], /--days must be/],
    [['--key-type', 'RSA-2048'], /Unknown key type "RSA-2048"/],
    [['--name', '../evil'], /--name must be a plain file name/],
  ])('refuses %j with a usage error and writes nothing', async (flags, message) => {
    const { code, stderr } = await runCli(['cert', 'new', '--out-dir', dir, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never overwrites existing files', async () => {
    writeFileSync(join(dir, 'acme.cert.pem'), 'old');
    const { code, stderr } = await runCli(['cert', 'new', '--out-dir', dir, '--name', 'acme', '--key-type', 'EC-P256']);
    expect(code).toBe(2);
    expect(stderr).toContain('already exists');
    expect(readdirSync(dir)).toEqual(['acme.cert.pem']);
    expect(readFileSync(join(dir, 'acme.cert.pem'), 'utf8')).toBe('old');
  });
});

describe('suitebridge cert check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-check-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shows key, validity, fingerprint and days left', async () => {
    await runCli(['cert', 'new', '--out-dir', dir, '--name', 'c', '--key-type', 'EC-P256', '--days', '20']);
    const { code, stdout } = await runCli(['--json', 'cert', 'check', join(dir, 'c.cert.pem')]);
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ key: 'EC P-256', level: '30d', subject: 'CN=SuiteBridge client credentials' });
    expect([19, 20]).toContain(out.daysLeft);
    expect(out.sha256Fingerprint).toBe(new X509Certificate(readFileSync(join(dir, 'c.cert.pem'))).fingerprint256);
  });

  it('exits 6 for an expired certificate', async () => {
    const old = await generateCertificate({ keyType: 'EC-P256', validityDays: 10, clock: { now: () => Date.UTC(2020, 0, 1) } });
    writeFileSync(join(dir, 'old.pem'), old.certificatePem);
    const { code, stdout } = await runCli(['cert', 'check', join(dir, 'old.pem')]);
    expect(code).toBe(6);
    expect(stdout).toContain('EXPIRED');
  });

  it('refuses a private key file without echoing it', async () => {
    await runCli(['cert', 'new', '--out-dir', dir, '--name', 'k', '--key-type', 'EC-P256']);
    const key = readFileSync(join(dir, 'k.key.pem'), 'utf8');
    const { code, stderr } = await runCli(['cert', 'check', join(dir, 'k.key.pem')]);
    expect(code).toBe(2);
    expect(stderr).toContain('holds a private key; cert check reads the certificate file');
    expect(stderr).toContain('*.cert.pem');
    expect(stderr).not.toContain(key.split('\n')[1]!);
  });
});
