// "Your order is ready" by text message (docs/messaging.md). When an order becomes ready and its
// member consented, one notification is enqueued (unique per order and kind: never two), sent after
// that commit in the background, and retried with exponential back-off by a scheduled job when the
// provider fails. The order's status change never waits on the provider nor fails because of it.
// The phone is decrypted only to send, and never reaches a log line, an error or a stored field.
import type { Database } from '../../platform/db/database.js';
import type { MemberLanguage } from '../../platform/db/schema.js';
import type { Messenger } from '../../platform/messaging/messenger.js';
import { sealedField, type CustomerDataKeys } from '../customers/customer-data.js';
import { NotificationsRepository } from './notifications.repository.js';

export interface NotificationSettings {
  /** attempts before a notification is given up (status failed) */
  maxAttempts: number;
  /** the first retry's delay; each later one doubles it, up to an hour */
  retryBaseSeconds: number;
}

export interface NotificationLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** how long one attempt holds a notification before another instance may try it */
const ATTEMPT_LEASE_SECONDS = 120;
const MAX_RETRY_SECONDS = 3600;

export function readyText(language: MemberLanguage, storeName: string, orderNumber: number): string {
  return language === 'en'
    ? `[${storeName}] Your order is ready. Order number ${orderNumber}.`
    : `[${storeName}] 주문하신 메뉴가 준비되었어요. 주문번호 ${orderNumber}번`;
}

export class NotificationsService {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly messenger: Messenger,
    private readonly keys: CustomerDataKeys,
    private readonly settings: NotificationSettings,
    private readonly log: NotificationLog,
  ) {}

  /**
   * An order became ready: enqueue its notification when its member consents (once per order),
   * then send it in the background. Never throws; resolves once the notification is stored.
   */
  async orderReady(storeId: string, orderId: string): Promise<void> {
    let id: string | undefined;
    try {
      id = await new NotificationsRepository(this.db).enqueueOrderReady(storeId, orderId);
    } catch (error) {
      // the order is ready all the same; the notice is lost, and says so
      this.log.warn({ err: error, orderId }, 'ready notification not enqueued');
      return;
    }
    if (id !== undefined) this.inBackground(this.deliver(id));
  }

  /** the retry job: every due notification, one attempt each */
  async retryDue(limit = 100): Promise<number> {
    const due = await new NotificationsRepository(this.db).due(limit);
    for (const id of due) await this.deliver(id);
    return due.length;
  }

  /** one attempt at one notification; a failure is recorded for a later retry, never thrown */
  async deliver(id: string): Promise<void> {
    if (this.closed) return;
    const repository = new NotificationsRepository(this.db);
    const notification = await repository.claim(id, ATTEMPT_LEASE_SECONDS);
    if (!notification) return;
    const context = { notificationId: id, orderId: notification.orderId, attempt: notification.attempts };
    // asked at the moment of sending: a consent revoked after the order became ready still counts
    if (!notification.consent || notification.customerId === null || notification.phoneEncrypted === null) {
      await repository.markCancelled(id, 'no consent');
      this.log.info(context, 'ready notification cancelled: the member no longer consents');
      return;
    }
    try {
      const phone = this.keys.decryptText(notification.phoneEncrypted, sealedField.phone(notification.customerId));
      const { providerMessageId } = await this.messenger.send({
        to: phone,
        text: readyText(notification.language, notification.storeName, notification.orderNumber),
        idempotencyKey: `${notification.kind}:${notification.orderId}`,
      });
      await repository.markSent(id, providerMessageId);
      this.log.info({ ...context, providerMessageId }, 'ready notification sent');
    } catch (error) {
      const reason = describe(error);
      const retryIn =
        notification.attempts >= this.settings.maxAttempts
          ? null
          : Math.min(MAX_RETRY_SECONDS, this.settings.retryBaseSeconds * 2 ** (notification.attempts - 1));
      await repository.markAttemptFailed(id, reason, retryIn);
      this.log.warn(
        { ...context, reason, retryInSeconds: retryIn },
        retryIn === null ? 'ready notification given up' : 'ready notification failed; will retry',
      );
    }
  }

  /** waits for the sends under way; none start afterwards */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
  }

  private inBackground(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.log.warn({ err: describe(error) }, 'ready notification attempt failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }
}

/** an error as one short line: its name and message (providers' errors never carry the number) */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}
