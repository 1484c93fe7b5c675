import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../platform/http/errors.js';
import {
  CreateCategoryRoute,
  CreateItemRoute,
  DeleteCategoryRoute,
  DeleteItemPhotoRoute,
  DeleteItemRoute,
  GetItemRoute,
  ListCategoriesRoute,
  ListItemsRoute,
  MenuRoute,
  PutItemPhotoRoute,
  ReorderCategoriesRoute,
  RenameCategoryRoute,
  UpdateItemRoute,
} from './catalog.schemas.js';
import type { CatalogService } from './catalog.service.js';
import { MAX_PHOTO_BYTES } from './item-photo.js';

export const catalogRoutes: FastifyPluginAsyncTypebox<{ catalog: CatalogService }> = async (app, { catalog }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };
  const storeKiosk = { access: { roles: ['kiosk', 'owner'] as const, storeParam: 'storeId' } };

  // multipart bodies are understood by these routes only: one file, no other field
  await app.register(multipart, { limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 0 } });

  // ---- categories

  app.get('/api/stores/:storeId/categories', { schema: ListCategoriesRoute, config: storeOwner }, async (request) => ({
    categories: await catalog.listCategories(request.params.storeId),
  }));

  app.post('/api/stores/:storeId/categories', { schema: CreateCategoryRoute, config: storeOwner }, async (request, reply) =>
    reply.code(201).send(await catalog.createCategory(request.params.storeId, request.body.name)),
  );

  app.put('/api/stores/:storeId/categories/order', { schema: ReorderCategoriesRoute, config: storeOwner }, async (request) => ({
    categories: await catalog.reorderCategories(request.params.storeId, request.body.categoryIds),
  }));

  app.patch('/api/stores/:storeId/categories/:categoryId', { schema: RenameCategoryRoute, config: storeOwner }, async (request) =>
    catalog.renameCategory(request.params.storeId, request.params.categoryId, request.body.name),
  );

  app.delete('/api/stores/:storeId/categories/:categoryId', { schema: DeleteCategoryRoute, config: storeOwner }, async (request, reply) => {
    await catalog.deleteCategory(request.params.storeId, request.params.categoryId);
    return reply.code(204).send(null);
  });

  // ---- items

  app.get('/api/stores/:storeId/items', { schema: ListItemsRoute, config: storeOwner }, async (request) => ({
    items: await catalog.listItems(request.params.storeId, request.query),
  }));

  app.post('/api/stores/:storeId/items', { schema: CreateItemRoute, config: storeOwner }, async (request, reply) =>
    reply.code(201).send(await catalog.createItem(request.params.storeId, request.body)),
  );

  app.get('/api/stores/:storeId/items/:itemId', { schema: GetItemRoute, config: storeOwner }, async (request) =>
    catalog.getItem(request.params.storeId, request.params.itemId),
  );

  app.patch('/api/stores/:storeId/items/:itemId', { schema: UpdateItemRoute, config: storeOwner }, async (request) =>
    catalog.updateItem(request.params.storeId, request.params.itemId, request.body),
  );

  app.delete('/api/stores/:storeId/items/:itemId', { schema: DeleteItemRoute, config: storeOwner }, async (request, reply) => {
    await catalog.deleteItem(request.params.storeId, request.params.itemId);
    return reply.code(204).send(null);
  });

  app.put('/api/stores/:storeId/items/:itemId/photo', { schema: PutItemPhotoRoute, config: storeOwner }, async (request) =>
    catalog.setItemPhoto(request.params.storeId, request.params.itemId, await readPhotoUpload(request)),
  );

  app.delete('/api/stores/:storeId/items/:itemId/photo', { schema: DeleteItemPhotoRoute, config: storeOwner }, async (request) =>
    catalog.removeItemPhoto(request.params.storeId, request.params.itemId),
  );

  // ---- the kiosk's menu (its owner may look at it too)

  app.get('/api/stores/:storeId/menu', { schema: MenuRoute, config: storeKiosk }, async (request) => catalog.menu(request.params.storeId));
};

/** the bytes of the one file field `photo` of a multipart body, read to the end of the body */
async function readPhotoUpload(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) {
    throw new DomainError('unsupported', 'unsupported_media_type', 'Send the photo as multipart/form-data, in a file field named "photo".');
  }
  let photo: Buffer | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue; // a field: the fields limit (0) has already refused it
      const bytes = await part.toBuffer(); // read (or skip) it: the body must be consumed to the end
      if (part.fieldname === 'photo') photo = bytes;
    }
  } catch (error) {
    throw multipartError(error);
  }
  if (!photo) throw new DomainError('invalid', 'photo_missing', 'There is no file field named "photo" in the body.');
  return photo;
}

function multipartError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return new DomainError('too_large', 'image_too_large', `The photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB.`, {
      maxBytes: MAX_PHOTO_BYTES,
    });
  }
  if (error instanceof Error) {
    // limits (a second file, any other field), a broken boundary, a body cut short...
    return new DomainError('invalid', 'malformed_multipart', 'The body must be multipart/form-data with one file field named "photo" and nothing else.');
  }
  return error;
}
