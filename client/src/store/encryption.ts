import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ErrorCode, StoreError } from '../errors';

const FORMAT_V1 = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_BYTES = 32;

/**
 * AES-256-GCM with a random 96-bit IV per value. The row key is bound as additional data, so a ciphertext
 * copied to another row fails to decrypt. Layout: version(1) | iv(12) | tag(16) | ciphertext.
 */
export function encryptValue(secretKey: Buffer, rowKey: string, plaintext: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', secretKey, iv);
  cipher.setAAD(Buffer.from(rowKey, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
}

export function decryptValue(secretKey: Buffer, rowKey: string, blob: Buffer): string {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_V1) {
    throw new StoreError(ErrorCode.DECRYPTION_FAILED, `Stored value for "${rowKey}" is not in SuiteBridge's encrypted format.`, {
      remedy: 'The store file was written by something else or is corrupt; restore it from a backup or delete the row.',
    });
  }
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const body = blob.subarray(1 + IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', secretKey, iv);
    decipher.setAAD(Buffer.from(rowKey, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch (err) {
    throw wrongKeyError(err);
  }
}

export function wrongKeyError(cause?: unknown): StoreError {
  return new StoreError(ErrorCode.DECRYPTION_FAILED, 'The token store cannot be decrypted with this key.', {
    cause,
    remedy: 'Use the SUITEBRIDGE_SECRET_KEY (or key file) the store was created with; nothing was changed.',
  });
}
