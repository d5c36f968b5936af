import { KeyObject, createPrivateKey, sign as nodeSign, constants, webcrypto } from 'node:crypto';
import { ConfigurationError, ErrorCode } from './errors';

export type AssertionAlgorithm = 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';
export type RsaAssertionAlgorithm = 'PS256' | 'PS384' | 'PS512';

/** A private key ready to sign client assertions with the algorithm NetSuite accepts for it. */
export interface AssertionSigningKey {
  alg: AssertionAlgorithm;
  /** What the key is, for messages: "RSA 3072", "EC P-256". */
  description: string;
  /** Signed with jose's SignJWT. */
  cryptoKey?: CryptoKey;
  /** Fallback for RSA-PSS-OID keys WebCrypto cannot import: signs `header.payload`, returns base64url. */
  signCompact?: (signingInput: string) => string;
}

export type PrivateKeyInput = string | CryptoKey | KeyObject;

const RSA_SIZES = new Set([3072, 4096]);
const EC_ALGORITHMS: Record<string, AssertionAlgorithm> = {
  'P-256': 'ES256',
  prime256v1: 'ES256',
  'P-384': 'ES384',
  secp384r1: 'ES384',
  'P-521': 'ES512',
  secp521r1: 'ES512',
};
const WEBCRYPTO_CURVE: Record<AssertionAlgorithm, string> = {
  ES256: 'P-256',
  ES384: 'P-384',
  ES512: 'P-521',
  PS256: '',
  PS384: '',
  PS512: '',
};
const HASH: Record<AssertionAlgorithm, 'SHA-256' | 'SHA-384' | 'SHA-512'> = {
  PS256: 'SHA-256',
  PS384: 'SHA-384',
  PS512: 'SHA-512',
  ES256: 'SHA-256',
  ES384: 'SHA-384',
  ES512: 'SHA-512',
};

function keyError(message: string, remedy: string): ConfigurationError {
  return new ConfigurationError(ErrorCode.CERTIFICATE_ERROR, message, { field: 'privateKey', remedy });
}

const NEW_KEY_REMEDY = 'Generate a new key pair with `suitebridge cert new` (RSA 3072 or EC P-256) and upload its certificate.';

/** Reads a PEM / KeyObject / CryptoKey and picks PS256/384/512 or ES256/384/512. Never RS256. */
export async function loadAssertionKey(input: PrivateKeyInput, rsaAlgorithm?: RsaAssertionAlgorithm): Promise<AssertionSigningKey> {
  if (rsaAlgorithm !== undefined && !['PS256', 'PS384', 'PS512'].includes(rsaAlgorithm)) {
    throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `algorithm must be PS256, PS384 or PS512 for RSA keys (NetSuite rejects RS256).`, {
      field: 'algorithm',
    });
  }
  if (isCryptoKey(input)) return fromCryptoKey(input, rsaAlgorithm);
  const keyObject = input instanceof KeyObject ? input : parsePem(input);
  return fromKeyObject(keyObject, rsaAlgorithm);
}

// Duck-typed: CryptoKeys from another realm (a vm context, a test runner) fail instanceof.
function isCryptoKey(input: unknown): input is CryptoKey {
  if (typeof input !== 'object' || input === null || input instanceof KeyObject) return false;
  const candidate = input as Partial<CryptoKey>;
  return typeof candidate.type === 'string' && Array.isArray(candidate.usages) && typeof candidate.algorithm === 'object';
}

function parsePem(pem: string): KeyObject {
  if (typeof pem !== 'string' || pem.trim() === '') {
    throw keyError('privateKey is empty.', 'Pass the PEM text of the private key (the block headed BEGIN PRIVATE KEY).');
  }
  if (pem.includes('-----BEGIN CERTIFICATE-----') && !/PRIVATE KEY-----/.test(pem)) {
    throw keyError('privateKey holds a certificate, not a private key.', 'Pass the private key file; the certificate is what you upload to NetSuite.');
  }
  if (pem.includes('ENCRYPTED PRIVATE KEY') || pem.includes('Proc-Type: 4,ENCRYPTED')) {
    throw keyError('privateKey is passphrase-protected.', 'Decrypt it first (openssl pkey -in key.pem -out plain.pem) and keep the result private.');
  }
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    return key;
  } catch {
    throw keyError('privateKey is not a readable PEM private key (PKCS#8, PKCS#1 or SEC1).', 'Pass the PEM text of the private key, including the BEGIN/END lines.');
  }
}

function rsaAlg(bits: number, requested: RsaAssertionAlgorithm | undefined): RsaAssertionAlgorithm {
  if (!RSA_SIZES.has(bits)) {
    throw keyError(
      `RSA key of ${bits} bits: NetSuite accepts only RSA 3072 or 4096-bit keys (or EC P-256/P-384/P-521) for client credentials.`,
      NEW_KEY_REMEDY,
    );
  }
  return requested ?? 'PS256';
}

async function fromKeyObject(key: KeyObject, requested: RsaAssertionAlgorithm | undefined): Promise<AssertionSigningKey> {
  if (key.type !== 'private') throw keyError('privateKey is a public key.', 'Pass the private key, not the public key or certificate.');
  const details = key.asymmetricKeyDetails ?? {};
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      const alg = rsaAlg(bits, requested);
      const cryptoKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSA-PSS', hash: HASH[alg] }, false, ['sign']);
      return webCryptoSigner(cryptoKey, alg, `RSA ${bits}`);
    }
    case 'rsa-pss': {
      // Keys from `openssl genpkey -algorithm rsa-pss` carry their own OID that WebCrypto cannot import: sign with node:crypto.
      const bits = details.modulusLength ?? 0;
      const alg = rsaAlg(bits, requested);
      return nodePssSigner(key, alg, `RSA-PSS ${bits}`);
    }
    case 'ec': {
      const curve = details.namedCurve ?? 'unknown';
      const alg = EC_ALGORITHMS[curve];
      if (!alg) throw keyError(`EC key on curve ${curve}: NetSuite accepts only P-256, P-384 or P-521.`, NEW_KEY_REMEDY);
      if (requested !== undefined) {
        throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `algorithm ${requested} applies to RSA keys; this EC key signs ${alg}.`, {
          field: 'algorithm',
        });
      }
      const cryptoKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: WEBCRYPTO_CURVE[alg] }, false, ['sign']);
      return webCryptoSigner(cryptoKey, alg, `EC ${WEBCRYPTO_CURVE[alg]}`);
    }
    default:
      throw keyError(`${key.asymmetricKeyType ?? 'unknown'} keys are not accepted by NetSuite.`, NEW_KEY_REMEDY);
  }
}

async function fromCryptoKey(key: CryptoKey, requested: RsaAssertionAlgorithm | undefined): Promise<AssertionSigningKey> {
  if (key.type !== 'private' || !key.usages.includes('sign')) {
    throw keyError('privateKey must be a private CryptoKey with the "sign" usage.', 'Import the key with usages ["sign"].');
  }
  const algorithm = key.algorithm as { name: string; modulusLength?: number; hash?: { name: string }; namedCurve?: string };
  if (algorithm.name === 'RSA-PSS') {
    const bits = algorithm.modulusLength ?? 0;
    const hashAlg = ({ 'SHA-256': 'PS256', 'SHA-384': 'PS384', 'SHA-512': 'PS512' } as const)[algorithm.hash?.name as 'SHA-256'];
    rsaAlg(bits, undefined);
    if (!hashAlg) throw keyError(`RSA-PSS CryptoKey with hash ${algorithm.hash?.name}: use SHA-256, SHA-384 or SHA-512.`, NEW_KEY_REMEDY);
    if (requested !== undefined && requested !== hashAlg) {
      throw new ConfigurationError(ErrorCode.INVALID_ARGUMENT, `algorithm ${requested} does not match the CryptoKey's hash (${hashAlg}).`, {
        field: 'algorithm',
      });
    }
    return webCryptoSigner(key, hashAlg, `RSA ${bits}`);
  }
  if (algorithm.name === 'ECDSA') {
    const alg = EC_ALGORITHMS[algorithm.namedCurve ?? ''];
    if (!alg) throw keyError(`EC CryptoKey on curve ${algorithm.namedCurve}: NetSuite accepts only P-256, P-384 or P-521.`, NEW_KEY_REMEDY);
    return webCryptoSigner(key, alg, `EC ${algorithm.namedCurve}`);
  }
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' && key.extractable) {
    return fromKeyObject(KeyObject.from(key), requested);
  }
  throw keyError(
    `${algorithm.name} CryptoKey cannot sign an algorithm NetSuite accepts (RS256 is rejected since 2025-03-01).`,
    'Import the key as RSA-PSS (hash SHA-256) or ECDSA, or pass the PEM text.',
  );
}

function webCryptoSigner(key: CryptoKey, alg: AssertionAlgorithm, description: string): AssertionSigningKey {
  return { alg, description, cryptoKey: key };
}

function nodePssSigner(key: KeyObject, alg: AssertionAlgorithm, description: string): AssertionSigningKey {
  const hash = HASH[alg].replace('-', '').toLowerCase();
  const saltLength = Number(HASH[alg].slice(4)) / 8; // RFC 7518: salt length equals the hash length
  return {
    alg,
    description,
    signCompact: (input) =>
      nodeSign(hash, Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }).toString('base64url'),
  };
}
