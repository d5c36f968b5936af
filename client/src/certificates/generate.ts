import { randomBytes, webcrypto } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import { ConfigurationError } from '../errors';
import { DEFAULT_KEY_TYPE, keyTypeSpec, type CertificateAlgorithm, type CertificateKeyType } from './keyTypes';
import { x509 } from './x509';

/** NetSuite silently cuts longer certificates to 2 years; we refuse instead of surprising the caller. */
export const MAX_VALIDITY_DAYS = 730;
const DAY_MS = 86_400_000;
const MAX_COMMON_NAME_LENGTH = 64;

export interface GenerateCertificateOptions {
  /** Default RSA-3072. */
  keyType?: CertificateKeyType;
  /** Subject and issuer CN. Default "SuiteBridge client credentials". */
  commonName?: string;
  /** 1..730, default 730. */
  validityDays?: number;
  clock?: Clock;
}

export interface GeneratedCertificate {
  /** PKCS#8 PEM. Keep it secret; store it encrypted. */
  privateKeyPem: string;
  /** Self-signed X.509 PEM, ready to upload to NetSuite. */
  certificatePem: string;
  keyType: CertificateKeyType;
  /** What client assertions signed with this key use. */
  algorithm: CertificateAlgorithm;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (as openssl prints it). */
  sha256Fingerprint: string;
}

/** A key pair and a self-signed certificate NetSuite accepts for the client credentials grant. */
export async function generateCertificate(o: GenerateCertificateOptions = {}): Promise<GeneratedCertificate> {
  const keyType = o.keyType ?? DEFAULT_KEY_TYPE;
  const spec = keyTypeSpec(keyType);
  const validityDays = checkValidityDays(o.validityDays ?? MAX_VALIDITY_DAYS);
  const commonName = checkCommonName(o.commonName ?? 'SuiteBridge client credentials');
  const now = (o.clock ?? systemClock).now();
  // Whole seconds: X.509 times carry no milliseconds, so the Date fields match the certificate exactly.
  const notBefore = new Date(Math.floor(now / 1000) * 1000);
  const notAfter = new Date(notBefore.getTime() + validityDays * DAY_MS);

  const keys = (await webcrypto.subtle.generateKey(spec.generation, true, ['sign', 'verify'])) as CryptoKeyPair;
  const name = new x509.Name([{ CN: [commonName] }]);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name,
    notBefore,
    notAfter,
    signingAlgorithm: spec.generation,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'),
    certificatePem: certificate.toString('pem') + '\n',
    keyType,
    algorithm: spec.assertionAlgorithm,
    notBefore,
    notAfter,
    sha256Fingerprint: formatFingerprint(Buffer.from(await certificate.getThumbprint('SHA-256'))),
  };
}

export function formatFingerprint(digest: Buffer): string {
  return digest.toString('hex').toUpperCase().match(/../g)!.join(':');
}

/** Positive, 16 random bytes (RFC 5280 allows up to 20 octets). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function checkValidityDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALIDITY_DAYS) {
    throw new ConfigurationError('INVALID_ARGUMENT', `validityDays must be a whole number from 1 to ${MAX_VALIDITY_DAYS}, got ${String(days)}`, {
      field: 'validityDays',
      remedy: 'NetSuite accepts client-credentials certificates valid for at most 2 years (730 days); rotate before they expire.',
    });
  }
  return days;
}

function checkCommonName(cn: string): string {
  if (typeof cn !== 'string' || cn.trim() === '' || cn.length > MAX_COMMON_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(cn)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `commonName must be 1 to ${MAX_COMMON_NAME_LENGTH} printable characters`, {
      field: 'commonName',
    });
  }
  return cn.trim();
}
