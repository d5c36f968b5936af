import 'reflect-metadata';
import { X509CertificateGenerator } from '@peculiar/x509';
import { SignJWT, exportPKCS8 } from 'jose';
import { webcrypto } from 'node:crypto';
import { randomUUID } from 'node:crypto';

export type KeySpec = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'EC-P256' | 'EC-P384' | 'EC-P521';

export interface TestCertificate { pem: string; privateKey: CryptoKey; privateKeyPem: string; alg: string }

function algorithmFor(spec: KeySpec): { gen: RsaHashedKeyGenParams | EcKeyGenParams; sign: Algorithm | EcdsaParams; alg: string } {
  if (spec.startsWith('RSA')) {
    const bits = Number(spec.slice(4));
    return { gen: { name: 'RSA-PSS', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } as Algorithm, alg: 'PS256' };
  }
  const curve = `P-${spec.slice(4)}`;
  const hash = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' }[curve] as string;
  return { gen: { name: 'ECDSA', namedCurve: curve }, sign: { name: 'ECDSA', hash } as EcdsaParams, alg: { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[curve] as string };
}

/** A self-signed certificate of the given key type; `days` of validity from `notBefore`. */
export async function makeCertificate(spec: KeySpec = 'EC-P256', o: { notBefore?: Date; days?: number } = {}): Promise<TestCertificate> {
  const { gen, sign, alg } = algorithmFor(spec);
  const keys = (await webcrypto.subtle.generateKey(gen, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = o.notBefore ?? new Date(Date.UTC(2026, 10, 1));
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: randomUUID().replace(/-/g, '').slice(0, 16),
    name: `CN=suitebridge-test-${randomUUID().slice(0, 8)}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (o.days ?? 365) * 86400_000),
    keys,
    signingAlgorithm: sign,
  }, webcrypto as unknown as Crypto);
  return { pem: cert.toString('pem'), privateKey: keys.privateKey, privateKeyPem: await exportPKCS8(keys.privateKey), alg };
}

/** A client assertion; every field can be overridden to break exactly one rule. */
export async function assertion(o: {
  privateKey: CryptoKey; alg: string; kid: string; clientId: string; aud: string; scope?: unknown; nowSeconds: number;
  lifetime?: number; iat?: number; typ?: string; headerAlg?: string; extraClaims?: Record<string, unknown>;
}): Promise<string> {
  const iat = o.iat ?? o.nowSeconds;
  const claims: Record<string, unknown> = { scope: o.scope === undefined ? ['restlets', 'rest_webservices'] : o.scope, ...o.extraClaims };
  if (claims.scope === null) delete claims.scope;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.headerAlg ?? o.alg, typ: o.typ ?? 'JWT', kid: o.kid })
    .setIssuer(o.clientId)
    .setAudience(o.aud)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (o.lifetime ?? 300))
    .setJti(randomUUID())
    .sign(o.privateKey);
}
