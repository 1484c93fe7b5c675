// Live traffic for the cluster test and bench, as real clients make it through the balancer: kiosks
// ordering with an Idempotency-Key they resend on 5xx or a cut connection, server-sent event streams
// that reconnect with Last-Event-ID like EventSource, a device whose command stream reconnects, and
// WebSocket parties that reconnect. Each keeps what it saw, with times, for assertions and figures.
import { randomBytes, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Cluster } from './cluster.js';
import { DeviceClient, provisionKiosk, type Command, type CommandStream, type DeviceCredentials } from './device-client.js';
import { openLive, type LiveStream, type ReceivedEvent } from './live-events.js';
import { fromAddress, signUp, type TestServer } from './test-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRY_MS = 200;

// ---- set-up over HTTP

export interface ClusterStore {
  brandCode: string;
  storeId: string;
  ownerToken: string;
  itemId: string;
  /** the one-line order every kiosk sends, and its total */
  orderBody: unknown;
  orderTotal: number;
}

/**
 * The API of one instance or of the balancer, as the test helpers take it: fromAddress() needs only
 * the url (there is no in-process app here, so helpers that reach into `app` cannot be used).
 */
export function over(url: string): TestServer {
  return fromAddress({ url } as TestServer, '127.0.0.1');
}

/** a brand (by the CLI), an owner signed up on an instance directly (the dev outbox answers only there), one item */
export async function clusterStore(cluster: Cluster): Promise<ClusterStore> {
  const { code } = await cluster.createBrand(`Cluster Coffee ${randomBytes(2).toString('hex')}`);
  const owner = await signUp(over(cluster.instances[0]!.url), 'owner', { brandCode: code });
  const api = over(cluster.url);
  const storeId = owner.profile.store.id as string;
  const category = await api.api('POST', `/api/stores/${storeId}/categories`, { token: owner.accessToken, body: { name: 'Coffee' } });
  if (category.status !== 201) throw new Error(`category: ${JSON.stringify(category.body)}`);
  const item = await api.api('POST', `/api/stores/${storeId}/items`, {
    token: owner.accessToken,
    body: { categoryId: category.body.id, name: 'Americano', price: 1000, stock: null },
  });
  if (item.status !== 201) throw new Error(`item: ${JSON.stringify(item.body)}`);
  return {
    brandCode: code,
    storeId,
    ownerToken: owner.accessToken,
    itemId: item.body.id,
    orderBody: { lines: [{ itemId: item.body.id, quantity: 1 }], paymentMethod: 'counter' },
    orderTotal: 1000,
  };
}

export async function clusterKiosk(cluster: Cluster, store: ClusterStore, name: string): Promise<DeviceCredentials & { kioskId: string; token: string }> {
  return provisionKiosk(over(cluster.url), store.storeId, store.ownerToken, name);
}

// ---- orders

export interface Attempt {
  at: number;
  /** the HTTP status, or 0 for a cut connection or no answer in time */
  status: number;
}

export interface PlacedOrder {
  key: string;
  /** 2xx statuses only; every answer for one key must name the same order */
  answers: Array<{ status: number; orderId: string; number: number; total: number }>;
  sentAt: number;
  answeredAt: number;
}

/** a kiosk ordering in a loop; each order is resent with the same key until it is answered 2xx */
export class OrderingKiosk {
  readonly placed: PlacedOrder[] = [];
  readonly attempts: Attempt[] = [];
  /** orders refused with a 4xx (none expected) */
  readonly refused: Array<{ key: string; status: number; body: string }> = [];
  /** orders still unanswered when their time was up */
  readonly unanswered: string[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly url: string,
    private readonly store: ClusterStore,
    private readonly token: string,
    private readonly options: { pauseMs?: number; orderLimitMs?: number } = {},
  ) {}

  start(): void {
    this.running = (async () => {
      while (!this.stopping) {
        await this.placeOne();
        await sleep(this.options.pauseMs ?? 100);
      }
    })();
  }

  /** stops after the order under way is answered (or given up) */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  async placeOne(key = `order-${randomUUID()}`): Promise<PlacedOrder | undefined> {
    const sentAt = Date.now();
    const deadline = sentAt + (this.options.orderLimitMs ?? 60_000);
    while (Date.now() < deadline) {
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${this.url}/api/stores/${this.store.storeId}/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(this.store.orderBody),
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        text = await response.text();
      } catch {
        status = 0;
      }
      this.attempts.push({ at: Date.now(), status });
      if (status >= 200 && status < 300) {
        const { order } = JSON.parse(text) as { order: { id: string; number: number; total: number } };
        const placed: PlacedOrder = { key, answers: [{ status, orderId: order.id, number: order.number, total: order.total }], sentAt, answeredAt: Date.now() };
        this.placed.push(placed);
        return placed;
      }
      if (status >= 400 && status < 500) {
        this.refused.push({ key, status, body: text });
        return undefined;
      }
      await sleep(RETRY_MS);
    }
    this.unanswered.push(key);
    return undefined;
  }
}

// ---- server-sent event streams

export interface Reconnect {
  droppedAt: number;
  /** when the new stream said `ready` */
  readyAt: number;
  /** events that came on the new stream before its `ready`: the replay */
  replayed: number;
}

/** an event stream that reconnects with Last-Event-ID, as EventSource does */
export class ResumingStream {
  /** every event but `ready`, each id once */
  readonly events: ReceivedEvent[] = [];
  readonly reconnects: Reconnect[] = [];
  /** ids that came with two different events (the server handed one id out twice) */
  idsReused = 0;
  current: LiveStream | undefined;
  private lastEventId: string | undefined;
  private readonly seen = new Map<string, string>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  /** resolves once the first stream said `ready` */
  async start(): Promise<void> {
    const first = await this.open(Date.now() + 30_000);
    if (!first) throw new Error(`the stream ${this.url} did not open`);
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.close();
    await this.loop;
  }

  get connected(): boolean {
    return this.current !== undefined;
  }

  /** one stream, until its `ready`; undefined when none opened by the deadline */
  private async open(deadline: number, droppedAt?: number): Promise<LiveStream | undefined> {
    while (!this.stopped && Date.now() < deadline) {
      let replayed = 0;
      let ready: () => void = () => undefined;
      const readySeen = new Promise<void>((resolve) => (ready = resolve));
      let isReady = false;
      try {
        const stream = await openLive(this.url, {
          token: this.token,
          lastEventId: this.lastEventId,
          onEvent: (event) => {
            if (event.event === 'ready') {
              isReady = true;
              ready();
              return;
            }
            if (!isReady) replayed += 1;
            if (event.id !== undefined) {
              this.lastEventId = event.id;
              const content = JSON.stringify([event.event, event.data]);
              const earlier = this.seen.get(event.id);
              if (earlier === content) return; // replayed, already shown
              if (earlier !== undefined) this.idsReused += 1;
              this.seen.set(event.id, content);
            }
            this.events.push(event);
          },
        });
        if (stream.status === 200) {
          const outcome = await Promise.race([readySeen.then(() => 'ready'), stream.ended.then(() => 'ended'), sleep(15_000).then(() => 'slow')]);
          if (outcome === 'ready') {
            this.current = stream;
            if (droppedAt !== undefined) this.reconnects.push({ droppedAt, readyAt: Date.now(), replayed });
            return stream;
          }
          stream.close();
        }
      } catch {
        // the balancer or the instance is not answering yet
      }
      await sleep(RETRY_MS);
    }
    return undefined;
  }

  private async follow(): Promise<void> {
    while (!this.stopped && this.current) {
      await this.current.ended;
      this.current = undefined;
      if (this.stopped) return;
      await this.open(Date.now() + 120_000, Date.now());
    }
  }
}

// ---- a kiosk device over gRPC

export class ResumingDevice {
  /** commands of the streams that ended (allCommands() adds the open one's) */
  readonly commands: Command[] = [];
  readonly reconnects: Array<{ droppedAt: number; connectedAt: number }> = [];
  /** successful reports that made a customer arrive: a `present` must reach the screen for each */
  readonly arrivals: Array<{ sentAt: number; answeredAt: number }> = [];
  readonly client: DeviceClient;
  current: CommandStream | undefined;
  private stopped = false;
  private loops: Array<Promise<void>> = [];

  constructor(address: string, credentials: DeviceCredentials) {
    this.client = new DeviceClient(address, credentials);
  }

  /** resolves once the first Connect stream delivered the settings */
  async start(): Promise<void> {
    if (!(await this.open(Date.now() + 30_000))) throw new Error('the device could not connect');
    this.loops.push(this.follow());
  }

  private async open(deadline: number): Promise<boolean> {
    while (!this.stopped && Date.now() < deadline) {
      const stream = this.client.connect();
      const outcome = await Promise.race([
        stream
          .next((command) => command.kind === 'settings', 'settings')
          .then(
            () => 'connected',
            () => 'slow',
          ),
        stream.ended.then(() => 'ended'),
      ]);
      if (outcome === 'connected') {
        this.current = stream;
        return true;
      }
      stream.cancel();
      await sleep(RETRY_MS);
    }
    return false;
  }

  private async follow(): Promise<void> {
    while (!this.stopped && this.current) {
      const stream = this.current;
      await stream.ended;
      this.commands.push(...stream.commands);
      this.current = undefined;
      if (this.stopped) return;
      const droppedAt = Date.now();
      if (await this.open(Date.now() + 120_000)) this.reconnects.push({ droppedAt, connectedAt: Date.now() });
    }
  }

  allCommands(): Command[] {
    return [...this.commands, ...(this.current?.commands ?? [])];
  }

  /** customers come and go: near for a moment, then far until the store's leave time has passed */
  startVisits(leaveAfterMs: number): void {
    this.loops.push(
      (async () => {
        while (!this.stopped) {
          const sentAt = Date.now();
          try {
            // the report before says nobody is there, so a `present` answer here is an arrival
            const before = await this.client.reportDistance([250]);
            const near = before.present ? undefined : await this.client.reportDistance([50, 50, 50, 50, 50]);
            if (near?.present) this.arrivals.push({ sentAt, answeredAt: Date.now() });
            await this.client.reportDistance([250]);
          } catch {
            // the device's instance went away or is failing: the agent just keeps measuring
          }
          await sleep(leaveAfterMs + 400);
        }
      })(),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.current?.cancel();
    await Promise.all(this.loops);
    this.client.close();
  }
}

// ---- WebSocket parties (consultations)

export type Message = { type: string; [field: string]: any };

/** a /ws client that reconnects when its socket goes, keeping every message and every greeting */
export class ResumingSocket {
  readonly received: Message[] = [];
  readonly hellos: Message[] = [];
  readonly reconnects: Array<{ droppedAt: number; helloAt: number }> = [];
  ws: WebSocket | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async start(): Promise<void> {
    if (!(await this.open(Date.now() + 30_000))) throw new Error('the socket did not open');
    this.loop = this.follow();
  }

  private async open(deadline: number): Promise<boolean> {
    while (!this.stopped && Date.now() < deadline) {
      const ws = new WebSocket(`${this.url.replace('http', 'ws')}/ws?access_token=${encodeURIComponent(this.token)}`);
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      ws.on('error', () => undefined);
      const hello = new Promise<Message | undefined>((resolve) => {
        ws.on('message', (data) => {
          const message = JSON.parse(data.toString()) as Message;
          if (message.type === 'hello') {
            this.hellos.push(message);
            resolve(message);
          }
          this.received.push(message);
          for (const wake of [...this.waiters]) wake();
        });
        void closed.then(() => resolve(undefined));
        setTimeout(() => resolve(undefined), 15_000).unref();
      });
      if (await hello) {
        this.ws = ws;
        return true;
      }
      ws.terminate();
      await sleep(RETRY_MS);
    }
    return false;
  }

  private async follow(): Promise<void> {
    while (!this.stopped && this.ws) {
      const ws = this.ws;
      if (ws.readyState !== WebSocket.CLOSED) await new Promise<void>((resolve) => ws.once('close', () => resolve()));
      this.ws = undefined;
      if (this.stopped) return;
      const droppedAt = Date.now();
      if (await this.open(Date.now() + 120_000)) this.reconnects.push({ droppedAt, helloAt: Date.now() });
    }
  }

  send(message: unknown): void {
    this.ws?.send(JSON.stringify(message));
  }

  /** the first message received after `since` (an index in `received`) of this type that matches */
  async next(type: string, match: (message: Message) => boolean = () => true, timeoutMs = 15_000, since = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(since).find((message) => message.type === type && match(message));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} message within ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(since).map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 500));
        this.waiters.add(wake);
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ws?.close();
    await this.loop;
  }
}

/** waits until `done()` is true; false when `limitMs` passed first */
export async function until(done: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}
