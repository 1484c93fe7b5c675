// The counselor's WebRTC connection with one kiosk (one per seat: a star, kiosks never meet).
// The counselor offers, the kiosk answers, both trickle candidates through `signal`. The
// counselor's camera goes to every seat, the microphone only to the active one (a clone of the
// track per seat, enabled or not), so a waiting customer does not hear another's conversation.
import { exposePeer } from '../consultation/media';
import { newUuid, type SignalData } from '../consultation/protocol';

export class SeatCall {
  readonly pcId = newUuid();
  readonly pc: RTCPeerConnection;
  readonly remote = new MediaStream();
  private readonly outgoing: MediaStreamTrack[] = [];
  private readonly microphone: MediaStreamTrack | undefined;
  private pendingCandidates: RTCIceCandidateInit[] = [];
  private chain: Promise<void> = Promise.resolve();
  private active = false;
  private closed = false;

  constructor(
    readonly consultationId: string,
    iceServers: RTCIceServer[],
    local: MediaStream | undefined,
    private readonly signal: (data: SignalData) => void,
    private readonly changed: () => void,
  ) {
    this.pc = new RTCPeerConnection({ iceServers });
    const stream = new MediaStream();
    for (const kind of ['audio', 'video'] as const) {
      const track = (kind === 'audio' ? local?.getAudioTracks() : local?.getVideoTracks())?.[0]?.clone();
      if (track) {
        stream.addTrack(track);
        this.outgoing.push(track);
        this.pc.addTransceiver(track, { direction: 'sendrecv', streams: [stream] });
      } else {
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
    this.microphone = this.outgoing.find((track) => track.kind === 'audio');
    if (this.microphone) this.microphone.enabled = false;
    this.pc.ontrack = (event) => {
      if (!this.remote.getTracks().includes(event.track)) this.remote.addTrack(event.track);
      this.changed();
    };
    this.pc.onicecandidate = (event) => {
      if (event.candidate) this.signal({ pc: this.pcId, candidate: event.candidate.toJSON() });
    };
    this.pc.onconnectionstatechange = () => {
      this.changed();
      // the path broke (a network change): find a new one
      if (this.pc.connectionState === 'failed') this.offer(true);
    };
    exposePeer(consultationId, this.pc);
  }

  get state(): RTCPeerConnectionState {
    return this.pc.connectionState;
  }

  /** sends an offer (again, with an ICE restart, when the path failed) */
  offer(iceRestart = false): void {
    this.run(async () => {
      const offer = await this.pc.createOffer({ iceRestart });
      await this.pc.setLocalDescription(offer);
      this.signal({ pc: this.pcId, description: this.pc.localDescription!.toJSON() });
      this.signal({ pc: this.pcId, hold: !this.active });
    });
  }

  /** the kiosk's answer and candidates; anything for an older connection is ignored */
  handle(data: SignalData): void {
    if (!('pc' in data) || data.pc !== this.pcId) return;
    this.run(async () => {
      if ('description' in data && data.description.type === 'answer') {
        if (this.pc.signalingState !== 'have-local-offer') return;
        await this.pc.setRemoteDescription(data.description);
        for (const candidate of this.pendingCandidates.splice(0)) await this.pc.addIceCandidate(candidate).catch(() => undefined);
      } else if ('candidate' in data) {
        if (!this.pc.remoteDescription) this.pendingCandidates.push(data.candidate);
        else await this.pc.addIceCandidate(data.candidate).catch(() => undefined);
      }
    });
  }

  /** the active seat is heard and hears the counselor; the others wait, muted */
  setActive(active: boolean): void {
    if (this.microphone) this.microphone.enabled = active;
    if (active === this.active) return;
    this.active = active;
    this.signal({ pc: this.pcId, hold: !active });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const track of this.outgoing) track.stop();
    this.pc.close();
    exposePeer(this.consultationId, undefined);
  }

  /** one step at a time, in order: an answer before the candidates that follow it */
  private run(step: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.closed) return;
      try {
        await step();
      } catch (error) {
        console.warn('consultation: WebRTC step failed', error);
      }
    });
  }
}
