import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

/** A long random secret for tokens and kiosk credentials (256 bits, URL-safe). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens with 256 bits of entropy need no slow hash: SHA-256 makes a stolen table useless. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Six digits from a cryptographic source. */
export function sixDigitCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Codes have little entropy: key their hash so a leaked table cannot be brute-forced offline. */
export function keyedHash(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}
