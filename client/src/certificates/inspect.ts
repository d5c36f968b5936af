import { ConfigurationError } from '../errors';
import { x509 } from './x509';

export interface CertificateSummary {
  /** "RSA 3072", "EC P-256". */
  key: string;
  notBefore: Date;
  notAfter: Date;
  subject: string;
}

const ACCEPTED_RSA_BITS = new Set([3072, 4096]);
const ACCEPTED_CURVES = new Set(['P-256', 'P-384', 'P-521']);

function certificateError(message: string, remedy: string): ConfigurationError {
  return new ConfigurationError('CERTIFICATE_ERROR', message, { field: 'certificatePem', remedy });
}

/**
 * Checks a PEM before it is uploaded: one X.509 certificate, no private key anywhere in the text,
 * and a key NetSuite accepts (RSA 3072/4096, EC P-256/384/521).
 */
export function inspectCertificatePem(pem: string): CertificateSummary {
  if (typeof pem !== 'string' || /PRIVATE KEY-----/.test(pem)) {
    throw certificateError(
      'The text to upload contains a private key; only the certificate may leave this machine.',
      'Pass the certificate PEM (-----BEGIN CERTIFICATE-----) and keep the key file private.',
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw certificateError('certificatePem is not a PEM certificate.', 'Pass the X.509 certificate PEM written by `suitebridge cert new`.');
  }
  let certificate: InstanceType<typeof x509.X509Certificate>;
  try {
    certificate = new x509.X509Certificate(pem);
  } catch {
    throw certificateError('certificatePem could not be parsed as an X.509 certificate.', 'Pass the PEM text including the BEGIN/END lines.');
  }
  const algorithm = certificate.publicKey.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
  const key = describeKey(algorithm);
  return { key, notBefore: certificate.notBefore, notAfter: certificate.notAfter, subject: certificate.subject };
}

function describeKey(algorithm: { name: string; modulusLength?: number; namedCurve?: string }): string {
  if (algorithm.name.startsWith('RSA')) {
    const bits = algorithm.modulusLength ?? 0;
    if (!ACCEPTED_RSA_BITS.has(bits)) {
      throw certificateError(`The certificate has an RSA ${bits}-bit key; NetSuite accepts only 3072 or 4096 bits.`, 'Generate a new one with `suitebridge cert new`.');
    }
    return `RSA ${bits}`;
  }
  if (algorithm.name === 'ECDSA' || algorithm.name === 'ECDH') {
    const curve = algorithm.namedCurve ?? 'unknown';
    if (!ACCEPTED_CURVES.has(curve)) {
      throw certificateError(`The certificate has an EC key on ${curve}; NetSuite accepts P-256, P-384 or P-521.`, 'Generate a new one with `suitebridge cert new --key-type EC-P256`.');
    }
    return `EC ${curve}`;
  }
  throw certificateError(`The certificate has a ${algorithm.name} key; NetSuite accepts RSA or EC keys only.`, 'Generate a new one with `suitebridge cert new`.');
}
