// The kiosk's side of a consultation as one object: the socket, the request and its states, the
// call with the counselor (the kiosk answers the counselor's offer and sends its camera and
// microphone), the suggestion waiting for the customer, and the screen mirror sent to the
// counselor (throttled). React reads immutable snapshots of it (useSyncExternalStore).
import { exposePeer, localMedia, stopMedia } from '../../consultation/media';
import type { LiveConsultation, MirrorState, ServerMessage, SignalData } from '../../consultation/protocol';
import { ConsultationSocket, type SocketState } from '../../consultation/socket';

export type Phase = 'idle' | 'requesting' | 'waiting' | 'unavailable' | 'connected' | 'ended';

export interface PendingSuggestion {
  consultationId: string;
  suggestionId: string;
  itemId: string;
  optionIds: string[];
  quantity: number;
  note?: string;
}

export interface KioskConsultationSnapshot {
  connection: SocketState;
  phase: Phase;
  /** the customer chose to wait: ask again while nobody is free */
  keepTrying: boolean;
  expiresAt?: string;
  consultation?: LiveConsultation;
  /** the counselor lost their connection (they may come back) */
  peerGone: boolean;
  /** the counselor is helping another kiosk; this one waits */
  hold: boolean;
  remote?: MediaStream;
  local?: MediaStream;
  media: RTCPeerConnectionState | 'none';
  suggestion?: PendingSuggestion;
  ended?: { by: 'kiosk' | 'counselor' | 'system'; reason: 'completed' | 'disconnected' };
  /** a socket error code worth showing */
  problem?: string;
}

/** how often a waiting customer's request is made again while nobody is free */
const RETRY_MS = 10_000;
/** at most this many mirror messages a second or so */
const MIRROR_INTERVAL_MS = 300;

export class KioskConsultation {
  private snapshot: KioskConsultationSnapshot = { connection: 'connecting', phase: 'idle', keepTrying: false, peerGone: false, hold: false, media: 'none' };
  private readonly listeners = new Set<() => void>();
  private readonly socket: ConsultationSocket;
  private pc: RTCPeerConnection | undefined;
  private pcId: string | undefined;
  private media: Promise<MediaStream | undefined> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private retryTimer: number | undefined;
  private mirrorState: MirrorState | undefined;
  private mirrorSentAt = 0;
  private mirrorTimer: number | undefined;
  private disposed = false;

  constructor() {
    this.socket = new ConsultationSocket(
      'kiosk',
      (message) => this.handle(message),
      (connection) => this.update({ connection }),
    );
    this.socket.start();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): KioskConsultationSnapshot => this.snapshot;

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.mirrorTimer);
    this.socket.stop();
    this.closeCall();
  }

  // ---- what the customer does ----

  request(): void {
    window.clearTimeout(this.retryTimer);
    if (this.socket.send({ type: 'request', id: 'request' })) this.update({ phase: 'requesting', problem: undefined, ended: undefined });
    else {
      // not connected now: nobody can come (a waiting customer's request is tried again)
      this.update({ phase: 'unavailable', problem: 'network_error', ended: undefined });
      if (this.snapshot.keepTrying) this.retryTimer = window.setTimeout(() => this.request(), RETRY_MS);
    }
  }

  /** withdraw the request (or stop waiting for a free counselor) and order alone */
  orderAlone(): void {
    window.clearTimeout(this.retryTimer);
    if (this.snapshot.phase === 'waiting' && this.requestId) this.socket.send({ type: 'cancel', requestId: this.requestId });
    this.update({ phase: 'idle', keepTrying: false, expiresAt: undefined, problem: undefined });
  }

  /** keep waiting: ask again now and every little while until a counselor is free */
  keepWaiting(): void {
    this.update({ keepTrying: true });
    this.request();
  }

  end(): void {
    const consultation = this.snapshot.consultation;
    if (consultation) this.socket.send({ type: 'end', consultationId: consultation.consultationId });
  }

  answerSuggestion(accepted: boolean): void {
    const suggestion = this.snapshot.suggestion;
    if (!suggestion) return;
    this.socket.send({ type: 'suggestion-answer', consultationId: suggestion.consultationId, suggestionId: suggestion.suggestionId, accepted });
    this.update({ suggestion: undefined });
  }

  dismissEnded(): void {
    if (this.snapshot.phase === 'ended') this.update({ phase: 'idle', ended: undefined });
  }

  /** the kiosk's screen now; sent to the counselor at most every MIRROR_INTERVAL_MS */
  mirror(state: MirrorState): void {
    this.mirrorState = state;
    this.flushMirror();
  }

  // ---- what the server says ----

  private requestId: string | undefined;

  private handle(message: ServerMessage): void {
    if (this.disposed) return;
    switch (message.type) {
      case 'hello': {
        const consultation = message.consultations[0];
        if (consultation) {
          this.started(consultation);
          // a reloaded page has no call: ask the counselor for a new offer
          if (!this.pc) this.signal(consultation.consultationId, { renegotiate: true });
        } else {
          if (this.snapshot.consultation) this.finished({ by: 'system', reason: 'disconnected' });
          if (message.request) {
            this.requestId = message.request.requestId;
            this.update({ phase: 'waiting', expiresAt: message.request.expiresAt });
          } else if (this.snapshot.phase === 'waiting' || this.snapshot.phase === 'requesting') {
            this.update({ phase: 'idle', keepTrying: false });
          }
        }
        break;
      }
      case 'request-status':
        this.requestId = message.requestId;
        switch (message.status) {
          case 'waiting':
            this.update({ phase: 'waiting', expiresAt: message.expiresAt });
            break;
          case 'accepted':
            break; // consultation-started follows
          case 'cancelled':
            if (this.snapshot.phase === 'waiting' || this.snapshot.phase === 'requesting') this.update({ phase: 'idle' });
            break;
          default: // no-counselor, rejected, expired: nobody is coming now
            if (this.snapshot.phase === 'connected') break;
            this.update({ phase: 'unavailable', expiresAt: undefined });
            if (this.snapshot.keepTrying) this.retryTimer = window.setTimeout(() => this.request(), RETRY_MS);
        }
        break;
      case 'consultation-started': {
        const { type: _type, ...consultation } = message;
        this.started(consultation);
        break;
      }
      case 'consultation-ended':
        if (this.snapshot.consultation?.consultationId === message.consultationId) this.finished({ by: message.by, reason: message.reason });
        break;
      case 'peer-gone':
        if (this.snapshot.consultation?.consultationId === message.consultationId) this.update({ peerGone: true });
        break;
      case 'peer-back':
        if (this.snapshot.consultation?.consultationId === message.consultationId) {
          this.update({ peerGone: false });
          this.mirrorSentAt = 0;
          this.flushMirror();
        }
        break;
      case 'signal':
        if (this.snapshot.consultation?.consultationId === message.consultationId) this.onSignal(message.data as SignalData);
        break;
      case 'suggest': {
        const { type: _type, ...suggestion } = message;
        this.update({ suggestion });
        break;
      }
      case 'error':
        if (message.replyTo === 'request') {
          if (message.code === 'already_requesting') {
            this.requestId = typeof message.details?.requestId === 'string' ? message.details.requestId : this.requestId;
            this.update({ phase: 'waiting' });
            break;
          }
          if (message.code === 'already_in_consultation') break; // hello/started tells the rest
          this.update({ phase: 'idle' });
        }
        this.update({ problem: message.code });
        break;
      default:
        break;
    }
  }

  private started(consultation: LiveConsultation): void {
    window.clearTimeout(this.retryTimer);
    this.requestId = undefined;
    this.update({
      phase: 'connected',
      keepTrying: false,
      consultation,
      peerGone: !consultation.peerConnected,
      expiresAt: undefined,
      ended: undefined,
      problem: undefined,
    });
    if (consultation.video.provider === 'builtin') void this.localStream();
    this.mirrorSentAt = 0;
    this.flushMirror();
  }

  private finished(ended: NonNullable<KioskConsultationSnapshot['ended']>): void {
    this.closeCall();
    this.update({ phase: 'ended', consultation: undefined, suggestion: undefined, peerGone: false, hold: false, ended });
  }

  // ---- the call ----

  private onSignal(data: SignalData): void {
    if (!data || typeof data !== 'object') return;
    if ('hold' in data) {
      this.update({ hold: data.hold });
      return;
    }
    if (!('pc' in data)) return;
    this.run(async () => {
      const consultation = this.snapshot.consultation;
      if (consultation?.video.provider !== 'builtin') return;
      if ('description' in data && data.description.type === 'offer') {
        const fresh = !this.pc || this.pcId !== data.pc;
        if (fresh) this.newConnection(consultation.consultationId, data.pc, consultation.video.iceServers);
        const pc = this.pc!;
        await pc.setRemoteDescription(data.description);
        if (fresh) {
          // after the offer, so that the tracks take the transceivers it made (one per kind)
          const local = await this.localStream();
          if (pc !== this.pc) return;
          for (const track of local?.getTracks() ?? []) pc.addTrack(track, local!);
        }
        await pc.setLocalDescription(await pc.createAnswer());
        this.signal(consultation.consultationId, { pc: data.pc, description: pc.localDescription!.toJSON() });
      } else if ('candidate' in data && this.pc && data.pc === this.pcId) {
        await this.pc.addIceCandidate(data.candidate).catch(() => undefined);
      }
    });
  }

  private newConnection(consultationId: string, pcId: string, iceServers: RTCIceServer[]): void {
    this.closeConnection();
    const pc = new RTCPeerConnection({ iceServers });
    const remote = new MediaStream();
    this.pc = pc;
    this.pcId = pcId;
    pc.ontrack = (event) => {
      if (!remote.getTracks().includes(event.track)) remote.addTrack(event.track);
      this.update({ remote });
    };
    pc.onicecandidate = (event) => {
      if (event.candidate) this.signal(consultationId, { pc: pcId, candidate: event.candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      if (pc === this.pc) this.update({ media: pc.connectionState });
    };
    exposePeer(consultationId, pc);
    this.update({ remote, media: pc.connectionState });
  }

  private closeConnection(): void {
    if (!this.pc) return;
    this.pc.close();
    const id = this.snapshot.consultation?.consultationId;
    if (id) exposePeer(id, undefined);
    this.pc = undefined;
    this.pcId = undefined;
  }

  private closeCall(): void {
    this.closeConnection();
    const media = this.media;
    this.media = undefined;
    void media?.then(stopMedia);
    this.update({ remote: undefined, local: undefined, media: 'none' });
  }

  private localStream(): Promise<MediaStream | undefined> {
    this.media ??= localMedia().then((stream) => {
      if (this.disposed || this.snapshot.phase !== 'connected') {
        stopMedia(stream);
        return undefined;
      }
      this.update({ local: stream });
      return stream;
    });
    return this.media;
  }

  private signal(consultationId: string, data: SignalData): void {
    this.socket.send({ type: 'signal', consultationId, data });
  }

  private run(step: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      try {
        await step();
      } catch (error) {
        console.warn('consultation: WebRTC step failed', error);
      }
    });
  }

  // ---- the mirror ----

  private flushMirror(): void {
    window.clearTimeout(this.mirrorTimer);
    const consultation = this.snapshot.consultation;
    if (!consultation || !this.mirrorState) return;
    const wait = this.mirrorSentAt + MIRROR_INTERVAL_MS - Date.now();
    if (wait > 0) {
      this.mirrorTimer = window.setTimeout(() => this.flushMirror(), wait);
      return;
    }
    if (this.socket.send({ type: 'mirror', consultationId: consultation.consultationId, state: this.mirrorState })) this.mirrorSentAt = Date.now();
  }

  private update(change: Partial<KioskConsultationSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}
