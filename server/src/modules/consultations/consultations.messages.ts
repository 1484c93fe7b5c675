// The consultation socket's messages: one TypeBox schema per client message (checked before
// anything acts on it) and the types of what the server sends. docs/consultations.md has the table.
// The web app takes its message types from here (web/src/consultation/protocol.ts, type-only), so
// this file imports nothing but TypeBox: no server code may reach the browser's type check.
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

/** a message larger than this is answered with `message_too_large` (the connection stays) */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** a frame larger than this closes the connection (1009), as WebSocket servers do */
export const MAX_FRAME_BYTES = 256 * 1024;
/** messages a connection may send per second; more are refused with `rate_limited` */
export const MESSAGES_PER_SECOND = 50;
/** seconds with too many messages, within a minute, after which the connection is closed (4429) */
export const RATE_LIMIT_STRIKES = 3;

export const CloseCode = {
  /** the server is stopping (a deploy): reconnect, and the balancer sends the socket to another instance */
  serviceRestart: 1012,
  serverError: 1011,
  unauthenticated: 4401,
  rateLimited: 4429,
  tooSlow: 4408,
} as const;

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
/** any client message may carry an id of its own choosing; an error about it repeats it as `replyTo` */
const MessageId = Type.Optional(Type.String({ minLength: 1, maxLength: 64 }));

function message<const K extends string, T extends Record<string, TSchema>>(type: K, fields: T) {
  return Type.Object({ type: Type.Literal(type), id: MessageId, ...fields }, { additionalProperties: false });
}

export const ClientMessages = {
  presence: message('presence', { status: Type.Union([Type.Literal('online'), Type.Literal('away')]) }),
  accept: message('accept', { requestId: Uuid }),
  reject: message('reject', { requestId: Uuid }),
  request: message('request', {}),
  cancel: message('cancel', { requestId: Uuid }),
  end: message('end', { consultationId: Uuid }),
  signal: message('signal', { consultationId: Uuid, data: Type.Unknown() }),
  mirror: message('mirror', { consultationId: Uuid, state: Type.Record(Type.String(), Type.Unknown()) }),
  suggest: message('suggest', {
    consultationId: Uuid,
    /** the counselor's own id for this suggestion (a UUID), repeated in the kiosk's answer; made up when absent */
    suggestionId: Type.Optional(Uuid),
    itemId: Uuid,
    optionIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
    note: Type.Optional(Type.String({ maxLength: 200 })),
  }),
  'suggestion-answer': message('suggestion-answer', { consultationId: Uuid, suggestionId: Uuid, accepted: Type.Boolean() }),
  auth: message('auth', { accessToken: Type.String({ minLength: 1, maxLength: 4096 }) }),
};

export type ClientMessageType = keyof typeof ClientMessages;
export type ClientMessage<K extends ClientMessageType = ClientMessageType> = Static<(typeof ClientMessages)[K]>;

/** which side may send which message */
export const allowedTypes: Record<'kiosk' | 'counselor', ReadonlySet<ClientMessageType>> = {
  kiosk: new Set(['request', 'cancel', 'end', 'signal', 'mirror', 'suggestion-answer', 'auth']),
  counselor: new Set(['presence', 'accept', 'reject', 'end', 'signal', 'suggest', 'auth']),
};

export const validators = Object.fromEntries(Object.entries(ClientMessages).map(([type, schema]) => [type, Compile(schema)])) as {
  [K in ClientMessageType]: ReturnType<typeof Compile<(typeof ClientMessages)[K]>>;
};

export function isClientMessageType(type: string): type is ClientMessageType {
  return Object.hasOwn(ClientMessages, type);
}

// ---- what the server sends ----

type PresenceStatus = ClientMessage<'presence'>['status'];

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export type VideoJoin = { provider: 'builtin'; iceServers: IceServer[] } | { provider: 'livekit'; url: string; room: string; token: string };

export interface KioskInfo {
  id: string;
  name: string;
  storeId: string;
  storeName: string;
}

export interface CounselorInfo {
  id: string;
  name: string;
}

export interface ConsultationView {
  consultationId: string;
  requestId: string;
  startedAt: string;
  kiosk: KioskInfo;
  counselor: CounselorInfo;
  /** false while the other side has no connection (it may come back within the reconnect grace) */
  peerConnected: boolean;
  video: VideoJoin;
}

export interface PresenceView {
  status: PresenceStatus;
  capacity: number;
  /** live consultations now */
  active: number;
}

export interface OfferView {
  requestId: string;
  kiosk: KioskInfo;
  createdAt: string;
  expiresAt: string;
}

export type RequestStatus = 'waiting' | 'no-counselor' | 'accepted' | 'rejected' | 'expired' | 'cancelled';

export type ServerMessage =
  | {
      type: 'hello';
      connectionId: string;
      role: 'kiosk' | 'counselor';
      self: { id: string; name: string; brandId: string; storeId: string | null };
      consultations: ConsultationView[];
      /** the kiosk's waiting request, if any */
      request: { requestId: string; status: 'waiting'; expiresAt: string } | null;
      /** the counselor's availability */
      presence: PresenceView | null;
      /** requests waiting for this counselor now */
      offers: OfferView[];
      iceServers: IceServer[];
      videoProvider: 'builtin' | 'livekit';
      limits: { maxMessageBytes: number; messagesPerSecond: number; heartbeatSeconds: number; reconnectGraceSeconds: number };
    }
  | ({ type: 'presence' } & PresenceView)
  | ({ type: 'request-offered' } & OfferView)
  | { type: 'request-closed'; requestId: string; reason: 'taken' | 'cancelled' | 'expired' | 'rejected' }
  | { type: 'request-status'; requestId: string; status: RequestStatus; consultationId?: string; expiresAt?: string; offeredTo?: number }
  | ({ type: 'consultation-started' } & ConsultationView)
  | { type: 'consultation-ended'; consultationId: string; by: 'kiosk' | 'counselor' | 'system'; reason: 'completed' | 'disconnected' }
  | { type: 'peer-gone'; consultationId: string; reconnectGraceSeconds: number }
  | { type: 'peer-back'; consultationId: string }
  | { type: 'signal'; consultationId: string; from: 'kiosk' | 'counselor'; data: unknown }
  | { type: 'mirror'; consultationId: string; state: Record<string, unknown> }
  | { type: 'suggest'; consultationId: string; suggestionId: string; itemId: string; optionIds: string[]; quantity: number; note?: string }
  | { type: 'suggestion-answer'; consultationId: string; suggestionId: string; accepted: boolean }
  | { type: 'auth-ok'; expiresAt: string }
  | { type: 'error'; code: string; message: string; replyTo?: string; details?: Record<string, unknown> };
