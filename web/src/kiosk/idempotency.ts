// One Idempotency-Key per checkout attempt: a retry of the very same order (after a network
// failure) sends the same key, so the server answers the order it may already have placed
// instead of placing a second one; any change to the order gets a new key.

/** a random key; crypto.getRandomValues works on plain http too, unlike crypto.randomUUID */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `kiosk-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

export class CheckoutAttempts {
  private last: { signature: string; key: string } | undefined;

  /** the key for this request body: the previous one when the body is the same */
  keyFor(body: unknown): string {
    const signature = JSON.stringify(body);
    if (this.last?.signature !== signature) this.last = { signature, key: newIdempotencyKey() };
    return this.last.key;
  }

  /** after an answer that settles the attempt (success, or a refusal that changes the cart) */
  reset(): void {
    this.last = undefined;
  }
}
