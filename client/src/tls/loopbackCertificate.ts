import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import { x509 } from '../certificates/x509';

/**
 * A throwaway self-signed TLS certificate for a loopback listener (the OAuth callback, the local console).
 * NetSuite accepts only https:// redirect URIs, so a local callback must speak TLS; like other NetSuite CLIs we
 * make a certificate per run instead of shipping one. The browser warns once because nobody vouches for it.
 */
export interface LoopbackCertificate {
  /** PEM, for `https.createServer({ key, cert })`. Never logged or stored. */
  key: string;
  cert: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex, so a user can compare it with the browser's. */
  sha256Fingerprint: string;
}

const HOURS_VALID = 24;

/** EC P-256 key, valid 24 h, for 127.0.0.1, ::1 and localhost. */
export async function generateLoopbackCertificate(now: Date = new Date()): Promise<LoopbackCertificate> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = new Date(now.getTime() - 60_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: 'CN=SuiteBridge loopback (throwaway)',
    notBefore,
    notAfter: new Date(now.getTime() + HOURS_VALID * 3_600_000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ],
  });
  const digest = Buffer.from(await certificate.getThumbprint('SHA-256'));
  return {
    key: KeyObject.from(keys.privateKey).export({ format: 'pem', type: 'pkcs8' }) as string,
    cert: certificate.toString('pem') + '\n',
    sha256Fingerprint: digest.toString('hex').toUpperCase().match(/../g)!.join(':'),
  };
}
