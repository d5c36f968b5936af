import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { PeerCertificate } from 'node:tls';

/**
 * GET over HTTPS trusting exactly one certificate: the throwaway one of our own loopback callback server.
 * It is the only CA for this request and its SHA-256 fingerprint must match; nothing is relaxed process-wide.
 */
export function pinnedGet(url: string, certificatePem: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  const expected = new X509Certificate(certificatePem).fingerprint256;
  const target = new URL(url);
  if (target.protocol !== 'https:') return Promise.reject(new Error(`pinnedGet needs an https URL, got ${target.protocol}`));
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        ca: certificatePem,
        timeout: timeoutMs,
        headers: { accept: 'text/html' },
        checkServerIdentity: (_host: string, cert: PeerCertificate) =>
          cert.fingerprint256 === expected ? undefined : new Error(`The callback server presented certificate ${cert.fingerprint256}, not the pinned ${expected}.`),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 65_536) body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer from ${target.origin} within ${timeoutMs} ms.`)));
    req.on('error', reject);
    req.end();
  });
}
