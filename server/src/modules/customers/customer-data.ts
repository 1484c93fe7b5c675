// Customers' personal data at rest: AES-256-GCM with a random 96-bit nonce per value, bound to the
// row and field it belongs to (associated data), so a ciphertext copied onto another customer's
// row does not decrypt. Phones are found through a keyed hash; display uses masks only.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DomainError } from '../../platform/http/errors.js';

const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** the two keys derived from CUSTOMER_DATA_KEY: one purpose each */
export class CustomerDataKeys {
  private readonly encryptionKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('the customer data key must be 32 bytes');
    this.encryptionKey = createHmac('sha256', masterKey).update('pinokio:customer-data:encryption').digest();
    this.lookupKey = createHmac('sha256', masterKey).update('pinokio:customer-data:phone-lookup').digest();
  }

  /** version (1) | nonce (12) | tag (16) | ciphertext */
  encrypt(plaintext: Uint8Array, context: string): Buffer {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.of(FORMAT_VERSION), nonce, cipher.getAuthTag(), body]);
  }

  /** throws when the value was altered, belongs to another context or another key */
  decrypt(sealed: Uint8Array, context: string): Buffer {
    const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (data.length < 1 + NONCE_BYTES + TAG_BYTES || data[0] !== FORMAT_VERSION) throw new Error('not a sealed customer value');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, data.subarray(1, 1 + NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(data.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  }

  encryptText(text: string, context: string): Buffer {
    return this.encrypt(Buffer.from(text, 'utf8'), context);
  }

  decryptText(sealed: Uint8Array, context: string): string {
    return this.decrypt(sealed, context).toString('utf8');
  }

  encryptEmbedding(embedding: Float32Array, context: string): Buffer {
    return this.encrypt(new Uint8Array(embedding.buffer, embedding.byteOffset, embedding.byteLength), context);
  }

  decryptEmbedding(sealed: Uint8Array, context: string): Float32Array {
    const bytes = this.decrypt(sealed, context);
    // copy into an aligned buffer of its own: Float32Array needs a multiple-of-4 offset
    const floats = new Float32Array(bytes.length / 4);
    new Uint8Array(floats.buffer).set(bytes);
    return floats;
  }

  /** the phone's lookup key within one store: a keyed hash, useless without CUSTOMER_DATA_KEY */
  phoneHash(storeId: string, phone: string): string {
    return createHmac('sha256', this.lookupKey).update(`${storeId.toLowerCase()}:${phone}`).digest('hex');
  }
}

/** the associated data of each encrypted field: the row and the field */
export const sealedField = {
  phone: (customerId: string) => `customer:${customerId}:phone`,
  name: (customerId: string) => `customer:${customerId}:name`,
  face: (customerId: string) => `customer:${customerId}:face`,
  heldAnalysis: (analysisId: string) => `analysis:${analysisId}:face`,
};

/**
 * A Korean mobile number as 11 digits ('01012345678'). Takes 010-1234-5678, 010 1234 5678,
 * 01012345678 and +82 10-1234-5678; anything else is invalid_phone.
 */
export function normalisePhone(input: string): string {
  let digits = input.trim().replace(/[\s\-.()]/g, '');
  if (digits.startsWith('+82')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0082')) digits = `0${digits.slice(4)}`;
  if (!/^010\d{8}$/.test(digits)) {
    throw new DomainError('invalid', 'invalid_phone', 'Enter a mobile number like 010-1234-5678.');
  }
  return digits;
}

export function phoneLast4(phone: string): string {
  return phone.slice(-4);
}

/** 010-****-5678 */
export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}-****-${phone.slice(-4)}`;
}

/** 김민수 -> 김*수, 김수 -> 김*, 남궁민수 -> 남**수: enough to recognise oneself, not to identify */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const letters = [...name];
  if (letters.length <= 1) return '*';
  if (letters.length === 2) return `${letters[0]}*`;
  return `${letters[0]}${'*'.repeat(letters.length - 2)}${letters[letters.length - 1]}`;
}

/** a display name: trimmed, 1 to 20 letters, no control characters */
export function cleanName(name: string | undefined | null): string | null {
  if (name === undefined || name === null) return null;
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length === 0) return null;
  // eslint-disable-next-line no-control-regex
  if ([...trimmed].length > 20 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new DomainError('invalid', 'invalid_name', 'A name can have at most 20 letters.');
  }
  return trimmed;
}
