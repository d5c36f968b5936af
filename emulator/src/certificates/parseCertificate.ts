import 'reflect-metadata';
import { X509Certificate as PeculiarCertificate } from '@peculiar/x509';
import { X509Certificate as NodeCertificate } from 'node:crypto';

export class CertificateRejected extends Error {
  constructor(message: string, readonly field = 'fileContent') {
    super(message);
    this.name = 'CertificateRejected';
  }
}

export interface ParsedCertificate {
  pem: string;
  /** "RSA" or "EC", as the list endpoint reports it. */
  algorithm: 'RSA' | 'EC';
  keyDescription: string;
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const ALLOWED_RSA_BITS = [3072, 4096];
const ALLOWED_CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** X.509 PEM only; RSA 3072/4096 or EC P-256/384/521 (Oracle's certificate conditions). */
export function parseCertificate(fileContent: unknown): ParsedCertificate {
  if (typeof fileContent !== 'string' || fileContent.trim() === '') {
    throw new CertificateRejected('fileContent must be the PEM text of an X.509 certificate ("-----BEGIN CERTIFICATE-----...").');
  }
  if (/PRIVATE KEY-----/.test(fileContent)) {
    throw new CertificateRejected('fileContent contains a private key. Upload only the public X.509 certificate and keep the private key secret.');
  }
  const blocks = fileContent.match(PEM_BLOCK) ?? [];
  if (blocks.length !== 1) throw new CertificateRejected('fileContent must contain exactly one PEM certificate block (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).');
  const pem = blocks[0] as string;
  let peculiar: PeculiarCertificate;
  let node: NodeCertificate;
  try {
    peculiar = new PeculiarCertificate(pem);
    node = new NodeCertificate(pem);
  } catch {
    throw new CertificateRejected('fileContent is not a valid X.509 certificate in PEM format.');
  }
  const key = node.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  let algorithm: 'RSA' | 'EC';
  let keyDescription: string;
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = details.modulusLength ?? 0;
    if (!ALLOWED_RSA_BITS.includes(bits)) throw new CertificateRejected(`RSA keys must be 3072 or 4096 bits; this certificate has a ${bits}-bit key. Generate a new key pair.`);
    algorithm = 'RSA';
    keyDescription = `RSA-${bits}`;
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = ALLOWED_CURVES[details.namedCurve ?? ''];
    if (!curve) throw new CertificateRejected(`EC keys must use P-256, P-384 or P-521; this certificate uses ${details.namedCurve ?? 'an unknown curve'}.`);
    algorithm = 'EC';
    keyDescription = `EC-${curve}`;
  } else {
    throw new CertificateRejected(`Unsupported key type ${key.asymmetricKeyType ?? 'unknown'}; use RSA (3072/4096) or EC (P-256/384/521).`);
  }
  return {
    pem, algorithm, keyDescription,
    fingerprint: node.fingerprint256.replace(/:/g, '').toLowerCase(),
    notBefore: peculiar.notBefore,
    notAfter: peculiar.notAfter,
  };
}
