// The Fastify instance with the house conventions: request ids, structured logs, one error
// format, the OpenAPI document and its interactive page at /docs.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import secureJson from 'secure-json-parse';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { isDatabaseUnreachable } from '../db/errors.js';
import { DomainError, RateLimitedError, statusOfKind } from './errors.js';
import { closeEventStreams } from './event-stream.js';
import type { ErrorBody } from './error-body.js';
import { openApiOptions } from './openapi-document.js';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM
const addFormats = ((addFormatsPlugin as unknown as { default?: typeof addFormatsPlugin }).default ?? addFormatsPlugin) as unknown as (ajv: Ajv) => Ajv;

export type HttpServer = FastifyInstance<any, any, any, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface HttpServerOptions {
  logLevel: string;
  trustProxy: boolean;
  bodyLimitBytes: number;
  publicUrl: string;
}

const frameworkCodes: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is empty but JSON was declared.' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'This content type is not accepted here.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_content_length', message: 'The Content-Length does not match the body.' },
};

/** what a client is told to wait while the database is away (a restart takes a few seconds) */
const DATABASE_RETRY_AFTER_SECONDS = 3;

function body(code: string, message: string, requestId: string, details?: Record<string, unknown>): ErrorBody {
  return { error: { code, message, requestId, ...(details ? { details } : {}) } };
}

export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      serializers: {
        // live streams carry their token in the query (EventSource cannot send headers): keep it out of logs
        req: (request: { method: string; url: string; id: string }) => ({
          method: request.method,
          url: request.url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]'),
          id: request.id,
        }),
      },
    },
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Query strings and path parameters arrive as text and are converted to their schema's types;
  // JSON bodies already carry types, so a wrong one is refused instead of quietly converted.
  const textParts = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false });
  const jsonBodies = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: false, allErrors: false, addUsedSchema: false });
  for (const ajv of [textParts, jsonBodies]) addFormats(ajv);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? jsonBodies : textParts).compile(schema));

  // JSON as usual (prototype poisoning refused), except that a NUL character is refused: PostgreSQL text cannot hold one, and no
  // name, note or password needs one
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    const body = text as string;
    if (body.trim() === '') {
      done(Object.assign(new Error('empty JSON body'), { code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 }), undefined);
      return;
    }
    let hasNul = false;
    let parsed: unknown;
    try {
      parsed = secureJson.parse(
        body,
        (key, value) => {
          if (key.includes('\0') || (typeof value === 'string' && value.includes('\0'))) hasNul = true;
          return value;
        },
        { protoAction: 'error', constructorAction: 'error' },
      );
    } catch {
      done(Object.assign(new Error('bad JSON'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }), undefined);
      return;
    }
    if (hasNul) {
      done(new DomainError('invalid', 'invalid_characters', 'The request contains a NUL character, which is not allowed.'), undefined);
      return;
    }
    done(null, parsed);
  });

  app.addHook('preClose', async () => closeEventStreams(app));

  // set when the request arrives: the header survives into error answers, and a callback hook
  // costs no promise per request (an async onSend hook did)
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  app.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    if (error instanceof DomainError) {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(statusOfKind[error.kind]).send(body(error.code, error.message, request.id, error.details));
    }
    if (error.validation) {
      const issues = error.validation.map((issue) => ({
        field: `${error.validationContext ?? ''}${issue.instancePath}`.replace(/\//g, '.'),
        problem: issue.message ?? 'is not valid',
      }));
      const first = issues[0];
      const message = first ? `${first.field || 'request'} ${first.problem}` : 'The request is not valid.';
      return reply.code(400).send(body('validation_failed', message, request.id, { issues }));
    }
    // the database is restarting or unreachable: nothing was written (a broken transaction rolls back),
    // so the client may retry the same request, idempotency key and all, once it is back
    if (isDatabaseUnreachable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply.code(503).send(
        body('database_unavailable', 'The service is briefly unavailable. Please try again in a few seconds.', request.id, {
          retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
        }),
      );
    }
    // PostgreSQL cannot hold some characters (NUL) in text: the input was wrong, not the server
    if (error.code === '22021' || error.code === '22P05') {
      return reply.code(400).send(body('invalid_characters', 'The request contains characters that are not allowed.', request.id));
    }
    const known = error.code ? frameworkCodes[error.code] : undefined;
    if (known) return reply.code(known.status).send(body(known.code, known.message, request.id));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(body((error.code ?? 'bad_request').toLowerCase(), error.message, request.id));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(body('internal_error', 'Something went wrong on our side.', request.id));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`, request.id));
  });

  await app.register(
    swagger,
    openApiOptions(
      {
        title: 'Pinokio API',
        version: '0.1.0',
        description:
          'The Pinokio smart-kiosk platform. Errors are always `{error: {code, message, details?}}`; ' + 'switch on `code`, show `message` only as a fallback.',
      },
      options.publicUrl,
    ),
  );
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { access: { public: true } } }, async () => app.swagger());
  return app;
}
