// Text messages through a JSON HTTP provider (docs/messaging.md): one POST per message to
// MESSAGING_URL, which a small gateway in front of an SMS or 알림톡 service can answer.
//
//   POST MESSAGING_URL
//   Authorization: Bearer MESSAGING_API_KEY      (when set)
//   Idempotency-Key: order_ready:<order id>
//   {"to": "01012345678", "text": "...", "sender": MESSAGING_SENDER, "idempotencyKey": "order_ready:<order id>"}
//
//   2xx {"messageId": "..."} (or {"id": "..."}): accepted. Anything else, or no answer within the
//   timeout, is a failure that is retried later with the same key.
import type { Messenger, TextMessage } from './messenger.js';

export interface HttpSmsSettings {
  url: string;
  apiKey: string | undefined;
  sender: string | undefined;
  timeoutMs: number;
}

/** a provider's refusal or silence; its message names the status, never the number or the text */
export class MessagingProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MessagingProviderError';
  }
}

export class HttpSmsMessenger implements Messenger {
  constructor(private readonly settings: HttpSmsSettings) {}

  async send(message: TextMessage): Promise<{ providerMessageId: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.settings.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: message.to, text: message.text, sender: this.settings.sender ?? null, idempotencyKey: message.idempotencyKey }),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      // the cause (a socket error) never carries the body; only its name and code are kept
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new MessagingProviderError(timedOut ? `no answer within ${this.settings.timeoutMs} ms` : `request failed${code ? ` (${code})` : ''}`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw new MessagingProviderError(`provider answered ${response.status}`, response.status);
    let id: unknown;
    try {
      const body = JSON.parse(text) as { messageId?: unknown; id?: unknown };
      id = body.messageId ?? body.id;
    } catch {
      // a 2xx without JSON is still an acceptance
    }
    return { providerMessageId: typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : 'accepted' };
  }

  async close(): Promise<void> {}
}
