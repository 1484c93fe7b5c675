// Reads a server-sent event stream the way EventSource does (id, event, data lines), for tests.
import assert from 'node:assert/strict';

export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: any;
}

export interface LiveStream {
  status: number;
  events: ReceivedEvent[];
  /** the error body when the stream was refused */
  body?: any;
  next(predicate: (event: ReceivedEvent) => boolean, what?: string): Promise<ReceivedEvent>;
  /** resolves when the stream ends, however it ends (closed here, by the server, or cut) */
  ended: Promise<void>;
  close(): void;
}

const WAIT_MS = 30_000;

export async function openLive(
  url: string,
  options: { token?: string; lastEventId?: string; onEvent?: (event: ReceivedEvent) => void } = {},
): Promise<LiveStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = {};
  if (options.lastEventId !== undefined) headers['last-event-id'] = options.lastEventId;
  const target = options.token ? `${url}${url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(options.token)}` : url;
  const response = await fetch(target, { headers, signal: controller.signal });
  const events: ReceivedEvent[] = [];
  const waiters: Array<{ predicate: (event: ReceivedEvent) => boolean; resolve: (event: ReceivedEvent) => void }> = [];
  if (response.status !== 200) {
    // JSON from the server; a balancer in front may answer with its own page
    const text = await response.text();
    const body = (() => {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    })();
    return { status: response.status, events, body, next: () => Promise.reject(new Error('refused')), ended: Promise.resolve(), close: () => undefined };
  }
  assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let id: string | undefined;
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) id = line.slice(4);
          else if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data.push(line.slice(6));
        }
        if (data.length === 0) continue; // a comment or the retry line
        const received: ReceivedEvent = { id, event, data: JSON.parse(data.join('\n')) };
        events.push(received);
        options.onEvent?.(received);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(received)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(received);
          }
        }
      }
    }
  })().catch(() => undefined);
  return {
    status: 200,
    events,
    ended,
    next(predicate, what = 'an event') {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} on the live stream; got ${JSON.stringify(events.map((e) => e.event))}`)), WAIT_MS);
        waiters.push({ predicate, resolve: (event) => (clearTimeout(timer), resolve(event)) });
      });
    },
    close: () => controller.abort(),
  };
}
