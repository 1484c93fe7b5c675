// The consultation socket, GET /ws: kiosks and counselors, authenticated at the handshake with the
// session's access token (`?access_token=`: browsers cannot set headers on a WebSocket). JSON
// messages `{type, ...}` (docs/consultations.md). This layer knows sockets and nothing of the rules:
// it checks size, rate and shape, hands each message to the service in the order it came, and
// forwards what the bus brings for its party. Bad input is answered with an `error` message; the
// connection stays, except for floods (4429), an expired token (4401) and a client that does not
// read (4408).
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import secureJson from 'secure-json-parse';
import type { RawData, WebSocket } from 'ws';
import { DomainError } from '../../platform/http/errors.js';
import type { Principal } from '../auth/access-token.js';
import type { AuthService } from '../auth/auth.service.js';
import {
  CloseCode,
  MAX_FRAME_BYTES,
  MAX_MESSAGE_BYTES,
  MESSAGES_PER_SECOND,
  RATE_LIMIT_STRIKES,
  allowedTypes,
  isClientMessageType,
  validators,
  type ClientMessage,
  type ServerMessage,
} from './consultations.messages.js';
import { partyOf, type ConsultationsService, type Party, type Peer } from './consultations.service.js';

/** unread bytes a client may leave before it is dropped */
const MAX_BUFFERED_BYTES = 4 * 1_048_576;
/** messages accepted but not yet handled, per connection */
const MAX_QUEUED = 100;
/** how deep a message's JSON may nest (SDP and ICE need 3; a screen mirror a few more) */
const MAX_DEPTH = 32;

export const consultationsSocket: FastifyPluginAsync<{ consultations: ConsultationsService; auth: AuthService }> = async (app, { consultations, auth }) => {
  const connections = new Set<Connection>();
  const heartbeatMs = consultations.options.heartbeatSeconds * 1000;
  let heartbeat: NodeJS.Timeout | undefined;

  app.addHook('onReady', async () => {
    consultations.start();
    let lastBeat = Date.now();
    heartbeat = setInterval(() => {
      // a beat that comes late means this process was busy: the pongs may be unread yet, so judge no one
      const now = Date.now();
      const judge = now - lastBeat < 1.5 * heartbeatMs;
      lastBeat = now;
      const reachable = [...connections].filter((connection) => connection.beat(heartbeatMs, judge));
      void consultations.touch(reachable.map((connection) => connection.id)).catch((error: unknown) => app.log.error({ err: error }, 'heartbeat failed'));
    }, heartbeatMs);
    heartbeat.unref();
  });

  // before the WebSocket plugin's own (which only closes sockets): every party is marked gone
  // while the database is still open, so the other sides hear it and may reconnect elsewhere
  app.addHook('preClose', async () => {
    if (heartbeat) clearInterval(heartbeat);
    await Promise.allSettled([...connections].map((connection) => connection.shutDown(CloseCode.serviceRestart, 'server restarting: reconnect')));
    await consultations.stop();
  });

  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });

  app.get(
    '/ws',
    {
      websocket: true,
      // authorised below, before the upgrade: a refused handshake is a plain 401 or 403
      config: { access: { public: true } },
      preValidation: async (request) => {
        const token = tokenOf(request);
        if (!token) throw new DomainError('unauthenticated', 'authentication_required', 'Please log in first.');
        const principal = await auth.authenticate(token);
        partyOf(principal);
        request.principal = principal;
      },
    },
    (socket, request) => {
      const connection = new Connection(socket, request.principal!, consultations, auth, request.log);
      connections.add(connection);
      connection.onClosed(() => connections.delete(connection));
      connection.open();
    },
  );
};

function tokenOf(request: FastifyRequest): string | undefined {
  const bearer = request.headers.authorization?.match(/^bearer\s+(\S+)\s*$/i);
  if (bearer) return bearer[1];
  const token = (request.query as Record<string, unknown> | undefined)?.access_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** walks without recursion, so no input can exhaust the stack here (nor, later, in JSON.stringify) */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

class Connection {
  readonly id = randomUUID();
  private readonly party: Party;
  /** the live consultations this party is in, with the other side: filled from hello and the bus */
  private readonly live = new Map<string, Peer>();
  private lastPong = Date.now();
  private greeted = false;
  private readonly early: ServerMessage[] = [];
  private ready: Promise<void> = Promise.resolve();
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private window = { start: 0, count: 0, warned: false };
  private strikes: number[] = [];
  private expiry: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private closing: Promise<void> | undefined;
  private readonly closedListeners: Array<() => void> = [];

  constructor(
    private readonly socket: WebSocket,
    private principal: Principal,
    private readonly consultations: ConsultationsService,
    private readonly auth: AuthService,
    private readonly log: FastifyBaseLogger,
  ) {
    this.party = partyOf(principal);
  }

  open(): void {
    this.socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    this.socket.on('pong', () => (this.lastPong = Date.now()));
    this.socket.on('close', () => void this.shutDown());
    this.scheduleExpiry();
    this.ready = this.greet().catch((error: unknown) => {
      this.fail(error);
      const unauthenticated = error instanceof DomainError && error.kind === 'unauthenticated';
      this.socket.close(unauthenticated ? CloseCode.unauthenticated : CloseCode.serverError, 'cannot start');
    });
    this.queue = this.ready;
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  /** one heartbeat: false (and the socket dropped) when it has not answered for too long */
  beat(intervalMs: number, judge: boolean): boolean {
    if (this.closing) return false;
    if (judge && Date.now() - this.lastPong > 1.5 * intervalMs) {
      this.log.info({ connection: this.id }, 'consultation socket dropped: no pong');
      this.socket.terminate();
      return false;
    }
    this.socket.ping();
    return true;
  }

  /** the socket is gone (or is being closed): the party is no longer reachable here */
  shutDown(code?: number, reason?: string): Promise<void> {
    if (this.closing) return this.closing;
    if (code !== undefined && this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
    if (this.expiry) clearTimeout(this.expiry);
    this.closing = (async () => {
      await this.ready;
      await this.unsubscribe?.().catch(() => undefined);
      await this.consultations.disconnect(this.principal, this.id);
    })()
      .catch((error: unknown) => this.log.error({ err: error, connection: this.id }, 'consultation socket clean-up failed'))
      .finally(() => {
        for (const listener of this.closedListeners.splice(0)) listener();
      });
    return this.closing;
  }

  private async greet(): Promise<void> {
    // listen first, so that nothing published while the hello is made is lost (it waits in `early`)
    this.unsubscribe = await this.consultations.listen(this.party, (message) => this.deliver(message as ServerMessage));
    const hello = await this.consultations.connect(this.principal, this.id);
    for (const view of hello.consultations) {
      this.live.set(view.consultationId, { party: this.peerParty(view.kiosk.id, view.counselor.id), storeId: view.kiosk.storeId });
    }
    const options = this.consultations.options;
    this.send({
      type: 'hello',
      connectionId: this.id,
      role: this.party.role,
      ...hello,
      iceServers: this.consultations.iceServers(this.party),
      videoProvider: this.consultations.videoProvider,
      limits: {
        maxMessageBytes: MAX_MESSAGE_BYTES,
        messagesPerSecond: MESSAGES_PER_SECOND,
        heartbeatSeconds: options.heartbeatSeconds,
        reconnectGraceSeconds: options.reconnectGraceSeconds,
      },
    });
    this.greeted = true;
    for (const message of this.early.splice(0)) this.send(message);
  }

  /** a message from the bus for this party */
  private deliver(message: ServerMessage): void {
    if (message.type === 'consultation-started') {
      this.live.set(message.consultationId, { party: this.peerParty(message.kiosk.id, message.counselor.id), storeId: message.kiosk.storeId });
    } else if (message.type === 'consultation-ended') {
      this.live.delete(message.consultationId);
    }
    if (this.greeted) this.send(message);
    else this.early.push(message);
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closing || !this.withinRate()) return;
    if (isBinary) return this.error('malformed_message', 'Send JSON text, not binary frames.');
    const text = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (text.byteLength > MAX_MESSAGE_BYTES) {
      return this.error('message_too_large', `A message may be at most ${MAX_MESSAGE_BYTES} bytes.`, undefined, { maxBytes: MAX_MESSAGE_BYTES });
    }
    let parsed: unknown;
    try {
      parsed = secureJson.parse(text.toString('utf8'), undefined, { protoAction: 'error', constructorAction: 'error' });
    } catch {
      return this.error('malformed_message', 'The message is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as { type?: unknown }).type !== 'string') {
      return this.error('malformed_message', 'A message is a JSON object with a string `type`.');
    }
    const { type, id } = parsed as { type: string; id?: unknown };
    const replyTo = typeof id === 'string' && id.length <= 64 ? id : undefined;
    if (!isClientMessageType(type)) return this.error('unknown_type', `There is no message type "${type.slice(0, 40)}".`, replyTo);
    if (!allowedTypes[this.party.role].has(type)) {
      return this.error('forbidden_type', `A ${this.party.role} does not send "${type}".`, replyTo);
    }
    const validator = validators[type];
    if (!validator.Check(parsed)) {
      const [first] = validator.Errors(parsed);
      const field = first?.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'message';
      return this.error('invalid_message', `${type}: ${field} ${first?.message ?? 'is not valid'}.`, replyTo, { field });
    }
    if (nestedDeeperThan(parsed, MAX_DEPTH)) {
      return this.error('invalid_message', `${type}: nested more than ${MAX_DEPTH} levels deep.`, replyTo, { maxDepth: MAX_DEPTH });
    }
    if (this.queued >= MAX_QUEUED) return this.error('rate_limited', 'Too many messages waiting; slow down.', replyTo);
    this.queued += 1;
    // one at a time and in order: a WebRTC offer must reach the other side before its candidates
    this.queue = this.queue
      .then(() => this.handle(parsed as ClientMessage))
      .catch((error: unknown) => this.fail(error, replyTo))
      .finally(() => (this.queued -= 1));
  }

  private async handle(message: ClientMessage): Promise<void> {
    if (this.closing) return;
    const consultations = this.consultations;
    switch (message.type) {
      case 'presence':
        return consultations.setPresence(this.principal, message.status);
      case 'accept':
        await consultations.accept(this.principal, message.requestId);
        return;
      case 'reject':
        return consultations.reject(this.principal, message.requestId);
      case 'request':
        await consultations.request(this.principal);
        return;
      case 'cancel':
        return consultations.cancel(this.principal, message.requestId);
      case 'end':
        return consultations.end(this.principal, message.consultationId);
      case 'signal': {
        const peer = await this.peer(message.consultationId);
        return consultations.relay(peer.party, { type: 'signal', consultationId: message.consultationId, from: this.party.role, data: message.data });
      }
      case 'mirror': {
        const peer = await this.peer(message.consultationId);
        return consultations.relay(peer.party, { type: 'mirror', consultationId: message.consultationId, state: message.state });
      }
      case 'suggest': {
        const peer = await this.peer(message.consultationId);
        const optionIds = [...new Set(message.optionIds ?? [])];
        await consultations.checkSuggestion(peer.storeId, message.itemId, optionIds);
        return consultations.relay(peer.party, {
          type: 'suggest',
          consultationId: message.consultationId,
          suggestionId: message.suggestionId ?? consultations.newSuggestionId(),
          itemId: message.itemId,
          optionIds,
          quantity: message.quantity ?? 1,
          ...(message.note !== undefined ? { note: message.note } : {}),
        });
      }
      case 'suggestion-answer': {
        const peer = await this.peer(message.consultationId);
        return consultations.relay(peer.party, {
          type: 'suggestion-answer',
          consultationId: message.consultationId,
          suggestionId: message.suggestionId,
          accepted: message.accepted,
        });
      }
      case 'auth': {
        const principal = await this.auth.authenticate(message.accessToken);
        if (principal.role !== this.principal.role || principal.subjectId !== this.principal.subjectId) {
          throw new DomainError('forbidden', 'token_mismatch', 'This token is for someone else; open a new connection with it.');
        }
        this.principal = principal;
        this.scheduleExpiry();
        this.send({ type: 'auth-ok', expiresAt: new Date(principal.tokenExpiresAt ?? Date.now()).toISOString() });
        return;
      }
    }
  }

  /** the other side of a consultation this party is in; asked of the database only when not known here */
  private async peer(consultationId: string): Promise<Peer> {
    const known = this.live.get(consultationId);
    if (known) return known;
    const peer = await this.consultations.peerOf(this.principal, consultationId);
    this.live.set(consultationId, peer);
    return peer;
  }

  private peerParty(kioskId: string, counselorId: string): Party {
    return this.party.role === 'kiosk' ? { role: 'counselor', id: counselorId } : { role: 'kiosk', id: kioskId };
  }

  /** at most MESSAGES_PER_SECOND a second; a second over the limit is a strike, and enough strikes close the socket */
  private withinRate(): boolean {
    const now = Date.now();
    if (now - this.window.start >= 1000) this.window = { start: now, count: 0, warned: false };
    this.window.count += 1;
    if (this.window.count <= MESSAGES_PER_SECOND) return true;
    if (!this.window.warned) {
      this.window.warned = true;
      this.strikes = [...this.strikes.filter((time) => now - time < 60_000), now];
      this.error('rate_limited', `At most ${MESSAGES_PER_SECOND} messages a second; the rest were dropped.`, undefined, {
        messagesPerSecond: MESSAGES_PER_SECOND,
      });
      if (this.strikes.length >= RATE_LIMIT_STRIKES) void this.shutDown(CloseCode.rateLimited, 'too many messages');
    }
    return false;
  }

  /** the access token ends the connection when it expires, unless an `auth` message brought a newer one */
  private scheduleExpiry(): void {
    if (this.expiry) clearTimeout(this.expiry);
    const expiresAt = this.principal.tokenExpiresAt;
    if (expiresAt === undefined) return;
    this.expiry = setTimeout(
      () => {
        this.error('token_expired', 'The access token has expired; reconnect with a fresh one.');
        void this.shutDown(CloseCode.unauthenticated, 'token expired');
      },
      Math.max(0, expiresAt - Date.now()),
    );
    this.expiry.unref();
  }

  private fail(error: unknown, replyTo?: string): void {
    if (error instanceof DomainError) return this.error(error.code, error.message, replyTo, error.details);
    this.log.error({ err: error, connection: this.id }, 'consultation message failed');
    this.error('internal_error', 'Something went wrong on our side.', replyTo);
  }

  private error(code: string, message: string, replyTo?: string, details?: Record<string, unknown>): void {
    this.send({ type: 'error', code, message, ...(replyTo !== undefined ? { replyTo } : {}), ...(details ? { details } : {}) });
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.log.warn({ connection: this.id }, 'consultation socket dropped: the client does not read');
      void this.shutDown(CloseCode.tooSlow, 'not reading');
      return;
    }
    this.socket.send(JSON.stringify(message));
  }
}
