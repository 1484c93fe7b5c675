// Authorization in one place. Every route declares who may call it in `config.access`; this
// plugin refuses to start with a route that does not, authenticates the caller, checks the role,
// and checks that a store named in the path is the caller's own store (tenant isolation).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../platform/http/errors.js';
import type { Role } from '../../platform/db/schema.js';
import type { Principal } from './access-token.js';
import type { AuthService } from './auth.service.js';

export type Access =
  | { public: true }
  | {
      roles: readonly Role[];
      /** a path parameter holding a store id that must be the caller's store */
      storeParam?: string;
      /**
       * the token may come as `?access_token=` (live streams: EventSource and WebSocket cannot send
       * headers); elsewhere only the Authorization header is read, so tokens stay out of URLs
       */
      queryToken?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

/** The signed-in caller of a route that is not public. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated', 'authentication_required', 'Please log in first.');
  return request.principal;
}

function bearerToken(request: FastifyRequest, queryToken: boolean): string | undefined {
  const header = request.headers.authorization;
  const match = header?.match(/^bearer\s+(\S+)\s*$/i); // the scheme name is case-blind (RFC 7235)
  if (match) return match[1];
  const query = request.query as Record<string, unknown> | undefined;
  if (queryToken && request.method === 'GET' && typeof query?.access_token === 'string') return query.access_token;
  return undefined;
}

export const accessPolicy = fp(
  async (app: FastifyInstance, options: { auth: AuthService; guardedPrefixes: string[] }) => {
    app.decorateRequest('principal', undefined);

    app.addHook('onRoute', (route) => {
      const guarded = options.guardedPrefixes.some((prefix) => route.url.startsWith(prefix));
      if (guarded && !route.config?.access) {
        throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access)`);
      }
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (!access || 'public' in access) return;
      const token = bearerToken(request, access.queryToken === true);
      if (!token) throw new DomainError('unauthenticated', 'authentication_required', 'Please log in first.');
      const principal = await options.auth.authenticate(token);
      if (!access.roles.includes(principal.role)) {
        throw new DomainError('forbidden', 'forbidden_role', `This is not available to a ${principal.role} account.`);
      }
      request.principal = principal;
    });

    // after validation, so that a malformed store id is a 400 rather than a refusal
    app.addHook('preHandler', async (request) => {
      const access = request.routeOptions.config.access;
      if (!access || 'public' in access || !access.storeParam) return;
      const storeId = (request.params as Record<string, string>)[access.storeParam];
      if (storeId?.toLowerCase() !== request.principal?.storeId) {
        throw new DomainError('forbidden', 'forbidden_store', 'This belongs to another store.');
      }
    });
  },
  { name: 'access-policy' },
);
