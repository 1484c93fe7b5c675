// What the OpenAPI document says beyond the route schemas, set here once for every route rather
// than in each route file: a stable operationId, the security each route really has (from its
// `config.access`), valid paths for wildcard routes, the licence and the server. The document is
// linted with Redocly's recommended rules (`npm run lint:api`) and client generators read it.
import type { SwaggerOptions } from '@fastify/swagger';
import type { Access } from '../../modules/auth/access-policy.js';
import { errorResponses } from './common-schemas.js';

type Security = Array<Record<string, string[]>>;

type RouteSchema = Record<string, unknown> & {
  operationId?: string;
  security?: Security;
  params?: { properties?: Record<string, unknown>; required?: string[] } & Record<string, unknown>;
  response?: Record<string, unknown>;
};

/** a wildcard's name in the document: `/api/files/*` is described as `/api/files/{key}` */
const WILDCARD_PARAM = 'key';

/**
 * `GET /api/stores/:storeId/orders/:orderId` -> `getStoresOrdersByOrderId`: the method, then the
 * fixed path segments; a trailing parameter is kept (`By...`) so that the one-item route and its
 * collection differ. Derived only from method and path, so a name changes only when the route does.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url.split('/').filter((segment) => segment !== '' && segment !== 'api');
  const words = segments.flatMap((segment, index) => {
    const param = segment.startsWith(':') ? segment.slice(1) : segment === '*' ? WILDCARD_PARAM : undefined;
    if (param === undefined) return segment.split(/[^A-Za-z0-9]+/);
    return index === segments.length - 1 ? ['by', param] : [];
  });
  return [method.toLowerCase(), ...words.filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1))].join('');
}

/** public routes say so (`security: []`); every other route takes a bearer token */
function securityOf(access: Access | undefined): Security | undefined {
  if (!access) return undefined;
  return 'public' in access ? [] : [{ bearer: [] }];
}

function hasStatus(response: Record<string, unknown> | undefined, range: string): boolean {
  return Object.keys(response ?? {}).some((status) => status.startsWith(range));
}

const eventStream = {
  description: 'a stream of server-sent events, open until the client leaves or the token expires',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

/** The server URL: PUBLIC_URL, or relative to wherever the document was fetched when that is a loopback address. */
export function serverUrlOf(publicUrl: string): string {
  const host = URL.canParse(publicUrl) ? new URL(publicUrl).hostname : '';
  return host === '' || host === 'localhost' || host === '127.0.0.1' || host === '[::1]' ? '/' : publicUrl;
}

export function openApiOptions(info: { title: string; version: string; description: string }, publicUrl: string): SwaggerOptions {
  return {
    openapi: {
      info: { ...info, license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' } },
      servers: [{ url: serverUrlOf(publicUrl) }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: ({ schema, url, route }) => {
      const original = (schema ?? {}) as RouteSchema;
      const method = Array.isArray(route.method) ? route.method[0]! : route.method;
      const described: RouteSchema = { ...original, operationId: original.operationId ?? operationIdOf(method, url) };
      const access = route.config?.access as Access | undefined;
      const security = original.security ?? securityOf(access);
      if (security) described.security = security;
      // a guarded route answers 401 without a token, whether or not its schema lists it
      if (security?.length && !hasStatus(original.response, '4')) described.response = { ...original.response, ...errorResponses(401) };
      // the routes that take `?access_token=` are the live streams, whose schemas describe no body
      if (access && 'roles' in access && access.queryToken && !hasStatus(described.response, '2')) {
        described.response = { 200: eventStream, ...described.response };
      }
      if (!url.endsWith('/*')) return { schema: described, url };
      const { '*': wildcard, ...otherParams } = original.params?.properties ?? {};
      described.params = {
        ...original.params,
        properties: {
          ...otherParams,
          [WILDCARD_PARAM]: { ...(wildcard as object), description: 'the rest of the path, slashes included' },
        },
        required: [...(original.params?.required ?? []).filter((name) => name !== '*'), WILDCARD_PARAM],
      };
      return { schema: described, url: `${url.slice(0, -1)}:${WILDCARD_PARAM}` };
    },
    // two routes with one operationId would make a generated client drop one of them
    transformObject: (document) => {
      const openapiObject = 'openapiObject' in document ? document.openapiObject : document.swaggerObject;
      const seen = new Map<string, string>();
      for (const [path, operations] of Object.entries(openapiObject.paths ?? {})) {
        for (const [method, operation] of Object.entries(operations as Record<string, { operationId?: string }>)) {
          const id = operation.operationId;
          if (!id) continue;
          if (seen.has(id)) throw new Error(`operationId ${id} is used by both ${seen.get(id)} and ${method} ${path}`);
          seen.set(id, `${method} ${path}`);
        }
      }
      return openapiObject;
    },
  };
}
