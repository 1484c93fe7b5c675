// Outgoing text messages (SMS / 알림톡): kept in an outbox by default (readable at /dev/messages),
// a JSON HTTP provider when MESSAGING_URL is set (docs/messaging.md).

export interface TextMessage {
  /** a Korean mobile number, 11 digits (01012345678); never logged */
  to: string;
  text: string;
  /** the same key is the same message: a provider sends it once however often it is asked */
  idempotencyKey: string;
}

export interface Messenger {
  /** sends (or accepts for sending) the message; resolves to the provider's message id, rejects on failure */
  send(message: TextMessage): Promise<{ providerMessageId: string }>;
  close(): Promise<void>;
}

/** 010-****-5678: all a log line, a page or an error may show of a number */
export function maskNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 8 ? `${digits.slice(0, 3)}-****-${digits.slice(-4)}` : '***';
}
