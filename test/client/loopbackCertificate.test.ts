import { createServer } from 'node:https';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import { generateLoopbackCertificate } from '../../client/src/tls/loopbackCertificate';

describe('generateLoopbackCertificate', () => {
  it('serves TLS on 127.0.0.1 that a client pinning the certificate accepts, with loopback names only', async () => {
    const tls = await generateLoopbackCertificate();
    const parsed = new X509Certificate(tls.cert);
    expect(parsed.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(parsed.subjectAltName).toContain('DNS:localhost');
    expect(parsed.fingerprint256).toBe(tls.sha256Fingerprint);
    expect(new Date(parsed.validTo).getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    const server = createServer({ key: tls.key, cert: tls.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, ca: tls.cert }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(text));
        }).on('error', reject).end();
      });
      expect(body).toBe('ok');
      // Without the pin the certificate is (rightly) untrusted.
      await expect(new Promise((resolve, reject) => request({ host: '127.0.0.1', port }, resolve).on('error', reject).end())).rejects.toThrow(/self[- ]signed/i);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('makes a new key every time', async () => {
    const [a, b] = await Promise.all([generateLoopbackCertificate(), generateLoopbackCertificate()]);
    expect(a.key).not.toBe(b.key);
    expect(a.sha256Fingerprint).not.toBe(b.sha256Fingerprint);
  });
});
