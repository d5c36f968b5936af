import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { SystemStore } from '../data/systemStore';

/** The emulator's token-signing key. RS256 like every decoded Oracle sample; kept per data dir, never printed. */
export interface SigningKey {
  kid: string;
  alg: 'RS256';
  privateKey: CryptoKey | KeyObject;
  publicKey: KeyObject;
  jwk: JWK;
}

const META_KEY = 'signing-key-pkcs8';

export async function loadSigningKey(store: SystemStore): Promise<SigningKey> {
  let pkcs8 = store.getMeta(META_KEY);
  if (!pkcs8) {
    const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    pkcs8 = await exportPKCS8(pair.privateKey);
    store.setMeta(META_KEY, pkcs8);
  }
  const privateKey = await importPKCS8(pkcs8, 'RS256', { extractable: true });
  const publicKey = createPublicKey(pkcs8);
  // Oracle's decoded samples: c.<acct>.<YYYY-MM-DD_HH-MM-SS>.
  const kid = store.getMeta('signing-key-kid') ?? `c.EMULATOR.${new Date().toISOString().slice(0, 19).replace('T', '_').replace(/:/g, '-')}`;
  store.setMeta('signing-key-kid', kid);
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, alg: 'RS256', privateKey, publicKey, jwk };
}
