// Liveness, readiness and the developer's outbox.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { Cache } from '../../platform/cache/cache.js';
import type { Database } from '../../platform/db/database.js';
import type { OutboxMailer } from '../../platform/mail/outbox-mailer.js';
import type { Storage } from '../../platform/storage/storage.js';

interface Deps {
  db: Database;
  cache: Cache;
  storage: Storage;
  outbox: OutboxMailer | undefined;
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
    // development only: read the mail the system would have sent (codes, resets)
    app.get(
      '/dev/outbox',
      {
        schema: {
          tags: ['development'],
          summary: 'Mail kept in the outbox (only when no SMTP server is configured)',
          querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 254 })) }),
        },
        config: { access: { public: true } },
      },
      async (request) => ({ messages: await outbox.list(request.query.to, 50) }),
    );
  }
};
