import { ConfigurationError } from '../errors';

export type CertificateKeyType = 'RSA-3072' | 'RSA-4096' | 'EC-P256' | 'EC-P384' | 'EC-P521';
export type CertificateAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

export interface KeyTypeSpec {
  /** WebCrypto parameters for key generation and the certificate's self-signature. */
  generation: RsaHashedKeyGenParams | (EcKeyGenParams & { hash: string });
  /** What the private key signs client assertions with. RSA keys sign RSASSA-PSS, never RS256. */
  assertionAlgorithm: CertificateAlgorithm;
}

const RSA_EXPONENT = new Uint8Array([1, 0, 1]);

export const KEY_TYPES: Readonly<Record<CertificateKeyType, KeyTypeSpec>> = {
  'RSA-3072': {
    generation: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 3072, publicExponent: RSA_EXPONENT },
    assertionAlgorithm: 'PS256',
  },
  'RSA-4096': {
    generation: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 4096, publicExponent: RSA_EXPONENT },
    assertionAlgorithm: 'PS256',
  },
  'EC-P256': { generation: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }, assertionAlgorithm: 'ES256' },
  'EC-P384': { generation: { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' }, assertionAlgorithm: 'ES384' },
  'EC-P521': { generation: { name: 'ECDSA', namedCurve: 'P-521', hash: 'SHA-512' }, assertionAlgorithm: 'ES512' },
};

export const DEFAULT_KEY_TYPE: CertificateKeyType = 'RSA-3072';

export function isCertificateKeyType(value: string): value is CertificateKeyType {
  return Object.prototype.hasOwnProperty.call(KEY_TYPES, value);
}

export function keyTypeSpec(value: string): KeyTypeSpec {
  if (!isCertificateKeyType(value)) {
    throw new ConfigurationError('INVALID_ARGUMENT', `Unknown key type ${JSON.stringify(value)}: use one of ${Object.keys(KEY_TYPES).join(', ')}`, {
      field: 'keyType',
      remedy: 'NetSuite accepts RSA 3072/4096 and EC P-256/P-384/P-521 keys; RSA-3072 is the default.',
    });
  }
  return KEY_TYPES[value];
}
