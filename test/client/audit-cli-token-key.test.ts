import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './_cliCapture';

/** `suitebridge token` with a key file that is not a private key: a usage error naming the flag, before any request. */
describe('audit: token --private-key with an unusable file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-audit-key-'));
  const args = (keyFile: string) => [
    'token', '--client-credentials', '--account', '1234567', '--client-id', 'c'.repeat(64), '--certificate-id', 'cert1',
    '--private-key', keyFile, '--scope', 'restlets', '--base-url', 'http://127.0.0.1:9', '--dangerously-allow-insecure-http',
  ];

  it.each([
    ['mangled PEM', '-----BEGIN PRIVATE KEY-----\nnot-base64!!\n-----END PRIVATE KEY-----\n'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'],
  ])('%s', async (name, content) => {
    const file = join(dir, `${name.replace(/\W/g, '_')}.pem`);
    writeFileSync(file, content);
    chmodSync(file, 0o600);
    const { code, stderr } = await runCli(args(file));
    expect(code).toBe(2);
    expect(stderr).toContain('--private-key');
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/fix: /);
    expect(stderr).not.toContain('not-base64');
  });
});
