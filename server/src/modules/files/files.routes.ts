import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../platform/http/errors.js';
import { DEFAULT_ITEM_PICTURE_SVG } from './default-item-picture.js';
import { DefaultItemPictureRoute, GetFileRoute } from './files.schemas.js';
import type { FilesService } from './files.service.js';

// What a stored file may do in a browser: be shown, nothing else (no scripts, whatever its type).
const fileHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
};

export const filesRoutes: FastifyPluginAsyncTypebox<{ files: FilesService }> = async (app, { files }) => {
  const anyone = { access: { public: true as const } };

  // a fixed path: it wins over the wildcard below, and is never looked up in the storage
  app.get('/api/files/default-item.svg', { schema: DefaultItemPictureRoute, config: anyone }, async (_request, reply) =>
    reply.headers({ ...fileHeaders, 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=86400' }).send(DEFAULT_ITEM_PICTURE_SVG),
  );

  app.get('/api/files/*', { schema: GetFileRoute, config: anyone }, async (request, reply) => {
    const stored = await files.get(request.params['*']);
    if (!stored) throw new DomainError('not_found', 'file_not_found', 'There is no such file.');
    // keys are never reused: what is at a key today is what is there for ever
    return reply.headers({ ...fileHeaders, 'content-type': stored.contentType, 'cache-control': 'public, max-age=31536000, immutable' }).send(stored.body);
  });
};
