// The consultation socket's messages as the web clients see them (docs/consultations.md has the
// table; the server's own types are in server/src/modules/consultations/consultations.messages.ts)
// and the HTTP lists of consultations.
import { request } from '../api/client';

export interface ConsultationKiosk {
  id: string;
  name: string;
  storeId: string;
  storeName: string;
}

export type VideoJoin =
  | { provider: 'builtin'; iceServers: RTCIceServer[] }
  | { provider: 'livekit'; url: string; room: string; token: string };

export interface LiveConsultation {
  consultationId: string;
  requestId: string;
  startedAt: string;
  kiosk: ConsultationKiosk;
  counselor: { id: string; name: string };
  /** false while the other side has no connection */
  peerConnected: boolean;
  video: VideoJoin;
}

export interface Presence {
  status: 'online' | 'away';
  capacity: number;
  active: number;
}

export interface RequestOffer {
  requestId: string;
  kiosk: ConsultationKiosk;
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
      consultations: LiveConsultation[];
      request: { requestId: string; status: 'waiting'; expiresAt: string } | null;
      presence: Presence | null;
      offers: RequestOffer[];
      iceServers: RTCIceServer[];
      videoProvider: 'builtin' | 'livekit';
    }
  | ({ type: 'presence' } & Presence)
  | ({ type: 'request-offered' } & RequestOffer)
  | { type: 'request-closed'; requestId: string; reason: 'taken' | 'cancelled' | 'expired' | 'rejected' }
  | { type: 'request-status'; requestId: string; status: RequestStatus; consultationId?: string; expiresAt?: string; offeredTo?: number }
  | ({ type: 'consultation-started' } & LiveConsultation)
  | { type: 'consultation-ended'; consultationId: string; by: 'kiosk' | 'counselor' | 'system'; reason: 'completed' | 'disconnected' }
  | { type: 'peer-gone'; consultationId: string; reconnectGraceSeconds: number }
  | { type: 'peer-back'; consultationId: string }
  | { type: 'signal'; consultationId: string; from: 'kiosk' | 'counselor'; data: unknown }
  | { type: 'mirror'; consultationId: string; state: Record<string, unknown> }
  | { type: 'suggest'; consultationId: string; suggestionId: string; itemId: string; optionIds: string[]; quantity: number; note?: string }
  | { type: 'suggestion-answer'; consultationId: string; suggestionId: string; accepted: boolean }
  | { type: 'auth-ok'; expiresAt: string }
  | { type: 'error'; code: string; message: string; replyTo?: string; details?: Record<string, unknown> };

export type ClientMessage =
  | { type: 'presence'; status: 'online' | 'away' }
  | { type: 'accept' | 'reject' | 'cancel'; requestId: string }
  | { type: 'request' }
  | { type: 'end'; consultationId: string }
  | { type: 'signal'; consultationId: string; data: SignalData }
  | { type: 'mirror'; consultationId: string; state: MirrorState }
  | { type: 'suggest'; consultationId: string; suggestionId: string; itemId: string; optionIds: string[]; quantity: number; note?: string }
  | { type: 'suggestion-answer'; consultationId: string; suggestionId: string; accepted: boolean }
  | { type: 'auth'; accessToken: string };

/**
 * What the two browsers say to each other through `signal` (the server reads none of it). `pc`
 * names the counselor's RTCPeerConnection, so that a side that reloaded (a new connection) is told
 * apart from a late candidate of the old one.
 */
export type SignalData =
  | { pc: string; description: RTCSessionDescriptionInit }
  | { pc: string; candidate: RTCIceCandidateInit }
  /** the counselor talks with another kiosk now (this one is muted and waits) or is back */
  | { pc: string; hold: boolean }
  /** the kiosk has no connection for this consultation (it reloaded): please offer again */
  | { renegotiate: true };

/** the kiosk's screen as the counselor sees it */
export interface MirrorState {
  page: 'start' | 'menu' | 'checkout' | 'receipt' | string;
  /** the menu tab chosen */
  category: string | null;
  /** the title of the dialog open now */
  dialog: string | null;
  cart: { lines: Array<{ name: string; options: string[]; quantity: number; total: number }>; total: number };
  /** the store's menu, so the counselor can suggest an item of it */
  menu: MirrorMenuItem[];
  [more: string]: unknown;
}

export interface MirrorMenuItem {
  id: string;
  name: string;
  category: string;
  price: number;
  soldOut: boolean;
  groups: Array<{ name: string; kind: 'single' | 'multiple'; required: boolean; options: Array<{ id: string; name: string; priceDelta: number }> }>;
}

/** a random UUID (v4); crypto.getRandomValues works on plain http too, unlike crypto.randomUUID */
export function newUuid(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// ---- the records (HTTP) ----

export interface ConsultationRecord {
  id: string;
  requestId: string;
  localDate: string;
  startedAt: string;
  endedAt: string | null;
  endedBy: 'kiosk' | 'counselor' | 'system' | null;
  outcome: 'completed' | 'disconnected' | null;
  kiosk: { id: string; name: string };
  store: { id: string; name: string };
  counselor: { id: string; name: string };
}

const enc = encodeURIComponent;

export const consultationsApi = {
  mine: (date?: string) =>
    request<{ date: string; consultations: ConsultationRecord[] }>('GET', `/api/consultations/mine${date ? `?date=${enc(date)}` : ''}`, {
      role: 'counselor',
    }),
  ofStore: (storeId: string, filter: { from: string; to: string; page?: number; pageSize?: number }) =>
    request<{ consultations: ConsultationRecord[]; total: number; page: number; pageSize: number }>(
      'GET',
      `/api/stores/${enc(storeId)}/consultations?from=${enc(filter.from)}&to=${enc(filter.to)}&page=${filter.page ?? 1}&pageSize=${filter.pageSize ?? 50}`,
      { role: 'owner' },
    ),
  setCapacity: (capacity: number) => request<Presence>('PUT', '/api/counselors/me/capacity', { role: 'counselor', body: { capacity } }),
};
