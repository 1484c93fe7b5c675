// SmtpMailer against a real SMTP server (smtp-server) on loopback: no external service needed,
// so it runs in every mode.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { SmtpMailer } from '../../src/platform/mail/smtp-mailer.js';

interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

describe('SmtpMailer', () => {
  const received: ReceivedMail[] = [];
  let server: SMTPServer;
  let mailer: SmtpMailer;

  before(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onRcptTo(address, _session, callback) {
        callback(address.address === 'nobody@example.com' ? new Error('no such mailbox') : undefined);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const { mailFrom, rcptTo } = session.envelope;
          received.push({
            from: mailFrom ? mailFrom.address : undefined,
            to: rcptTo.map((recipient) => recipient.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.server.address() as AddressInfo;
    mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'Pinokio <no-reply@pinokio.local>');
  });

  after(async () => {
    await mailer.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers recipient, subject and text', async () => {
    await mailer.send({
      to: 'ada@example.com',
      subject: 'Your sign-in code',
      text: 'Your code is 482913. It expires in 10 minutes.',
    });
    assert.equal(received.length, 1);
    const [mail] = received;
    assert.equal(mail!.from, 'no-reply@pinokio.local');
    assert.deepEqual(mail!.to, ['ada@example.com']);
    assert.match(mail!.raw, /^Subject: Your sign-in code\r$/m);
    assert.match(mail!.raw, /^To: ada@example\.com\r$/m);
    assert.match(mail!.raw, /Your code is 482913\. It expires in 10 minutes\./);
  });

  it('fails when the server refuses the recipient', async () => {
    await assert.rejects(mailer.send({ to: 'nobody@example.com', subject: 'Lost', text: 'never delivered' }));
  });
});
