// Liveness, readiness and the developer's outbox.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Cache } from '../../platform/cache/cache.js';
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/http/errors.js';
import type { OutboxMailer } from '../../platform/mail/outbox-mailer.js';
import type { OutboxMessenger } from '../../platform/messaging/outbox-messenger.js';
import type { Storage } from '../../platform/storage/storage.js';

interface Deps {
  db: Database;
  cache: Cache;
  storage: Storage;
  outbox: OutboxMailer | undefined;
  /** the embedded messaging provider's outbox (/dev/messages), when no MESSAGING_URL is set */
  messages?: OutboxMessenger | undefined;
  isShuttingDown: () => boolean;
}

export const systemRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, deps) => {
  const hidden = { hide: true };

  app.get('/healthz', { schema: { ...hidden, tags: ['system'] }, config: { access: { public: true } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { ...hidden, tags: ['system'] }, config: { access: { public: true } } }, async (_request, reply) => {
    const checks: Record<string, string> = {};
    const probe = async (name: string, check: () => Promise<unknown>) => {
      try {
        await check();
        checks[name] = 'ok';
      } catch (error) {
        checks[name] = error instanceof Error ? error.message : 'failed';
      }
    };
    await Promise.all([
      probe('database', () => sql`select 1`.execute(deps.db)),
      probe('cache', () => deps.cache.ping()),
      probe('storage', () => deps.storage.ping()),
    ]);
    const ready = !deps.isShuttingDown() && Object.values(checks).every((value) => value === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  const outbox = deps.outbox;
  if (outbox) {
    // development only: read the mail the system would have sent (codes, resets). It holds every
    // password-reset code, so it answers only a browser on this machine, whatever HOST listens on.
    app.get(
      '/dev/outbox',
      {
        schema: {
          tags: ['development'],
          summary: 'Mail kept in the outbox (only when no SMTP server is configured; only to loopback clients)',
          querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })) }),
        },
        config: { access: { public: true } },
      },
      async (request) => {
        if (!isDirectLoopbackRequest(request)) {
          throw new DomainError('forbidden', 'dev_page_loopback_only', 'Development pages answer only requests made on this machine (loopback).');
        }
        return { messages: await outbox.list(request.query.to, 50) };
      },
    );
  }

  const messages = deps.messages;
  if (messages) {
    // development only: the text messages the system would have sent ("your order is ready"); the
    // numbers are masked (they are stored only encrypted), and the page answers loopback clients only
    app.get(
      '/dev/messages',
      {
        schema: { tags: ['development'], summary: 'Text messages kept in the outbox (only when no MESSAGING_URL is configured; only to loopback clients)' },
        config: { access: { public: true } },
      },
      async (request) => {
        if (!isDirectLoopbackRequest(request)) {
          throw new DomainError('forbidden', 'dev_page_loopback_only', 'Development pages answer only requests made on this machine (loopback).');
        }
        return { messages: await messages.list(100) };
      },
    );
  }
};

/**
 * From this machine and not through a proxy: the socket's own peer address (never a forwarded
 * header, which a client can write) is loopback, and no proxy header says it came from elsewhere
 * (a balancer on the same machine connects from loopback on every client's behalf).
 */
function isDirectLoopbackRequest(request: FastifyRequest): boolean {
  const peer = request.raw.socket.remoteAddress ?? '';
  const loopback = peer === '::1' || /^(::ffff:)?127\./.test(peer);
  const proxied = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((header) => request.headers[header] !== undefined);
  return loopback && !proxied;
}
