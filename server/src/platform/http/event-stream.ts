// Server-sent events done the way proxies and browsers need: no buffering or compression, a
// comment every 15 s so idle streams are not cut, ids for Last-Event-ID, a bound on what a slow
// client may leave unread, and an end when the caller's token expires.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// open streams per listening server (not per Fastify instance: a route registered in a plugin sees
// its own instance), so that shutting down can end them (they would hold the server open)
const openStreams = new WeakMap<FastifyInstance['server'], Set<EventStream>>();

/**
 * Tells every open stream's client to reconnect (`reauthenticate`: the web app opens a new stream at
 * once, which the balancer sends to another instance), ends it, and waits (briefly) until the
 * responses are out: only then is the connection idle, and only idle connections are closed by the
 * server's shutdown; a browser keeps a finished stream's connection alive, and would hold the
 * shutdown for the keep-alive timeout.
 */
export async function closeEventStreams(server: FastifyInstance): Promise<void> {
  const finished = [...(openStreams.get(server.server) ?? [])].map((stream) => {
    stream.reconnect('server_stopping');
    return stream.finished;
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(finished), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
}

export interface EventStream {
  send(event: string, data: unknown, id?: string | number): void;
  readonly closed: boolean;
  /** resolves once the response is written out or the connection is gone */
  readonly finished: Promise<void>;
  onClose(listener: () => void): void;
  close(): void;
  /** sends `reauthenticate` (the client opens a new stream with a fresh token, resuming from its last id), then ends */
  reconnect(reason: string): void;
}

export interface EventStreamOptions {
  keepAliveSeconds?: number;
  /** unread bytes a client may leave before it is dropped */
  maxBufferedBytes?: number;
  /** epoch ms when the stream must end (the access token's expiry); the client reconnects with a fresh token */
  endAt?: number;
}

export function openEventStream(request: FastifyRequest, reply: FastifyReply, options: EventStreamOptions = {}): EventStream {
  const keepAliveMs = (options.keepAliveSeconds ?? 15) * 1000;
  const maxBuffered = options.maxBufferedBytes ?? 1_048_576;
  const raw = reply.raw;
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  raw.write('retry: 3000\n\n');

  const finished = new Promise<void>((resolve) => {
    raw.once('finish', resolve);
    raw.once('close', resolve);
  });
  const listeners: Array<() => void> = [];
  let closed = false;
  const timers: NodeJS.Timeout[] = [];

  const close = () => {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    for (const listener of listeners.splice(0)) listener();
    raw.end();
  };

  const reconnect = (reason: string) => {
    write(`event: reauthenticate\ndata: ${JSON.stringify({ reason })}\n\n`);
    close();
  };

  const write = (text: string) => {
    if (closed) return;
    if (raw.writableLength > maxBuffered) {
      request.log.warn('event stream dropped: the client does not read');
      close();
      return;
    }
    raw.write(text);
  };

  timers.push(setInterval(() => write(': ping\n\n'), keepAliveMs));
  if (options.endAt !== undefined) {
    timers.push(setTimeout(() => reconnect('token_expiring'), Math.max(0, options.endAt - Date.now())));
  }
  for (const timer of timers) timer.unref();
  request.raw.on('close', close);

  const stream: EventStream = {
    send(event, data, id) {
      const idLine = id === undefined ? '' : `id: ${id}\n`;
      write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    get closed() {
      return closed;
    },
    finished,
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    close,
    reconnect,
  };
  let streams = openStreams.get(request.server.server);
  if (!streams) openStreams.set(request.server.server, (streams = new Set()));
  streams.add(stream);
  listeners.push(() => streams.delete(stream));
  return stream;
}
