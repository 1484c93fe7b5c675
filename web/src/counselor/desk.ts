// The counselor's console as one object: the socket, the requests offered, the seats (one
// consultation each, its WebRTC call, the kiosk's screen mirror and the suggestions sent), which
// seat is active. React reads immutable snapshots of it (useSyncExternalStore).
import { localMedia, stopMedia } from '../consultation/media';
import {
  newUuid,
  type LiveConsultation,
  type MirrorState,
  type Presence,
  type RequestOffer,
  type ServerMessage,
  type SignalData,
} from '../consultation/protocol';
import { ConsultationSocket, type SocketState } from '../consultation/socket';
import { chime } from '../sound';
import { SeatCall } from './SeatCall';

export interface SentSuggestion {
  suggestionId: string;
  label: string;
  status: 'sent' | 'accepted' | 'declined' | 'refused';
  /** the server's error code when refused */
  code?: string;
}

export interface Seat {
  consultation: LiveConsultation;
  /** the kiosk lost its connection (it may come back) */
  peerGone: boolean;
  mirror?: MirrorState;
  suggestions: SentSuggestion[];
  remote?: MediaStream;
  media: RTCPeerConnectionState | 'none';
}

export interface DeskSnapshot {
  connection: SocketState;
  presence: Presence | null;
  provider: 'builtin' | 'livekit';
  offers: RequestOffer[];
  /** requests being accepted now */
  accepting: string[];
  seats: Seat[];
  activeId: string | undefined;
  local: MediaStream | undefined;
  /** the last refusal worth showing (an error code of the socket) */
  problem?: string;
  /** the last consultation that ended */
  ended?: { kioskName: string; by: 'kiosk' | 'counselor' | 'system' };
  /** counts ended consultations, so that lists reload */
  endedCount: number;
}

export interface Suggestion {
  itemId: string;
  optionIds: string[];
  quantity: number;
  note?: string;
  /** what the counselor sees in the list of sent suggestions */
  label: string;
}

export class CounselorDesk {
  private snapshot: DeskSnapshot = {
    connection: 'connecting',
    presence: null,
    provider: 'builtin',
    offers: [],
    accepting: [],
    seats: [],
    activeId: undefined,
    local: undefined,
    endedCount: 0,
  };
  private readonly listeners = new Set<() => void>();
  private readonly calls = new Map<string, SeatCall>();
  private readonly socket: ConsultationSocket;
  private media: Promise<MediaStream | undefined> | undefined;
  private disposed = false;
  /** the most recent closed requests (bounded: ids are never reused, old ones cannot come back) */
  private readonly closedRequests = new Set<string>();

  private rememberClosed(requestId: string): void {
    this.closedRequests.add(requestId);
    if (this.closedRequests.size > 200) this.closedRequests.delete(this.closedRequests.values().next().value!);
  }

  constructor() {
    this.socket = new ConsultationSocket(
      'counselor',
      (message) => this.handle(message),
      (connection) => this.update({ connection }),
    );
    this.socket.start();
  }

  // ---- for React ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): DeskSnapshot => this.snapshot;

  dispose(): void {
    this.disposed = true;
    this.socket.stop();
    for (const call of this.calls.values()) call.close();
    this.calls.clear();
    void this.media?.then(stopMedia);
  }

  // ---- what the counselor does ----

  setPresence(status: 'online' | 'away'): void {
    this.socket.send({ type: 'presence', status });
  }

  accept(requestId: string): void {
    if (this.socket.send({ type: 'accept', requestId, id: `accept:${requestId}` })) {
      this.update({ accepting: [...this.snapshot.accepting, requestId], problem: undefined });
      void this.localStream(); // ask for the camera now, while the kiosk is told
    }
  }

  reject(requestId: string): void {
    this.socket.send({ type: 'reject', requestId });
  }

  end(consultationId: string): void {
    this.socket.send({ type: 'end', consultationId });
  }

  activate(consultationId: string): void {
    if (!this.seat(consultationId)) return;
    this.update({ activeId: consultationId });
    this.applyActive();
  }

  suggest(consultationId: string, suggestion: Suggestion): void {
    const suggestionId = newUuid();
    const sent = this.socket.send({
      type: 'suggest',
      id: `suggest:${suggestionId}`,
      consultationId,
      suggestionId,
      itemId: suggestion.itemId,
      optionIds: suggestion.optionIds,
      quantity: suggestion.quantity,
      ...(suggestion.note ? { note: suggestion.note } : {}),
    });
    if (!sent) return;
    this.updateSeat(consultationId, (seat) => ({
      ...seat,
      suggestions: [{ suggestionId, label: suggestion.label, status: 'sent' as const }, ...seat.suggestions].slice(0, 5),
    }));
  }

  // ---- what the server says ----

  private handle(message: ServerMessage): void {
    if (this.disposed) return;
    switch (message.type) {
      case 'hello': {
        const live = new Map(message.consultations.map((each) => [each.consultationId, each]));
        for (const seat of this.snapshot.seats) if (!live.has(seat.consultation.consultationId)) this.dropSeat(seat.consultation.consultationId);
        const seated = new Set(this.snapshot.seats.map((seat) => seat.consultation.consultationId));
        this.update({
          presence: message.presence,
          provider: message.videoProvider,
          offers: message.offers.filter((offer) => !message.consultations.some((each) => each.requestId === offer.requestId)),
          accepting: [],
          seats: this.snapshot.seats.map((seat) => ({ ...seat, peerGone: !live.get(seat.consultation.consultationId)!.peerConnected })),
        });
        for (const consultation of message.consultations) {
          if (!seated.has(consultation.consultationId)) this.addSeat(consultation);
        }
        break;
      }
      case 'presence': {
        const { type: _type, ...presence } = message;
        // away: no prompts (the server offers nothing new until online again)
        this.update({ presence, ...(presence.status === 'away' ? { offers: [] } : {}) });
        break;
      }
      case 'request-offered': {
        if (this.snapshot.seats.some((seat) => seat.consultation.requestId === message.requestId)) break;
        // a close relayed by another server instance can overtake its offer: a closed request stays closed
        if (this.closedRequests.has(message.requestId)) break;
        const { type: _type, ...offer } = message;
        const known = this.snapshot.offers.some((each) => each.requestId === offer.requestId);
        this.update({ offers: [...this.snapshot.offers.filter((each) => each.requestId !== offer.requestId), offer] });
        if (!known) chime();
        break;
      }
      case 'request-closed':
        this.rememberClosed(message.requestId);
        this.removeOffer(message.requestId);
        break;
      case 'consultation-started':
        this.rememberClosed(message.requestId);
        this.removeOffer(message.requestId);
        if (!this.seat(message.consultationId)) {
          const { type: _type, ...consultation } = message;
          this.addSeat(consultation);
        }
        break;
      case 'consultation-ended': {
        const seat = this.seat(message.consultationId);
        if (!seat) break;
        this.dropSeat(message.consultationId);
        this.update({ ended: { kioskName: seat.consultation.kiosk.name, by: message.by }, endedCount: this.snapshot.endedCount + 1 });
        break;
      }
      case 'peer-gone':
        this.updateSeat(message.consultationId, (seat) => ({ ...seat, peerGone: true }));
        break;
      case 'peer-back': {
        this.updateSeat(message.consultationId, (seat) => ({ ...seat, peerGone: false }));
        const call = this.calls.get(message.consultationId);
        if (call && call.state === 'failed') call.offer(true);
        break;
      }
      case 'signal': {
        const data = message.data as SignalData;
        if (!data || typeof data !== 'object') break;
        if ('renegotiate' in data) this.restartCall(message.consultationId);
        else this.calls.get(message.consultationId)?.handle(data);
        break;
      }
      case 'mirror':
        this.updateSeat(message.consultationId, (seat) => ({ ...seat, mirror: message.state as MirrorState }));
        break;
      case 'suggestion-answer':
        this.updateSeat(message.consultationId, (seat) => ({
          ...seat,
          suggestions: seat.suggestions.map((each) =>
            each.suggestionId === message.suggestionId ? { ...each, status: message.accepted ? 'accepted' : 'declined' } : each,
          ),
        }));
        break;
      case 'error': {
        const replyTo = message.replyTo ?? '';
        if (replyTo.startsWith('accept:')) {
          const requestId = replyTo.slice('accept:'.length);
          this.update({ accepting: this.snapshot.accepting.filter((each) => each !== requestId) });
          // taken by another, or gone: the prompt goes
          if (message.code !== 'counselor_full') this.removeOffer(requestId);
        }
        if (replyTo.startsWith('suggest:')) {
          const suggestionId = replyTo.slice('suggest:'.length);
          this.update({
            seats: this.snapshot.seats.map((seat) => ({
              ...seat,
              suggestions: seat.suggestions.map((each) =>
                each.suggestionId === suggestionId ? { ...each, status: 'refused' as const, code: message.code } : each,
              ),
            })),
          });
        }
        this.update({ problem: message.code });
        break;
      }
      case 'auth-ok':
        break;
    }
  }

  // ---- seats and calls ----

  private addSeat(consultation: LiveConsultation): void {
    const seat: Seat = { consultation, peerGone: !consultation.peerConnected, suggestions: [], media: 'none' };
    this.update({
      seats: [...this.snapshot.seats, seat],
      accepting: this.snapshot.accepting.filter((each) => each !== consultation.requestId),
      activeId: this.snapshot.activeId ?? consultation.consultationId,
    });
    void this.startCall(consultation);
  }

  private async startCall(consultation: LiveConsultation): Promise<void> {
    if (consultation.video.provider !== 'builtin') return;
    const iceServers = consultation.video.iceServers;
    const local = await this.localStream();
    const id = consultation.consultationId;
    if (this.disposed || !this.seat(id) || this.calls.has(id)) return;
    const call = new SeatCall(
      id,
      iceServers,
      local,
      (data) => this.socket.send({ type: 'signal', consultationId: id, data }),
      () => this.updateSeat(id, (seat) => ({ ...seat, remote: call.remote, media: call.state })),
    );
    this.calls.set(id, call);
    call.setActive(this.snapshot.activeId === id);
    call.offer();
    this.updateSeat(id, (seat) => ({ ...seat, remote: call.remote, media: call.state }));
  }

  /** the kiosk lost its side of the call (it reloaded): a new connection from scratch */
  private restartCall(consultationId: string): void {
    const seat = this.seat(consultationId);
    if (!seat) return;
    this.calls.get(consultationId)?.close();
    this.calls.delete(consultationId);
    void this.startCall(seat.consultation);
  }

  private dropSeat(consultationId: string): void {
    this.calls.get(consultationId)?.close();
    this.calls.delete(consultationId);
    const seats = this.snapshot.seats.filter((seat) => seat.consultation.consultationId !== consultationId);
    const activeId = this.snapshot.activeId === consultationId ? seats[0]?.consultation.consultationId : this.snapshot.activeId;
    this.update({ seats, activeId });
    this.applyActive();
  }

  private applyActive(): void {
    for (const [id, call] of this.calls) call.setActive(id === this.snapshot.activeId);
  }

  private localStream(): Promise<MediaStream | undefined> {
    this.media ??= localMedia().then((stream) => {
      if (this.disposed) {
        stopMedia(stream);
        return undefined;
      }
      this.update({ local: stream });
      return stream;
    });
    return this.media;
  }

  // ---- state ----

  private seat(consultationId: string): Seat | undefined {
    return this.snapshot.seats.find((seat) => seat.consultation.consultationId === consultationId);
  }

  private removeOffer(requestId: string): void {
    if (!this.snapshot.offers.some((offer) => offer.requestId === requestId) && !this.snapshot.accepting.includes(requestId)) return;
    this.update({
      offers: this.snapshot.offers.filter((offer) => offer.requestId !== requestId),
      accepting: this.snapshot.accepting.filter((each) => each !== requestId),
    });
  }

  private updateSeat(consultationId: string, change: (seat: Seat) => Seat): void {
    if (!this.seat(consultationId)) return;
    this.update({ seats: this.snapshot.seats.map((seat) => (seat.consultation.consultationId === consultationId ? change(seat) : seat)) });
  }

  private update(change: Partial<DeskSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
