// Outgoing mail: kept in an outbox by default (readable at /dev/outbox), SMTP at scale.

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}
