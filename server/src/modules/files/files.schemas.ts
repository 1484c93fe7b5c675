import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/common-schemas.js';

// Bytes, not JSON: described for the OpenAPI document only (a Buffer is sent as it is).
export const DefaultItemPictureRoute = {
  tags: ['files'],
  summary: 'The picture shown for an item without a photo: a cup, in SVG',
  response: { 200: { description: 'an SVG picture', content: { 'image/svg+xml': { schema: { type: 'string' } } } } },
};

export const GetFileRoute = {
  tags: ['files'],
  summary: 'A stored picture (item photos), by the key in its URL; cacheable for ever',
  params: Type.Object({ '*': Type.String({ minLength: 1, maxLength: 1024 }) }),
  response: {
    200: { description: 'the stored bytes, with their content type', content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } },
    ...errorResponses(404),
  },
};
