import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, generateKeyPair, importX509, jwtVerify, SignJWT } from 'jose';
import { generateCertificate, type GeneratedCertificate } from '../../client/src/certificates/generate';
import { runCli } from './_cliCapture';

const CLIENT_ID = 'c'.repeat(64);
const CERT_ID = '-NPMnRyPg-WDW_kid';

interface Seen {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  form: Record<string, string>;
}

/** A minimal RFC 7523 token endpoint: verifies the assertion against the registered certificate, answers like NetSuite. */
async function startTokenEndpoint(cert: GeneratedCertificate): Promise<{ url: string; seen: Seen[]; issued: string[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const issued: string[] = [];
  const serverKeys = await generateKeyPair('RS256');
  const verifyKey = await importX509(cert.certificatePem, cert.algorithm);
  let url = '';
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void (async () => {
        const form = Object.fromEntries(new URLSearchParams(body));
        const reply = (status: number, json: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(json));
        };
        try {
          const header = decodeProtectedHeader(form.client_assertion ?? '') as Record<string, unknown>;
          if (form.grant_type !== 'client_credentials' || header.kid !== CERT_ID) return reply(400, { error: 'invalid_grant' });
          const { payload } = await jwtVerify(form.client_assertion!, verifyKey, { audience: url, issuer: CLIENT_ID });
          seen.push({ header, payload: payload as Record<string, unknown>, form });
          const accessToken = await new SignJWT({ scope: payload.scope, sub: '1234567;0;3;7;N' })
            .setProtectedHeader({ alg: 'RS256', kid: 'c.1234567.2026' })
            .setIssuedAt()
            .setExpirationTime('1h')
            .sign(serverKeys.privateKey);
          issued.push(accessToken);
          reply(200, { access_token: accessToken, expires_in: '3600', token_type: 'Bearer' });
        } catch {
          reply(400, { error: 'invalid_grant' });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`;
  return { url, seen, issued, close: () => new Promise((r) => server.close(() => r())) };
}

describe('suitebridge token --client-credentials', () => {
  let dir: string;
  let cert: GeneratedCertificate;
  let keyFile: string;
  let endpoint: Awaited<ReturnType<typeof startTokenEndpoint>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sbr-token-'));
    cert = await generateCertificate({ keyType: 'EC-P256' });
    keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, cert.privateKeyPem, { mode: 0o600 });
    endpoint = await startTokenEndpoint(cert);
  });
  afterAll(async () => {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const baseArgs = () => [
    'token', '--client-credentials', '--account', '1234567_SB1', '--client-id', CLIENT_ID,
    `--certificate-id=${CERT_ID}`, '--private-key', keyFile, '--scope', 'restlets,rest_webservices',
    '--token-url', endpoint.url, '--dangerously-allow-insecure-http',
  ];

  it('prints the access token from any conformant endpoint given --token-url (aud = that URL)', async () => {
    const { code, stdout, stderr } = await runCli(baseArgs());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(endpoint.issued.at(-1));
    const { header, payload, form } = endpoint.seen.at(-1)!;
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: CERT_ID });
    expect(payload).toMatchObject({ iss: CLIENT_ID, aud: endpoint.url, scope: ['restlets', 'rest_webservices'] });
    expect(payload.sub).toBeUndefined();
    expect(form.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('accepts a certificate ID starting with "-" as a separate argument too', async () => {
    const args = baseArgs().map((a) => (a === `--certificate-id=${CERT_ID}` ? '--certificate-id' : a));
    args.splice(args.indexOf('--certificate-id') + 1, 0, CERT_ID);
    expect((await runCli(args)).code).toBe(0);
  });

  it('--decode prints header and payload, never the signature or the token', async () => {
    const { code, stdout } = await runCli([...baseArgs(), '--decode']);
    expect(code).toBe(0);
    const token = endpoint.issued.at(-1)!;
    const [, , signature] = token.split('.');
    expect(stdout).not.toContain(token);
    expect(stdout).not.toContain(signature!);
    expect(stdout).toContain('"kid": "c.1234567.2026"');
    expect(stdout).toContain('"sub": "1234567;0;3;7;N"');
    expect(stdout).toMatch(/expires at \d{4}-/);
  });

  it('--json --decode gives machine-readable claims', async () => {
    const { stdout } = await runCli(['--json', ...baseArgs(), '--decode']);
    const out = JSON.parse(stdout) as { header: { alg: string }; payload: { scope: string[] }; scopes: string[] };
    expect(out.header.alg).toBe('RS256');
    expect(out.payload.scope).toEqual(['restlets', 'rest_webservices']);
    expect(out).not.toHaveProperty('accessToken');
  });

  it('--json without --decode includes the token, its type and expiry', async () => {
    const { stdout } = await runCli(['--json', ...baseArgs()]);
    expect(JSON.parse(stdout)).toMatchObject({ accessToken: endpoint.issued.at(-1), tokenType: 'Bearer', scopes: ['restlets', 'rest_webservices'] });
  });

  it('sends no sub unless --subject; --show-assertion prints the assertion claims on stderr without its signature', async () => {
    expect((await runCli([...baseArgs(), '--subject'])).code).toBe(0);
    expect(endpoint.seen.at(-1)!.payload.sub).toBe(endpoint.seen.at(-1)!.payload.iss);
    const { code, stderr } = await runCli([...baseArgs(), '--show-assertion']);
    expect(code).toBe(0);
    expect(endpoint.seen.at(-1)!.payload.sub).toBeUndefined();
    expect(stderr).toContain(`"kid": "${CERT_ID}"`);
    expect(stderr).toContain(`"aud": "${endpoint.url}"`);
    expect(stderr).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
  });

  it('a refused token exits 3 with likely causes and never echoes the assertion or key', async () => {
    const args = baseArgs().map((a) => (a === `--certificate-id=${CERT_ID}` ? '--certificate-id=WRONG-kid' : a));
    const { code, stderr, stdout } = await runCli(args);
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain('invalid_grant');
    expect(stderr).toMatch(/likely causes/);
    expect(stderr).not.toMatch(/eyJ/);
    expect(stderr).not.toContain(cert.privateKeyPem.split('\n')[1]!);
  });

  it('refuses plain http without the warning-named opt-in', async () => {
    const args = baseArgs().filter((a) => a !== '--dangerously-allow-insecure-http');
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(/plain http/);
  });

  it('requires --client-credentials', async () => {
    const { code, stderr } = await runCli(baseArgs().filter((a) => a !== '--client-credentials'));
    expect(code).toBe(2);
    expect(stderr).toContain('pass --client-credentials');
  });

  it('names a missing key file and warns about a shared one', async () => {
    const missing = await runCli(baseArgs().map((a) => (a === keyFile ? join(dir, 'nope.pem') : a)));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read --private-key');
    expect(missing.stderr).toContain('ENOENT');

    const shared = join(dir, 'shared.pem');
    writeFileSync(shared, cert.privateKeyPem);
    chmodSync(shared, 0o644);
    const warned = await runCli(baseArgs().map((a) => (a === keyFile ? shared : a)));
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('readable by other users');
  });

  it('rejects an invalid account ID before any request', async () => {
    const before = endpoint.seen.length;
    const { code, stderr } = await runCli(baseArgs().map((a) => (a === '1234567_SB1' ? 'evil.com/x' : a)));
    expect(code).toBe(2);
    expect(stderr).toContain('Invalid NetSuite account ID');
    expect(endpoint.seen.length).toBe(before);
  });
});
