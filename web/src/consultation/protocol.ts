// The consultation socket's messages as the web clients see them, and the HTTP lists of
// consultations. The messages are the server's own types (docs/consultations.md has the table),
// imported as types only so no server code reaches the bundle; the lists come from the route
// schemas through api/openapi.d.ts.
import { request, type Answer } from '../api/client';
import type * as Wire from '../../../server/src/modules/consultations/consultations.messages';

export type ConsultationKiosk = Wire.KioskInfo;
export type VideoJoin = Wire.VideoJoin;
export type LiveConsultation = Wire.ConsultationView;
export type Presence = Wire.PresenceView;
export type RequestOffer = Wire.OfferView;
export type RequestStatus = Wire.RequestStatus;
export type ServerMessage = Wire.ServerMessage;

/**
 * What this app sends: the messages the server accepts, with what only the browsers read (the
 * server relays it untouched) typed as they use it.
 */
export type ClientMessage = {
  [K in Wire.ClientMessageType]: K extends 'signal'
    ? Omit<Wire.ClientMessage<K>, 'data'> & { data: SignalData }
    : K extends 'mirror'
      ? Omit<Wire.ClientMessage<K>, 'state'> & { state: MirrorState }
      : Wire.ClientMessage<K>;
}[Wire.ClientMessageType];

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

export type ConsultationRecord = Answer<'/api/consultations/mine', 'get'>['consultations'][number];

const enc = encodeURIComponent;

export const consultationsApi = {
  mine: (date?: string) =>
    request<Answer<'/api/consultations/mine', 'get'>>('GET', `/api/consultations/mine${date ? `?date=${enc(date)}` : ''}`, {
      role: 'counselor',
    }),
  ofStore: (storeId: string, filter: { from: string; to: string; page?: number; pageSize?: number }) =>
    request<Answer<'/api/stores/{storeId}/consultations', 'get'>>(
      'GET',
      `/api/stores/${enc(storeId)}/consultations?from=${enc(filter.from)}&to=${enc(filter.to)}&page=${filter.page ?? 1}&pageSize=${filter.pageSize ?? 50}`,
      { role: 'owner' },
    ),
  setCapacity: (capacity: number) =>
    request<Answer<'/api/counselors/me/capacity', 'put'>>('PUT', '/api/counselors/me/capacity', { role: 'counselor', body: { capacity } }),
};
