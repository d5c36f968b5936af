import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../../client/src/errors';

/** PEM certificate (chain) and private key for the service's own HTTPS listener. */
export interface ServiceTls {
  cert: string | Buffer;
  key: string | Buffer;
}

/**
 * Refuses, before anything listens, a certificate or key that cannot serve: only one of the two, not PEM, a key that
 * is not the certificate's, or a certificate outside its validity. Messages name the file, never its content.
 */
export function checkServiceTls(tls: Partial<ServiceTls>, names: { cert: string; key: string } = { cert: 'tls.cert', key: 'tls.key' }, now: Date = new Date()): ServiceTls {
  if (!tls.cert || !tls.key) {
    const missing = tls.cert ? names.key : names.cert;
    throw new ConfigurationError('INVALID_ARGUMENT', `${names.cert} and ${names.key} go together; ${missing} is missing.`, {
      field: missing,
      remedy: `Pass both the certificate (PEM) and its private key (PEM), or neither to serve plain http behind a TLS-terminating proxy.`,
    });
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(tls.cert);
  } catch {
    throw new ConfigurationError('CERTIFICATE_ERROR', `${names.cert} is not a PEM certificate.`, { field: names.cert, remedy: 'Give the server certificate in PEM ("-----BEGIN CERTIFICATE-----"), followed by its intermediates if any.' });
  }
  let key;
  try {
    key = createPrivateKey(tls.key);
  } catch {
    throw new ConfigurationError('CERTIFICATE_ERROR', `${names.key} is not an unencrypted PEM private key.`, { field: names.key, remedy: 'Give the private key as unencrypted PEM (PKCS#8, or the RSA or EC form), without a passphrase.' });
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new ConfigurationError('CERTIFICATE_ERROR', `${names.key} is not the private key of ${names.cert}.`, { field: names.key, remedy: 'Pass the key the certificate was issued for.' });
  }
  if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) {
    throw new ConfigurationError('CERTIFICATE_ERROR', `${names.cert} is valid from ${certificate.validFrom} to ${certificate.validTo}, not now.`, { field: names.cert, remedy: 'Renew the certificate.' });
  }
  return { cert: tls.cert, key: tls.key };
}

/** Reads and checks `--tls-cert` / `--tls-key`. */
export function loadServiceTls(files: { certFile?: string; keyFile?: string }, names = { cert: '--tls-cert', key: '--tls-key' }): ServiceTls | undefined {
  if (!files.certFile && !files.keyFile) return undefined;
  const read = (path: string | undefined, flag: string) => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigurationError('INVALID_ARGUMENT', `${flag} ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { field: flag, remedy: 'Check the path and that this user may read the file.' });
    }
  };
  const cert = read(files.certFile, names.cert);
  const key = read(files.keyFile, names.key);
  return checkServiceTls({ ...(cert ? { cert } : {}), ...(key ? { key } : {}) }, names);
}
